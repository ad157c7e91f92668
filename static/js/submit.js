/* Disclosure submission: lets people drop a file on the drop zone. The plain file input works without this. */
(function () {
  "use strict";
  var zone = document.querySelector("[data-drop-zone]");
  if (!zone || !window.DataTransfer) { return; }
  var input = zone.querySelector("input[type=file]");
  var hint = zone.querySelector("[data-drop-hint]");
  var status = zone.querySelector("[data-drop-status]");
  if (!input) { return; }
  if (hint) { hint.hidden = false; }

  function announce() {
    // The file name comes from the browser, so it is set as text, never as HTML.
    if (status) { status.textContent = input.files.length ? input.files[0].name : ""; }
  }

  function stop(event) { event.preventDefault(); event.stopPropagation(); }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { stop(event); zone.classList.add("is-dragover"); });
  });
  ["dragleave", "dragend"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("is-dragover"); });
  });
  zone.addEventListener("drop", function (event) {
    stop(event);
    zone.classList.remove("is-dragover");
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) { return; }
    var transfer = new DataTransfer();
    transfer.items.add(files[0]);
    input.files = transfer.files;
    announce();
    input.focus();
  });
  input.addEventListener("change", announce);
}());
