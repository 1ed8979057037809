// The registration form's visa details (meetings/papers/visa_forms.py): shown while the box
// "I need a letter of invitation for my visa" is ticked, hidden otherwise. Without this file
// they are always shown, and checked only when the box is ticked.
(function () {
  "use strict";
  var box = document.getElementById("id_needs_visa");
  var details = document.getElementById("visa-details");
  if (!box || !details) {
    return;
  }
  function show() {
    details.hidden = !box.checked;
  }
  box.setAttribute("aria-controls", "visa-details");
  box.addEventListener("change", show);
  show();
})();
