// Check-in page: search as you type and one-tap check-in without reloading the page.
// Without this script the page still works: the search form and the buttons post normally.
(function () {
  "use strict";
  var searchForm = document.getElementById("check-in-search");
  var results = document.getElementById("check-in-results");
  if (!searchForm || !results) {
    return;
  }
  var input = searchForm.querySelector("input[name=q]");
  var searchUrl = searchForm.dataset.searchUrl;
  var timer = null;

  function updateCount(name, value) {
    var element = document.querySelector("#check-in-count [data-count=" + name + "]");
    if (element && value !== null) {
      element.textContent = value;
    }
  }
  var latest = 0;

  function search() {
    var ticket = ++latest;
    var url = searchUrl + "?q=" + encodeURIComponent(input.value.trim());
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (ticket === latest) {
          results.innerHTML = html;
        }
      })
      .catch(function () {
        searchForm.submit();
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 200);
  });
  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });

  results.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("check-in-form")) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    // form.action would be the button named "action"; read the attribute instead.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {
        "X-Requested-With": "fetch",
        "X-CSRFToken": data.get("csrfmiddlewaretoken")
      }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        updateCount("attended", response.headers.get("X-Checked-In"));
        updateCount("registered", response.headers.get("X-Registered"));
        return response.text();
      })
      .then(function (html) {
        var row = form.closest("li");
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        var fresh = template.content.firstElementChild;
        row.replaceWith(fresh);
        var button = fresh.querySelector("button");
        if (button) {
          button.focus();
        }
      })
      .catch(function () {
        // Fall back to an ordinary post, carrying the tapped button's value.
        if (event.submitter && event.submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = event.submitter.name;
          hidden.value = event.submitter.value;
          form.appendChild(hidden);
        }
        form.submit();
      });
  });
})();
