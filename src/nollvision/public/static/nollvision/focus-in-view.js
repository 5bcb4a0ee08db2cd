// A field that takes the focus is shown whole: the page's sticky bars (the quick exit above, the
// answer form's status or save bar below) must not cover it. Browsers scroll a focused field into
// view only when none of it shows, and `scroll-padding` (site.css) does not help a field that is
// half under a bar. Without JavaScript the bars stay where they are and the page scrolls as usual.
(function () {
  "use strict";
  var BOTTOM = ".status-bar, .save-bar, .review-bar";
  var TOP = ".quick-exit";
  var GAP = 8;

  function edge(selector, side) {
    var bar = document.querySelector(selector);
    if (!bar || bar.offsetParent === null) { return null; }
    return bar.getBoundingClientRect()[side];
  }

  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (!field || field === document.body || !field.getBoundingClientRect) { return; }
    var box = field.getBoundingClientRect();
    var below = edge(BOTTOM, "top");
    var above = edge(TOP, "bottom") || 0;
    if (below !== null && box.bottom > below - GAP && box.height < below - above) {
      window.scrollBy(0, box.bottom - below + GAP);
    } else if (box.top < above + GAP && box.bottom > 0) {
      window.scrollBy(0, box.top - above - GAP);
    }
  });
}());
