// Progressive enhancement: save the answer form in the background while someone types.
// Without JavaScript the Save button does the same.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var busy = false;
  var stopped = false;
  var lang = document.documentElement.lang;
  var text = lang === "en"
    ? { saving: "Saving…", saved: "Saved automatically at ", failed: "Not saved automatically: " }
    : { saving: "Sparar…", saved: "Sparat automatiskt ", failed: "Inte sparat automatiskt: " };

  function say(message) { if (status) { status.textContent = message; } }

  function save() {
    if (busy || stopped) { return; }
    busy = true;
    say(text.saving);
    fetch(form.dataset.autosave, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.redirected || !(response.headers.get("content-type") || "").includes("json")) {
        stopped = true;  // logged out: the Save button keeps the text through the login
        throw new Error(lang === "en" ? "press Save." : "tryck på Spara.");
      }
      return response.json().then(function (data) {
        if (!data.saved) {
          if (data.conflict) { stopped = true; }
          throw new Error(data.message);
        }
        Object.keys(data.versions || {}).forEach(function (name) {
          var input = form.elements.namedItem(name);
          if (input) { input.value = data.versions[name]; input.defaultValue = data.versions[name]; }
        });
        say(text.saved + new Date().toLocaleTimeString(lang));
      });
    }).catch(function (error) {
      say(text.failed + error.message);
    }).finally(function () { busy = false; });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 4000);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
})();
