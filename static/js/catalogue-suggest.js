// The account page's favourite film and director: as the author types, a few
// matching titles or names from the catalogue are offered in a native
// <datalist> (the page never carries the whole catalogue). Without this
// script the fields are plain text boxes and work the same.
(function () {
  "use strict";

  function attach(field) {
    const list = document.createElement("datalist");
    list.id = `${field.id}-suggestions`;
    field.after(list);
    field.setAttribute("list", list.id);
    let timer = null;
    let asked = "";
    let pending = null;

    async function suggest() {
      const typed = field.value.trim();
      if (typed.length < 2 || typed === asked) {
        return;
      }
      asked = typed;
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      const url = new URL(field.dataset.suggestUrl, window.location.href);
      url.searchParams.set("q", typed);
      let results;
      try {
        const response = await fetch(url, {
          credentials: "same-origin",
          signal: pending.signal,
        });
        if (!response.ok) {
          return;
        }
        ({ results } = await response.json());
      } catch {
        return; // offline or superseded: the field still takes any text
      }
      list.replaceChildren(
        ...results.map((name) => {
          const option = document.createElement("option");
          option.value = name;
          return option;
        }),
      );
    }

    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
  }

  function start() {
    document.querySelectorAll("input[data-suggest-url]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
