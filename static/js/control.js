// A meeting's control page: while check-in is open, the count (attended of registered) is
// asked for again every few seconds from the JSON address the paragraph names. Without this
// script the page shows the count as it was when loaded.
(function () {
  "use strict";
  function start() {
    var count = document.querySelector("#check-in-count[data-live-url]");
    if (!count) {
      return;
    }
    var url = count.dataset.liveUrl;
    var seconds = parseInt(count.dataset.refreshSeconds, 10) || 20;

    function show(name, value) {
      var element = count.querySelector("[data-count=" + name + "]");
      if (element && typeof value === "number" && element.textContent !== String(value)) {
        element.textContent = value;
      }
    }

    function refresh() {
      if (document.hidden) {
        return;
      }
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (figures) {
          show("attended", figures.attended);
          show("registered", figures.registered);
          count.dataset.refreshedAt = new Date().toISOString();
        })
        .catch(function () {
          // Signed out or offline: keep the last count; the next tick tries again.
        });
    }

    window.setInterval(refresh, seconds * 1000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        refresh();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
