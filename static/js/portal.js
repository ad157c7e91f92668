// Portal: progressive enhancement only. Without JavaScript the token stays selectable in its read-only field.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value).then(function () {
        button.textContent = button.getAttribute("data-copied-label") || button.textContent;
      }, function () {
        target.select();
      });
    });
  });
  document.querySelectorAll(".token-key").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
