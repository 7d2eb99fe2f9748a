// The guidance board on a TV: show one screen of procedures at a time, the next every data-seconds seconds.
// Plain script, no outside resources: the TV may sit on a closed network. Once an hour, back at the first
// screen, the page reloads so that a change to the catalog reaches the TV without anyone touching it.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("screens");
  var screens = holder ? holder.querySelectorAll(".screen") : [];
  var number = document.getElementById("screen-number");
  var seconds = parseInt(holder && holder.getAttribute("data-seconds"), 10) || 15;
  var started = Date.now();
  var current = 0;
  window.setInterval(function () {
    var next = (current + 1) % Math.max(screens.length, 1);
    if (next === 0 && Date.now() - started > 3600 * 1000) { window.location.reload(); return; }
    if (screens.length < 2) { return; }
    screens[current].hidden = true;
    screens[next].hidden = false;
    current = next;
    if (number) { number.textContent = String(current + 1); }
  }, seconds * 1000);
});
