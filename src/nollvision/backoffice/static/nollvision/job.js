// A job's page follows the job by itself (progressive enhancement): every two seconds it reads
// the page again and puts the new state into the status region (announced politely), until the
// job has finished. Without JavaScript the page's refresh link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-poll]");
  if (!box || !window.fetch || !window.DOMParser) {
    return;
  }
  var url = box.getAttribute("data-job-poll");
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector(".job");
        if (!fresh) {
          return;
        }
        box.className = fresh.className;
        box.innerHTML = fresh.innerHTML;
        var facts = page.querySelector("dl.facts");
        var mine = document.querySelector("dl.facts");
        if (facts && mine) {
          mine.innerHTML = facts.innerHTML;
        }
        if (fresh.hasAttribute("data-job-poll")) {
          window.setTimeout(poll, 2000);
        } else {
          box.removeAttribute("data-job-poll");
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 2000);
})();
