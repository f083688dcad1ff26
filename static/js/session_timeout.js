// The sign-out warning of staff and partner sessions (templates/includes/session_timeout.html, organisations/staff.py).
// Such a session ends after data-idle-seconds without a request. data-warn-seconds before that, the box appears and
// takes focus; "Stay signed in" sends one request to the keep-alive address, which counts as activity. When the time
// is up, the page reloads and shows the sign-in page.
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) {
    return;
  }
  var idle = Number(box.dataset.idleSeconds) * 1000;
  var warnBefore = Number(box.dataset.warnSeconds) * 1000;
  var button = box.querySelector("[data-keepalive]");
  var token = box.querySelector("input[name=csrfmiddlewaretoken]");
  var warnTimer = null;
  var endTimer = null;

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    box.hidden = true;
    warnTimer = window.setTimeout(warn, Math.max(0, idle - warnBefore));
    endTimer = window.setTimeout(function () {
      window.location.reload();
    }, idle + 1000);
  }

  function warn() {
    box.hidden = false;
    button.focus();
  }

  button.addEventListener("click", function () {
    window
      .fetch(box.dataset.keepaliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value },
      })
      .then(function (response) {
        if (response.ok) {
          schedule();
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.location.reload();
      });
  });

  schedule();
})();
