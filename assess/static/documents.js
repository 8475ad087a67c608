// The page of a PDF being made: reads its status when the server says it is worth it, shows the place in the
// queue or how far the render is, and starts the download when the PDF is ready. Without
// JavaScript the page reloads itself (a <noscript> refresh) and the reload downloads it.
(function () {
  "use strict";
  var box = document.querySelector("[data-document-status]");
  if (!box) return;
  var statusUrl = box.getAttribute("data-status-url");
  var downloadUrl = box.getAttribute("data-download-url");
  var heading = box.querySelector("[data-status-heading]");
  var message = box.querySelector("[data-status-message]");
  var note = box.querySelector("[data-status-note]");
  var progress = box.querySelector("[data-status-progress]");
  var retry = box.querySelector("[data-status-retry]");
  var ready = box.querySelector("[data-status-ready]");

  function show(status) {
    heading.textContent = status.heading;
    message.textContent = status.message;
    note.textContent = status.note;
    note.hidden = !status.note;
    document.title = document.title.replace(/^[^·]*·/, status.heading + " ·");
    progress.hidden = !status.waiting;
    if (typeof status.progress === "number") {
      progress.value = Math.round(status.progress * 100);
    } else {
      progress.removeAttribute("value");
    }
    retry.hidden = !status.retry;
    ready.hidden = status.state !== "ready";
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.state === "ready") {
          window.location.assign(downloadUrl);
        } else if (status.state === "absent") {
          window.location.reload(); // gone from the queue (e.g. restarted): ask again
        } else if (status.waiting) {
          window.setTimeout(poll, lookAgain(status.look_again));
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000); // a network hiccup: keep following
      });
  }

  // the server says when to look again: when a render should be done by its typical time
  // (at least 0.15 s, at most 1 s away), or in a second while queued
  function lookAgain(seconds) {
    var ms = Math.round(parseFloat(seconds) * 1000);
    return ms >= 100 && ms <= 5000 ? ms : 1000;
  }

  if (box.querySelector("[data-status-progress]:not([hidden])")) {
    window.setTimeout(poll, lookAgain(box.getAttribute("data-look-again")));
  }
})();
