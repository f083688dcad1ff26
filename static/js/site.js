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

  // "Add to comparison" / "Remove from comparison" on result cards without a reload: fetch the page the link
  // leads to, swap the regions that depend on the choice (the card's toggle, the tray), copy the links' new
  // addresses (they carry ?compare=), announce the change and update the address bar. Without this script the
  // link reloads the page at the card (#service-…).
  var compareStatus = document.getElementById("compare-status");

  function linksOutsideRegions(root) {
    return Array.prototype.filter.call(root.querySelectorAll("a[href]"), function (link) {
      return !link.closest("[data-compare-region]");
    });
  }

  function syncCompareInput(fresh) {
    var current = document.querySelector("form input[name=compare]");
    var next = fresh.querySelector("form input[name=compare]");
    if (next && current) {
      current.value = next.value;
    } else if (next) {
      var form = document.querySelector("form.search-form");
      if (form) {
        form.appendChild(document.importNode(next, true));
      }
    } else if (current) {
      current.remove();
    }
  }

  function announce(text) {
    if (!compareStatus) {
      return;
    }
    compareStatus.textContent = "";
    window.setTimeout(function () {
      compareStatus.textContent = text;
    }, 100);
  }

  function toggleCompare(link) {
    var url = new URL(link.href, window.location.href);
    url.hash = "";
    var region = link.closest("[data-compare-region][id]");
    var regionId = region ? region.id : null;
    var message = link.getAttribute("data-compare-message") || "";
    link.setAttribute("aria-disabled", "true");
    return fetch(url.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var oldLinks = linksOutsideRegions(document);
        var newLinks = linksOutsideRegions(fresh);
        if (oldLinks.length !== newLinks.length || !fresh.getElementById("compare-tray")) {
          throw new Error("The page changed; load it instead.");
        }
        fresh.querySelectorAll("[data-compare-region][id]").forEach(function (next) {
          var current = document.getElementById(next.id);
          if (current) {
            current.replaceWith(document.importNode(next, true));
          }
        });
        oldLinks.forEach(function (old, index) {
          var href = newLinks[index].getAttribute("href");
          if (old.getAttribute("href") !== href) {
            old.setAttribute("href", href);
          }
        });
        syncCompareInput(fresh);
        window.history.replaceState(window.history.state, "", url.pathname + url.search);
        var heading = document.querySelector("#compare-tray h2");
        var count = heading ? heading.textContent.replace(/\s+/g, " ").trim() : compareStatus.getAttribute("data-none");
        announce(message + " " + count);
        var toggle = regionId && document.querySelector("#" + regionId + " [data-compare-toggle]");
        if (toggle) {
          toggle.focus({ preventScroll: true });
        }
      })
      .catch(function () {
        window.location.assign(link.href);
      });
  }

  if (compareStatus && window.fetch && window.DOMParser && window.history.replaceState) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-compare-toggle]");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      if (link.getAttribute("aria-disabled") !== "true") {
        toggleCompare(link);
      }
    });
  }

  // The comparison's "Show only the differences" / "Show all details" switch rows without a reload.
  var compareTable = document.querySelector(".compare-table");
  document.querySelectorAll("[data-compare-show]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!compareTable) {
        return;
      }
      event.preventDefault();
      var onlyDifferences = link.getAttribute("data-compare-show") === "differences";
      compareTable.querySelectorAll("[data-same]").forEach(function (element) {
        element.hidden = onlyDifferences;
      });
      document.querySelectorAll("[data-compare-show]").forEach(function (other) {
        other.hidden = other === link;
        if (other !== link) {
          other.focus();
        }
      });
      var url = new URL(link.href, window.location.href);
      window.history.replaceState(window.history.state, "", url.pathname + url.search);
    });
  });

  // Print buttons (the page prints fine from the browser menu as well).
  document.querySelectorAll("[data-print]").forEach(function (element) {
    element.hidden = false;
    element.addEventListener("click", function () {
      window.print();
    });
  });
})();
