// A batch of papers' page: while the worker makes it, its progress is asked for again every
// few seconds from the JSON address the block names ("120 of 480"); once it is done, the
// download link shows, and once it has failed, the page is loaded again to show why. Without
// this script the page shows the progress as it was when loaded.
(function () {
  "use strict";
  function start() {
    var block = document.querySelector("#paper-batch[data-status-url]");
    if (!block) {
      return;
    }
    var url = block.dataset.statusUrl;
    var seconds = parseInt(block.dataset.refreshSeconds, 10) || 2;
    var timer = null;

    function field(name) {
      return block.querySelector("[data-field=" + name + "]");
    }

    function text(name, value) {
      var element = field(name);
      if (element && element.textContent !== String(value)) {
        element.textContent = value;
      }
    }

    function show(batch) {
      text("status", batch.status_label.charAt(0).toUpperCase() + batch.status_label.slice(1));
      text("done", batch.done);
      text("total", batch.total);
      var progress = field("progress");
      if (progress) {
        progress.max = batch.total || 1;
        progress.value = batch.done;
      }
      var skipped = field("skipped");
      if (skipped && batch.skipped) {
        text("skipped-count", batch.skipped);
        skipped.hidden = false;
      }
      block.dataset.status = batch.status;
      if (!batch.running) {
        window.clearInterval(timer);
        if (batch.download_url) {
          var download = field("download");
          download.querySelector("a").href = batch.download_url;
          download.hidden = false;
        } else {
          field("reload").hidden = false;
        }
        var running = block.querySelector(".paper-batch-running");
        if (running) {
          running.hidden = true;
        }
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
        .then(show)
        .catch(function () {
          // Signed out or offline: keep the last figures; the next tick tries again.
        });
    }

    timer = window.setInterval(refresh, seconds * 1000);
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
