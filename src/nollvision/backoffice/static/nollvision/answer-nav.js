// The answer page's measures are folded (<details>): a link to a measure, or to a field inside
// one, opens it (browsers without fragment navigation into closed details get it here).
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    // Never take the focus back from a field the person has already moved to inside it (the
    // event may arrive after they started typing).
    if (target.contains(document.activeElement)) { return; }
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }
  window.addEventListener("hashchange", openTarget);
  if (window.location.hash) { openTarget(); }
})();
