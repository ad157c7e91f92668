/* Disclosure status: polls status.json and updates the progress in place (aria-live), then reloads into the
   result. Without JavaScript the page refreshes itself through a <noscript> meta refresh. */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var message = document.getElementById("status-message");
  var bar = document.getElementById("status-progress");
  var delay = 1000;
  var lastMessage = message ? message.textContent : "";

  function show(data) {
    var progress = data.progress || {};
    if (bar && progress.total) {
      bar.max = progress.total;
      bar.value = Math.min(progress.done || 0, progress.total);
      bar.textContent = (progress.done || 0) + " / " + progress.total;
    }
    // Only touch the live region when the sentence changes, so screen readers are not flooded.
    if (message && data.message && data.message !== lastMessage) {
      message.textContent = data.message;
      lastMessage = data.message;
    }
  }

  function schedule() { window.setTimeout(poll, delay); }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) { window.location.reload(); return; }
        delay = 1000;
        schedule();
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        schedule();
      });
  }

  schedule();
}());
