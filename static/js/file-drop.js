// A drop zone around each file input marked `data-file-drop` (the admin's document files):
// files dropped on it are chosen as if picked in the dialog, and the chosen files are listed
// with their sizes. Without this script the input works as usual.
(function () {
  "use strict";

  function describe(file) {
    var size = file.size < 1024 * 1024
      ? Math.max(1, Math.round(file.size / 1024)) + " KB"
      : (file.size / (1024 * 1024)).toFixed(1) + " MB";
    return file.name + " (" + size + ")";
  }

  function enhance(input) {
    var zone = document.createElement("div");
    zone.className = "file-drop";
    var hint = document.createElement("p");
    hint.className = "file-drop-hint";
    hint.textContent = input.dataset.fileDrop || "";
    var list = document.createElement("ul");
    list.className = "file-drop-list";
    list.setAttribute("aria-live", "polite");
    input.parentNode.insertBefore(zone, input);
    zone.appendChild(hint);
    zone.appendChild(input);
    zone.appendChild(list);

    function show() {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.textContent = describe(file);
        list.appendChild(item);
      });
    }

    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("file-drop-over");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("file-drop-over");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("file-drop-over");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) {
        return;
      }
      if (!input.multiple && files.length > 1) {
        var one = new DataTransfer();
        one.items.add(files[0]);
        files = one.files;
      }
      input.files = files;
      show();
    });
  }

  function start() {
    document.querySelectorAll("input[type=file][data-file-drop]").forEach(enhance);
  }

  // The admin loads its forms' scripts in the page's head, before the inputs exist.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
