// The admin's autocomplete fields (select2) draw their own combobox beside the
// <select> they replace, and give it no name: a screen reader announces an
// unnamed combobox. Each one takes the name of its select's label (the inline
// rows have theirs, visually hidden). select2's mouse-only "remove all" cross
// sits inside the list of choices; it is hidden from screen readers, where
// Backspace in the field removes a choice.
"use strict";
{
  function labelId(select) {
    const label = select.labels && select.labels[0];
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = `${select.id}_label`;
    }
    return label.id;
  }

  function nameAutocompletes() {
    for (const select of document.querySelectorAll("select.select2-hidden-accessible")) {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2-container")) {
        continue;
      }
      const label = labelId(select);
      const combobox = container.querySelector(".select2-selection[role=combobox]");
      if (label && combobox && !combobox.dataset.named) {
        const rendered = combobox.querySelector(".select2-selection__rendered[id]");
        // A single choice: "Person, Jacques Audiard". Several: the label, with the
        // choices listed inside.
        combobox.setAttribute("aria-labelledby", rendered ? `${label} ${rendered.id}` : label);
        // select2 makes the shown choice a read-only textbox of its own, named by
        // its title while something is chosen and by nothing while empty.
        rendered?.setAttribute("aria-labelledby", label);
        combobox.dataset.named = "true";
      }
      const search = container.querySelector(".select2-search__field");
      if (label && search && !search.hasAttribute("aria-labelledby")) {
        search.setAttribute("aria-labelledby", label);
      }
      for (const cross of container.querySelectorAll(".select2-selection__clear")) {
        cross.setAttribute("aria-hidden", "true");
      }
    }
  }

  nameAutocompletes();
  new MutationObserver(nameAutocompletes).observe(document.body, {
    childList: true,
    subtree: true,
  });
}
