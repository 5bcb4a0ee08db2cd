// Quick exit: the button, or Escape pressed twice, replaces this page with a neutral site.
// location.replace() keeps this page out of the tab's back history; earlier pages of the site may
// stay there, which the "browse more safely" page explains. Without JavaScript the button is a
// link to /lamna/, which redirects (for a logged-in person a form whose POST also logs out).
(function () {
  "use strict";
  var button = document.querySelector(".quick-exit__button");
  if (!button) { return; }
  var target = button.getAttribute("data-target");
  var lastEscape = 0;
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(target);
  }
  button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 2000) { leave(event); }
    lastEscape = now;
  });
})();
