// Registry proof page: print and copy buttons (progressive enhancement; hidden until this script runs).
(function () {
  "use strict";
  var status = document.getElementById("registry-copy-status");

  document.querySelectorAll("[data-registry-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("[data-registry-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-registry-copy"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied") || "Copied."; }
      });
    });
  });
})();
