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
