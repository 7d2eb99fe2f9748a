// The guidance board on a TV: show one screen of procedures at a time, the next every data-seconds seconds.
// Plain script, no outside resources: the TV may sit on a closed network.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("screens");
  var screens = holder ? holder.querySelectorAll(".screen") : [];
  var number = document.getElementById("screen-number");
  var seconds = parseInt(holder && holder.getAttribute("data-seconds"), 10) || 15;
  var current = 0;
  if (screens.length < 2) { return; }
  window.setInterval(function () {
    screens[current].hidden = true;
    current = (current + 1) % screens.length;
    screens[current].hidden = false;
    if (number) { number.textContent = String(current + 1); }
  }, seconds * 1000);
});
