/* A form sent back with errors (templates/includes/error_summary.html): the focus moves to
 * the first field in error, and each link of the summary moves it to its field. Without
 * scripts the summary is there all the same, and the first field in error has `autofocus`.
 * A select that a script replaced (Tom Select, static/js/nomination-form.js) is hidden; its
 * search box, `<id>-ts-control`, takes the focus in its place. */
(function () {
  "use strict";

  function control(id) {
    return document.getElementById(id + "-ts-control") || document.getElementById(id);
  }

  function focusField(id) {
    var field = control(id);
    if (!field) return false;
    field.focus();
    return document.activeElement === field;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (!summary) return;
    var links = summary.querySelectorAll("a[data-error-field]");
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (focusField(link.hash.slice(1))) event.preventDefault();
      });
    });
    if (!links.length || !focusField(links[0].hash.slice(1))) summary.focus();
  });
})();
