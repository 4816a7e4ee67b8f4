// Keep the social card preview in step with the form: the search title (or
// the page's own title) and the search description (or its own) as typed.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const card = document.querySelector(".social-card");
  if (!card) {
    return;
  }
  const field = (name) => document.getElementById(`id_${name}`);
  const title = card.querySelector(".social-card-title");
  const description = card.querySelector(".social-card-description");
  const sources = {
    title: [field("seo_title"), field(card.dataset.titleField)],
    description: [field("meta_description"), field(card.dataset.descriptionField)],
  };
  const first = (inputs) => {
    for (const input of inputs) {
      if (input && input.value.trim()) {
        return input.value.trim();
      }
    }
    return "";
  };
  const update = () => {
    title.textContent = first(sources.title) || "(the page's title)";
    const words = first(sources.description);
    description.textContent = words.length > 160 ? `${words.slice(0, 159)}…` : words;
  };
  for (const input of [...sources.title, ...sources.description]) {
    if (input) {
      input.addEventListener("input", update);
    }
  }
});
