// The composer: after "Preview", the preview (below the long form) is brought into view and
// its heading takes the focus, so that a screen reader reads it out. Without this script the
// preview is still there, further down the page.
(function () {
  "use strict";
  var heading = document.getElementById("preview-title");
  if (!heading) {
    return;
  }
  heading.scrollIntoView({ block: "start" });
  heading.focus({ preventScroll: true });
})();
