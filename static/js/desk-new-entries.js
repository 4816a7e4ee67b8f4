// New people and genres from the film form (reviews/admin/new_entries.py): an
// autocomplete box marked data-allow-new offers "Add <what was typed>" after
// the catalogue's matches, and sends it as "new:<name>" for the server to add
// when the film is saved. Every other autocomplete box stays as Django made it.
//
// The admin's media may load this file before or after its autocomplete.js:
// once the page is parsed, Django's initialiser is wrapped (for boxes set up
// later, such as new inline rows) and any box it already set up is set up again.
"use strict";
{
  const NEW = "new:";

  function options(element) {
    return {
      ajax: {
        data: (params) => ({
          term: params.term,
          page: params.page,
          app_label: element.dataset.appLabel,
          model_name: element.dataset.modelName,
          field_name: element.dataset.fieldName,
        }),
      },
      tags: true,
      createTag: (params) => {
        const name = params.term.trim().replace(/\s+/g, " ");
        return name ? { id: `${NEW}${name}`, text: `Add “${name}”`, newTag: true } : null;
      },
      // The catalogue's matches first; no offer to add what it already has.
      insertTag: (data, tag) => {
        const typed = tag.id.slice(NEW.length).toLowerCase();
        if (!data.some((item) => String(item.text).toLowerCase() === typed)) {
          data.push(tag);
        }
      },
      templateSelection: (item) =>
        String(item.id).startsWith(NEW) ? `${String(item.id).slice(NEW.length)} (new)` : item.text,
    };
  }

  document.addEventListener("DOMContentLoaded", () => {
    const $ = django.jQuery;
    const plain = $.fn.djangoAdminSelect2;
    const offersNew = (index, element) => Boolean(element.dataset.allowNew);

    function setUp(elements) {
      $.each(elements, (index, element) => {
        if ($(element).data("select2")) {
          $(element).select2("destroy");
        }
        $(element).select2(options(element));
      });
    }

    $.fn.djangoAdminSelect2 = function () {
      plain.call(this.not(offersNew));
      setUp(this.filter(offersNew));
      return this;
    };
    setUp($(".admin-autocomplete[data-allow-new]").not("[name*=__prefix__]").filter(
      (index, element) => Boolean($(element).data("select2")),
    ));
  });
}
