// Light progressive enhancement: every form works without this file.
(function () {
  "use strict";

  // Feedback buttons: send with fetch and update the page in place.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-feedback")) return;
    var button = event.submitter;
    if (!button || !window.fetch) return;
    event.preventDefault();
    var data = new FormData(form);
    data.set("decision", button.value);
    var status = form.querySelector(".decision");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (resp) {
      if (!resp.ok) throw new Error("HTTP " + resp.status);
      return resp.json();
    }).then(function (rec) {
      form.querySelectorAll("button[name=decision]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.value === rec.decision ? "true" : "false");
      });
      if (status) status.textContent = "Recorded: " + (rec.decision === "confirm" ? "confirmed" : "rejected");
    }).catch(function () {
      if (status) status.textContent = "Could not save; reload the page and try again.";
    });
  });

  // Score page: show only the fields of the chosen kind.
  function syncKind() {
    var chosen = document.querySelector("input[name=kind]:checked");
    if (!chosen) return;
    document.querySelectorAll("fieldset[data-kind]").forEach(function (fs) {
      fs.hidden = fs.getAttribute("data-kind") !== chosen.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.name === "kind") syncKind();
  });
  document.addEventListener("DOMContentLoaded", syncKind);
})();
