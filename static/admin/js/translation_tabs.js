/* Groups modeltranslation's per-language inputs (name_fi, name_sv, name_en) into tabs.
   Works on the admin's stacked form rows; tabular inlines keep the columns side by side. */
(function () {
  "use strict";
  var LANGS = ["fi", "sv", "en"];

  function groupRows(fieldset) {
    var groups = {};
    fieldset.querySelectorAll(".form-row, .form-multiline > div").forEach(function (row) {
      var input = row.querySelector(".mt[class*='mt-field-']");
      if (!input) return;
      var match = /mt-field-(.+)-(fi|sv|en)\b/.exec(input.className);
      if (!match) return;
      var base = match[1];
      (groups[base] = groups[base] || {})[match[2]] = row;
    });
    return groups;
  }

  function buildTabs(base, rows) {
    var first = rows[LANGS.find(function (l) { return rows[l]; })];
    var wrapper = document.createElement("div");
    wrapper.className = "mt-tabs";
    var list = document.createElement("div");
    list.className = "mt-tablist";
    list.setAttribute("role", "tablist");
    wrapper.appendChild(list);
    first.parentNode.insertBefore(wrapper, first);
    var buttons = [];
    LANGS.forEach(function (lang, index) {
      var row = rows[lang];
      if (!row) return;
      var id = "mt-tab-" + base + "-" + lang + "-" + Math.random().toString(36).slice(2, 7);
      var button = document.createElement("button");
      button.type = "button";
      button.id = id;
      button.textContent = lang.toUpperCase();
      button.setAttribute("role", "tab");
      if (row.querySelector(".errorlist")) button.classList.add("mt-has-error");
      row.setAttribute("role", "tabpanel");
      row.setAttribute("aria-labelledby", id);
      wrapper.appendChild(row);
      button.addEventListener("click", function () { select(lang); });
      button.addEventListener("keydown", function (event) {
        var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (!step) return;
        var next = buttons[(buttons.indexOf(button) + step + buttons.length) % buttons.length];
        next.click();
        next.focus();
      });
      list.appendChild(button);
      buttons.push(button);
      button.dataset.lang = lang;
    });
    function select(lang) {
      buttons.forEach(function (b) {
        var on = b.dataset.lang === lang;
        b.setAttribute("aria-selected", on ? "true" : "false");
        b.tabIndex = on ? 0 : -1;
        rows[b.dataset.lang].hidden = !on;
      });
    }
    var errored = buttons.find(function (b) { return b.classList.contains("mt-has-error"); });
    select(errored ? errored.dataset.lang : buttons[0].dataset.lang);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.module, .inline-related fieldset").forEach(function (fieldset) {
      if (fieldset.closest(".tabular")) return;
      var groups = groupRows(fieldset);
      Object.keys(groups).forEach(function (base) {
        if (Object.keys(groups[base]).length > 1) buildTabs(base, groups[base]);
      });
    });
  });
})();
