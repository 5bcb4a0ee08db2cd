// Progressive enhancement: a filter box above long lists of checkboxes (choosing measures).
// Without JavaScript the whole list is shown, as it is.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-choices]"), function (input) {
    var list = document.getElementById(input.dataset.filterChoices);
    if (!list) { return; }
    input.closest(".choice-filter").hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(list.querySelectorAll("input[type=checkbox]"), function (box) {
        var label = box.closest("label") || box.parentNode;
        var row = label.parentNode.tagName === "DIV" ? label.parentNode : label;
        row.hidden = words !== "" && !box.checked && label.textContent.toLowerCase().indexOf(words) === -1;
      });
    });
  });
})();
