// A "Print" button on printable pages (kept out of the page: no inline scripts).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
