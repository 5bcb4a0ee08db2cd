// A table wider than the screen scrolls inside its .table-wrap; a region that scrolls must be
// reachable with the keyboard, so it gets a tab stop and a name (its table's caption) while,
// and only while, it is too wide. Without JavaScript the region still scrolls by touch or mouse.
(function () {
  "use strict";
  // A region's name: its table's caption, with the name of the part of the page it is in, made
  // unique on the page (landmarks with one name cannot be told apart).
  function name(wrap, used) {
    var caption = wrap.querySelector("caption");
    var label = caption ? caption.textContent.trim() : document.title;
    var part = wrap.parentElement && wrap.parentElement.closest("[aria-label]");
    if (part) { label = part.getAttribute("aria-label") + " – " + label; }
    var unique = label;
    for (var n = 2; used[unique]; n += 1) { unique = label + " (" + n + ")"; }
    used[unique] = true;
    return unique;
  }

  function update() {
    var used = {};
    var landmarks = "section[aria-label], section[aria-labelledby], [role=region], aside, nav";
    Array.prototype.forEach.call(document.querySelectorAll(landmarks), function (r) {
      if (r.dataset.scrollRegion) { return; }
      var by = r.getAttribute("aria-labelledby");
      var title = by && document.getElementById(by.split(" ")[0]);
      used[(r.getAttribute("aria-label") || (title ? title.textContent : "")).trim()] = true;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && wrap.dataset.scrollRegion) { used[wrap.getAttribute("aria-label")] = true; }
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name(wrap, used));
        wrap.dataset.scrollRegion = "1";
      } else if (!scrolls && wrap.dataset.scrollRegion) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        delete wrap.dataset.scrollRegion;
      }
    });
  }
  update();
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
})();
