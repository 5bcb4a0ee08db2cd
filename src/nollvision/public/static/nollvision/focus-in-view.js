// A field that takes the focus is shown whole: the page's sticky bars (the quick exit above, the
// answer form's status or save bar below) must not cover it. Browsers scroll a focused field into
// view only when none of it shows, and `scroll-padding` (site.css) does not help a field that is
// half under a bar. Without JavaScript the bars stay where they are and the page scrolls as usual.
(function () {
  "use strict";
  var BOTTOM = ".status-bar, .save-bar, .review-bar";
  var TOP = ".quick-exit";
  var GAP = 8;
  // Only a focus moved with the keyboard: scrolling under a pointer between its press and its
  // release would move the page away from what it pressed, and the click would be lost.
  var byKeyboard = false;
  document.addEventListener("keydown", function () { byKeyboard = true; }, true);
  document.addEventListener("pointerdown", function () { byKeyboard = false; }, true);

  // The edge of a bar that is stuck to the screen now (sticky or fixed, at the screen's edge),
  // or null: a bar that scrolls with the page, or one not shown, covers nothing.
  function stuck(selector, side) {
    var bar = document.querySelector(selector);
    if (!bar || bar.offsetParent === null) { return null; }
    var position = window.getComputedStyle(bar).position;
    if (position !== "sticky" && position !== "fixed") { return null; }
    var box = bar.getBoundingClientRect();
    if (side === "top" && Math.abs(box.bottom - window.innerHeight) > 2) { return null; }
    if (side === "bottom" && Math.abs(box.top) > 2) { return null; }
    return box[side];
  }

  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (!byKeyboard || !field || !field.closest || field === document.body) { return; }
    // The bars' own controls and the contents column move with them: nothing to uncover.
    if (field.closest(BOTTOM + ", " + TOP + ", .toc")) { return; }
    var box = field.getBoundingClientRect();
    var below = stuck(BOTTOM, "top");
    var above = stuck(TOP, "bottom") || 0;
    if (below !== null && box.bottom > below - GAP && box.top < below && box.height < below - above) {
      window.scrollBy(0, box.bottom - below + GAP);
    } else if (above && box.top < above && box.bottom > 0) {
      window.scrollBy(0, box.top - above - GAP);
    }
  });
}());
