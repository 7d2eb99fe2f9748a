// The desk's procedure picker: results follow the typing (the same server search as the "Find" button).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("find-procedure");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var input = form.querySelector("input[name=q]");
  var target = document.getElementById(form.dataset.pickerResults);
  var shown = input.defaultValue;  // the query whose results the server rendered
  var timer = null;
  var latest = 0;
  function refresh() {
    if (input.value === shown) { return; }
    var asked = ++latest;
    var query = input.value;
    fetch("?" + new URLSearchParams(new FormData(form)).toString(), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (asked !== latest) { return; }  // an older answer arriving late
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(target.id);
        if (fresh) { target.innerHTML = fresh.innerHTML; shown = query; }
      });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  refresh();  // typed before this script ran (a slow page)
});
