/* The nomination form, enhanced when scripts run (the form works without them):
 * - member organizations: a search-as-you-type select (Tom Select, vendored);
 * - "replaces": only the contact persons of the chosen organization are offered. */
(function () {
  "use strict";

  function enhanceSearchSelects() {
    if (typeof TomSelect === "undefined") return;
    document.querySelectorAll("select[data-search-select]").forEach(function (select) {
      var searchSelect = new TomSelect(select, {
        create: false,
        allowEmptyOption: false,
        maxOptions: null,
        placeholder: select.querySelector("option[value='']")?.textContent || "",
        sortField: [{ field: "$score" }, { field: "text" }],
        render: {
          // In the page's language (the form's data-no-results), not Tom Select's English.
          no_results: function () {
            var message = document.createElement("div");
            message.className = "no-results";
            message.textContent = select.dataset.noResults || "";
            return message;
          },
        },
      });
      // Tom Select points the field's label at its own search box; the original select,
      // still in the accessibility tree, keeps the same label through its id.
      var label = document.getElementById(select.id + "-ts-label");
      if (label) select.setAttribute("aria-labelledby", label.id);
      // The search box is what keyboard and screen reader reach: it says what the select
      // says (required, in error, and the error's text).
      ["aria-required", "aria-invalid", "aria-describedby"].forEach(function (name) {
        var value = select.getAttribute(name);
        if (value !== null) searchSelect.control_input.setAttribute(name, value);
      });
    });
  }

  function filterByOrganization(select) {
    var source = document.getElementById(select.dataset.filterBy);
    if (!source) return;
    var all = Array.prototype.map.call(select.options, function (option) {
      return option.cloneNode(true);
    });
    function apply() {
      var chosen = source.value;
      var current = select.value;
      select.replaceChildren();
      all.forEach(function (option) {
        var orgs = (option.dataset.organizations || "").split(" ");
        if (option.value === "" || (chosen && orgs.indexOf(chosen) !== -1)) {
          select.appendChild(option.cloneNode(true));
        }
      });
      select.value = current;
      if (select.value !== current) select.value = "";
      select.disabled = select.options.length <= 1;
    }
    source.addEventListener("change", apply);
    apply();
    // A disabled select is not submitted; that is the same as choosing nobody.
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-filter-by]").forEach(filterByOrganization);
    enhanceSearchSelects();
  });
})();
