// Progressive enhancement: save a form (the answer, the report's narrative) in the background
// while someone types.
// Without JavaScript the Save button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var busy = false;
  var pending = null;  // the save on its way, if any
  var stopped = false;
  var dirty = false;  // typed since the last save began
  var lang = document.documentElement.lang;
  var text = lang === "en"
    ? { saving: "Saving…", saved: "Saved automatically at ", failed: "Not saved automatically: ",
        unsaved: "Unsaved changes: saved automatically in a moment" }
    : { saving: "Sparar…", saved: "Sparat automatiskt ", failed: "Inte sparat automatiskt: ",
        unsaved: "Osparade ändringar: sparas automatiskt om en stund" };

  function say(message, unsaved) {
    if (status) { status.textContent = message; status.classList.toggle("unsaved", !!unsaved); }
  }

  // Messages beside the fields they belong to (the server names each field); cleared when the
  // next save goes through. What is typed stays on the screen either way.
  function clearFieldErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".autosave-error"), function (node) {
      var input = document.getElementById(node.dataset.for);
      if (input) { input.removeAttribute("aria-invalid"); }
      node.remove();
    });
  }

  function showFieldErrors(errors) {
    clearFieldErrors();
    Object.keys(errors || {}).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input || !input.id) { return; }
      var note = document.createElement("p");
      note.className = "error autosave-error";
      note.id = input.id + "_autosave_error";
      note.dataset.for = input.id;
      note.textContent = errors[name].join(" ");
      input.setAttribute("aria-invalid", "true");
      input.insertAdjacentElement("afterend", note);
    });
  }

  // The parts that wait (refused with a message while the rest was saved), named at the top
  // with a link to each; hidden again once nothing waits.
  var summary = document.getElementById("waiting-summary");
  function showWaiting(waiting) {
    if (!summary) { return; }
    var list = summary.querySelector("ul");
    list.textContent = "";
    (waiting || []).forEach(function (part) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = part.href;
      link.textContent = part.text;
      item.appendChild(link);
      item.appendChild(document.createTextNode(": " + part.message));
      list.appendChild(item);
    });
    summary.hidden = !(waiting && waiting.length);
  }
  // After a Save that left parts waiting the page names them in its own summary; a later save
  // with nothing waiting makes that list out of date.
  function clearSavedSummary(waiting) {
    var saved = document.getElementById("error-summary");
    if (saved && !(waiting && waiting.length)) { saved.hidden = true; }
  }

  function save() {
    if (busy || stopped) { return; }
    busy = true;
    dirty = false;  // what is typed from now on is a change of its own
    say(text.saving);
    pending = fetch(form.dataset.autosave, {
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
        // The parts that were saved get their new versions, also when another part waits.
        Object.keys(data.versions || {}).forEach(function (name) {
          var input = form.elements.namedItem(name);
          if (input) { input.value = data.versions[name]; input.defaultValue = data.versions[name]; }
        });
        showFieldErrors(data.errors);
        showWaiting(data.waiting);
        if (data.saved) { clearSavedSummary(data.waiting); }
        if (!data.saved) {
          if (data.conflict) { stopped = true; }
          throw new Error(data.message);
        }
        if (data.waiting && data.waiting.length) { say(data.message, true); return; }
        say(text.saved + new Date().toLocaleTimeString(lang));
      });
    }).catch(function (error) {
      say(text.failed + error.message);
    }).finally(function () { busy = false; pending = null; });
  }

  // Saving with the button while a background save is on its way would send the versions from
  // before it, and be refused as a conflict with oneself: wait for it, then send the form.
  // Sends `target` again with the button that was pressed once the save on its way has ended.
  function sendAfterSave(target, event) {
    event.preventDefault();
    var button = event.submitter;
    (pending || Promise.resolve()).then(function () {
      if (target.requestSubmit) { target.requestSubmit(button); } else { target.submit(); }
    });
  }

  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (busy && pending) { sendAfterSave(form, event); return; }
    stopped = true;  // no background save while the page is being sent
  });

  // A step of the answer (sending it on: the workflow's buttons, forms of their own) while the
  // form holds changes: they are saved first. The confirmation is then told how many parts
  // still wait for a correction, so that it says those are not in what is sent.
  Array.prototype.forEach.call(document.querySelectorAll("form.action-form"), function (step) {
    step.addEventListener("submit", function (event) {
      if (!stopped && (dirty || busy)) {
        clearTimeout(timer);
        if (!busy) { save(); }  // clears `dirty`: the step goes on once this save has ended
        sendAfterSave(step, event);
        return;
      }
      var field = step.querySelector("input[name=waiting]");
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = "waiting";
        step.appendChild(field);
      }
      field.value = [summary, document.getElementById("error-summary")].reduce(function (n, box) {
        return n + (box && !box.hidden ? box.querySelectorAll("li").length : 0);
      }, 0);
    });
  });

  form.addEventListener("input", function () {
    dirty = true;
    if (!busy && !stopped) { say(text.unsaved, true); }
    clearTimeout(timer);
    timer = setTimeout(save, 4000);
  });
  form.addEventListener("change", function () {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
})();
