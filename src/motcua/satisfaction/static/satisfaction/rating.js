// A rating form is sent once: a second tap while the first is on its way does nothing (the server refuses a
// second rating anyway; this keeps the citizen from seeing "already rated" after their own double tap).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-once")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  form.classList.add("sending");
});
