// Small enhancements only: every page works without JavaScript.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) { window.print(); }
});
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});
// A form marked data-send-once is sent once: its buttons are disabled while the page loads, so a
// second tap on a slow network sends nothing (the server also answers a repeated form token with the
// first dossier). Disabled after the event, so the pressed button's name and value are still sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-send-once")) { return; }
  if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
  form.setAttribute("aria-busy", "true");
  var pressed = event.submitter;
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
    if (pressed && form.dataset.sending) { pressed.textContent = form.dataset.sending; }
  }, 0);
});
// Coming back with the browser's Back button shows the page from cache: make it usable again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-send-once][aria-busy=true]").forEach(function (form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });
});
// Documents of a submission page follow the chosen case and the e-form's answers (the server decides
// the same way when the page is sent; without JavaScript every document is listed with its condition).
(function () {
  function answer(form, field) {
    var input = form.querySelector('[name="eform-' + field + '"]');
    if (!input) { return undefined; }
    if (input.type === "checkbox") { return input.checked; }
    return input.value === "" ? undefined : input.value;
  }
  function update(form) {
    var chosen = form.querySelector('input[name="case"]:checked');
    form.querySelectorAll("[data-document]").forEach(function (row) {
      var cases = (row.dataset.cases || "").split(" ").filter(Boolean);
      var shown = !chosen || cases.length === 0 || cases.indexOf(chosen.value) >= 0;
      var star = row.querySelector(".req");
      if (row.dataset.condition) {
        var test = JSON.parse(row.dataset.condition);
        var given = answer(form, test.field);
        var holds = given === undefined ? undefined : String(given) === String(test.equals);
        if (holds === false) { shown = false; }
        if (star) { star.hidden = holds !== true; }
      }
      row.hidden = !shown;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-document]")) { return; }
      form.addEventListener("change", function () { update(form); });
      update(form);
    });
  });
})();
// A document taken from the data store needs no file: its upload input is hidden while a stored
// document is chosen (without JavaScript both stay visible, and the server does not send the file).
(function () {
  function sync(group) {
    var chosen = group.querySelector("input[type=radio]:checked");
    var upload = group.parentElement.querySelector("[data-upload]");
    if (upload) { upload.hidden = Boolean(chosen && chosen.value); }
  }
  document.addEventListener("change", function (event) {
    var group = event.target.closest && event.target.closest("[data-reuse]");
    if (group) { sync(group); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-reuse]").forEach(sync);
  });
})();
