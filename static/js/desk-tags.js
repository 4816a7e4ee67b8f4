// Suggest existing tags while an editor types in a review's tags field.
// The field holds a comma list; each suggestion is the list so far with the
// tag being typed completed, offered through a native <datalist>.
function suggestTags() {
  "use strict";
  const field = document.getElementById("id_tags");
  if (!field || !field.dataset.suggestUrl) {
    return;
  }
  const list = document.createElement("datalist");
  list.id = "id_tags_suggestions";
  field.after(list);
  field.setAttribute("list", list.id);
  field.setAttribute("autocomplete", "off");
  let timer = null;
  let asked = "";

  function parts() {
    const value = field.value;
    const cut = value.lastIndexOf(",");
    return {
      done: cut === -1 ? "" : value.slice(0, cut + 1) + " ",
      typing: value.slice(cut + 1).trim(),
    };
  }

  async function suggest() {
    const { done, typing } = parts();
    if (typing.length < 2 || typing === asked) {
      return;
    }
    asked = typing;
    const url = new URL(field.dataset.suggestUrl, window.location.href);
    url.searchParams.set("q", typing);
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      return;
    }
    const { tags } = await response.json();
    const chosen = done.split(",").map((name) => name.trim().toLowerCase());
    list.replaceChildren(
      ...tags
        .filter((name) => !chosen.includes(name.toLowerCase()))
        .map((name) => {
          const option = document.createElement("option");
          option.value = `${done}${name}`;
          return option;
        }),
    );
  }

  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
}

// The body editor's editable area takes the name of its field's label.
function nameBodyEditor() {
  "use strict";
  function nameEditors() {
    for (const area of document.querySelectorAll(".field-body [contenteditable=true]")) {
      if (!area.hasAttribute("aria-label")) {
        area.setAttribute("aria-label", "Body");
      }
    }
  }
  nameEditors();
  new MutationObserver(nameEditors).observe(document.body, { childList: true, subtree: true });
}

// The admin loads this file in the page's head: wait for the form.
document.addEventListener("DOMContentLoaded", () => {
  suggestTags();
  nameBodyEditor();
});
