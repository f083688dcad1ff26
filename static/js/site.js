/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // Facet checkboxes and selects marked data-autosubmit submit their form on change.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=checkbox], input[type=radio], select")) {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });

  // Search forms send no empty fields, so the address stays short (without JavaScript the server redirects to the
  // same clean address). A "where" the family emptied is sent empty: that forgets the remembered place.
  document.querySelectorAll("form[data-clean-submit]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var position = form.querySelector("[name=lat]");
      var skipped = [];
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.disabled || field.value !== "") {
          return;
        }
        var forgets = field.hasAttribute("data-clear-forgets") && field.defaultValue !== "" && !position;
        if (!forgets) {
          field.disabled = true;
          skipped.push(field);
        }
      });
      // Back in the browser's history, the form is as the family left it.
      window.setTimeout(function () {
        skipped.forEach(function (field) {
          field.disabled = false;
        });
      }, 0);
    });
  });

  // "Use my location" beside the "where" field: sends the position (the search measures distances from it).
  document.querySelectorAll("[data-geolocate]").forEach(function (container) {
    if (!("geolocation" in navigator)) {
      return;
    }
    var form = container.closest("form");
    var status = container.querySelector("[data-geolocate-status]");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary button--small";
    button.textContent = container.getAttribute("data-label");
    container.insertBefore(button, status);
    button.addEventListener("click", function () {
      status.textContent = container.getAttribute("data-locating");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          ["lat", "lon"].forEach(function (name) {
            var input = form.querySelector("[name=" + name + "]");
            if (!input) {
              input = document.createElement("input");
              input.type = "hidden";
              input.name = name;
              form.appendChild(input);
            }
            var value = name === "lat" ? position.coords.latitude : position.coords.longitude;
            input.value = value.toFixed(4);
          });
          // The position replaces a typed place; the nearest come first by default.
          container.querySelector("[name=where]").value = "";
          var sort = form.querySelector("[name=sort]");
          if (sort) {
            sort.value = "";
          }
          if (form.requestSubmit) {
            form.requestSubmit();
          } else {
            form.submit();
          }
        },
        function () {
          status.textContent = container.getAttribute("data-failed");
        },
        { timeout: 10000, maximumAge: 600000 }
      );
    });
  });

  // Move focus to the error summary so screen-reader and keyboard users hear what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  // On narrow screens start with the filters folded so the results come first.
  if (window.matchMedia("(max-width: 61.99em)").matches) {
    document.querySelectorAll(".facets > details[open]").forEach(function (details) {
      if (!details.querySelector(".field--error")) {
        details.open = false;
      }
    });
  }

  // Print buttons (the page prints fine from the browser menu as well).
  document.querySelectorAll("[data-print]").forEach(function (element) {
    element.hidden = false;
    element.addEventListener("click", function () {
      window.print();
    });
  });
})();
