/* The desk queue's screens (portal/queue_views.py). No framework, no external resource. */
(function () {
  "use strict";
  var AUTOPRINT = "motcua.queue.autoprint";

  function storage() { try { return window.localStorage; } catch (e) { return null; } }

  // Kiosk: one tap, one submit (the server also ignores a second tap within 2 s from this device).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      document.querySelectorAll("form[data-once] button").forEach(function (b) { b.disabled = true; });
    });
  });
  var autoprint = document.getElementById("autoprint");
  if (autoprint) {
    var store = storage();
    autoprint.checked = !!(store && store.getItem(AUTOPRINT) === "1");
    autoprint.addEventListener("change", function () {
      if (store) { store.setItem(AUTOPRINT, autoprint.checked ? "1" : "0"); }
    });
  }
  // Ticket: print on request (or at once when the kiosk says so), then back to the buttons.
  var printButton = document.querySelector("[data-print-button]");
  if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
  if (document.querySelector("[data-print]")) {
    var s = storage();
    if (s && s.getItem(AUTOPRINT) === "1") { window.setTimeout(function () { window.print(); }, 300); }
  }
  var back = document.querySelector("[data-back-after]");
  if (back) {
    window.setTimeout(function () { window.location.href = back.href; }, 1000 * Number(back.dataset.backAfter));
  }

  // Display: poll the feed, redraw, flash and beep when the latest call changes.
  var display = document.getElementById("display");
  if (!display) { return; }
  var latestKey = null;
  var audio = null;
  var sound = document.getElementById("sound");
  sound.addEventListener("click", function () {
    // Browsers start audio only after a gesture: the button is that gesture.
    if (!audio) {
      var Context = window.AudioContext || window.webkitAudioContext;
      audio = Context ? new Context() : null;
    }
    var on = sound.getAttribute("aria-pressed") !== "true";
    sound.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) { beep(); }
  });

  function beep() {
    if (!audio || sound.getAttribute("aria-pressed") !== "true") { return; }
    [0, 0.35].forEach(function (offset, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = i ? 660 : 880;
      gain.gain.setValueAtTime(0.25, audio.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + offset + 0.3);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(audio.currentTime + offset); osc.stop(audio.currentTime + offset + 0.3);
    });
  }

  function cell(row, text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); }

  function draw(data) {
    var calls = data.calls || [];
    var latest = calls[0];
    document.getElementById("latest-number").textContent = latest ? latest.label : "—";
    document.getElementById("latest-counter").textContent = latest ? latest.counter : "—";
    var body = document.getElementById("calls");
    body.textContent = "";
    calls.forEach(function (call, i) {
      var row = document.createElement("tr");
      if (i === 0) { row.className = "latest"; }
      cell(row, call.label); cell(row, call.counter); cell(row, call.at);
      body.appendChild(row);
    });
    document.getElementById("waiting-count").textContent = data.waiting;
    var key = latest ? latest.key : "";
    if (latestKey !== null && key && key !== latestKey) {
      var box = document.querySelector(".display-latest");
      box.classList.remove("flash"); void box.offsetWidth; box.classList.add("flash");
      beep();
    }
    latestKey = key;
  }

  function poll() {
    fetch(display.dataset.feed, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* the network blinked: the next poll tries again */ })
      .then(function () { window.setTimeout(poll, Number(display.dataset.every) || 2000); });
  }
  poll();
})();
