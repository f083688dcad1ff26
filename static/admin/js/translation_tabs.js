/* One language switch for a whole admin form: every translated field (modeltranslation's name_fi, name_sv, name_en
   inputs, in the form and in its stacked inlines) shows in the chosen language only. The choice is remembered in
   localStorage; a first visit opens in the admin's own language (<html lang>), and a language whose field has an
   error opens first. Without JavaScript every language shows, labelled "[fi]", "[sv]", "[en]". */
(function () {
  "use strict";
  var LANGS = ["fi", "sv", "en"];
  var NAMES = { fi: "suomi", sv: "svenska", en: "English" };
  var STORAGE_KEY = "perhekeskus.admin.textLanguage";
  var t = function (text) { return window.gettext ? window.gettext(text) : text; };

  function languageOf(input) {
    var match = /\bmt-field-.+-(fi|sv|en)\b/.exec(input.className);
    return match && match[1];
  }

  // The row to hide for a translated input: its own box when several fields share a line, else the form row.
  function rowOf(input) {
    return input.closest(".fieldBox") || input.closest(".form-row");
  }

  function markRows(root) {
    root.querySelectorAll(".mt[class*='mt-field-']").forEach(function (input) {
      var lang = languageOf(input);
      var row = rowOf(input);
      if (lang && row && !input.closest(".tabular")) row.dataset.mtLang = lang;
    });
  }

  function remembered() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }

  function remember(lang) {
    try { window.localStorage.setItem(STORAGE_KEY, lang); } catch (e) { /* private mode: not remembered */ }
  }

  function show(form, buttons, lang) {
    form.querySelectorAll("[data-mt-lang]").forEach(function (row) {
      row.hidden = row.dataset.mtLang !== lang;
    });
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.lang === lang ? "true" : "false");
    });
    form.dataset.mtShown = lang;
  }

  function buildSwitch(form) {
    var present = LANGS.filter(function (lang) { return form.querySelector("[data-mt-lang='" + lang + "']"); });
    if (present.length < 2) return;
    var group = document.createElement("div");
    group.className = "mt-switch";
    group.setAttribute("role", "group");
    var label = document.createElement("span");
    label.className = "mt-switch__label";
    label.id = "mt-switch-label";
    label.textContent = t("Language of the texts");
    group.setAttribute("aria-labelledby", label.id);
    group.appendChild(label);
    var buttons = present.map(function (lang) {
      var button = document.createElement("button");
      button.type = "button";
      button.lang = lang;
      button.dataset.lang = lang;
      button.textContent = NAMES[lang];
      var errored = form.querySelector("[data-mt-lang='" + lang + "'] .errorlist, [data-mt-lang='" + lang + "'].errors");
      if (errored) {
        button.classList.add("mt-has-error");
        button.title = t("This language has errors");
      }
      button.addEventListener("click", function () {
        remember(lang);
        show(form, buttons, lang);
      });
      group.appendChild(button);
      return button;
    });
    var first = form.querySelector("fieldset");
    first.parentNode.insertBefore(group, first);

    var withError = buttons.find(function (b) { return b.classList.contains("mt-has-error"); });
    var preferred = [remembered(), document.documentElement.lang, present[0]].find(function (lang) {
      return present.indexOf(lang) !== -1;
    });
    show(form, buttons, withError ? withError.dataset.lang : preferred);

    // A row added with "Add another" follows the form's language.
    document.addEventListener("formset:added", function (event) {
      markRows(event.target);
      show(form, buttons, form.dataset.mtShown);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("#content-main form");
    if (!form || !form.querySelector("fieldset")) return;
    markRows(form);
    buildSwitch(form);
  });
})();
