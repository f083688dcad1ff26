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

  // "Use my location": fills the hidden lat/lon fields and sorts by distance.
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
          form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(4);
          form.querySelector("[name=lon]").value = position.coords.longitude.toFixed(4);
          var sort = form.querySelector("[name=sort]");
          if (sort && !sort.querySelector("option[value=distance]")) {
            var option = document.createElement("option");
            option.value = "distance";
            option.textContent = container.getAttribute("data-distance-label");
            sort.appendChild(option);
          }
          if (sort) {
            sort.value = "distance";
          }
          form.submit();
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

  // A link focused in a sideways-scrolling table (the comparison) starts just right of its sticky row headers (CSS
  // scroll-padding keeps their width free): the browser alone scrolls only what is wholly out of sight.
  document.addEventListener("focusin", function (event) {
    var region = event.target.closest && event.target.closest(".compare-scroll");
    if (region && event.target !== region) {
      event.target.scrollIntoView({ block: "nearest", inline: "start" });
    }
  });
})();
