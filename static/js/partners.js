/* Partner forms, progressive enhancement only: without this file "Add a row" posts the form and the server adds
   the row; the Finnish reference under the sv/en fields shows the saved or last submitted text. */
(function () {
  "use strict";

  // "Add a row" adds the formset's empty row in place instead of posting the form.
  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    var prefix = formset.getAttribute("data-formset");
    var button = formset.querySelector("button[name=add_row]");
    var template = formset.querySelector("template[data-formset-template]");
    var rows = formset.querySelector("[data-formset-rows]");
    var total = formset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (!button || !template || !rows || !total) {
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    });
  });

  // The Finnish text next to the Swedish and English fields follows what is typed in the Finnish field.
  document.querySelectorAll("[data-fi-source]").forEach(function (reference) {
    var source = document.getElementById(reference.getAttribute("data-fi-source"));
    var text = reference.querySelector(".fi-reference__text");
    if (!source || !text) {
      return;
    }
    source.addEventListener("input", function () {
      text.textContent = source.value;
    });
  });
})();
