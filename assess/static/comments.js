// The enterprise's comments on its answers (templates/questions/_comment.html), saved in the
// background through the wizard's autosave endpoint, as {"comments": [{item, comment}]}. The
// boxes are hidden without JavaScript, so that nothing typed there is ever lost. A box typed in
// gets its form name, so that the page's own Save carries it too: after an expired session the
// page form is kept over the new login (web/kept_pages.py) with the comment in it.
(function () {
  "use strict";
  var root = document.querySelector(".wizard");
  var form = document.getElementById("page-form");
  if (!root || !form) return;
  var boxes = form.querySelectorAll("[data-comment-box]");
  if (!boxes.length) return;
  var url = root.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrf_token]");
  var expired = document.querySelector("[data-expired]");
  var queue = {};  // item -> the comment as typed (the latest wins)
  var timer = null;
  boxes.forEach(function (box) { box.hidden = false; });
  function send(leaving) {
    clearTimeout(timer);
    var items = Object.keys(queue);
    if (!items.length) return;
    var comments = items.map(function (item) { return { item: item, comment: queue[item] }; });
    queue = {};
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.value, "Accept": "application/json" },
      body: JSON.stringify({ comments: comments })
    }).then(function (response) {
      if (response.redirected || response.status === 401 || response.status === 400 || response.status === 403) {
        throw { expired: true };
      }
      if (!response.ok && response.status >= 500) throw response;
    }).catch(function (problem) {
      // keep what was typed: offline or a server hiccup, try again; the session expired, say
      // so (the page's Save keeps the comment, named, over the new login)
      comments.forEach(function (c) { if (!(c.item in queue)) queue[c.item] = c.comment; });
      if (problem && problem.expired) {
        if (expired) expired.hidden = false;
        return;
      }
      timer = setTimeout(send, 3000);
    });
  }
  form.addEventListener("input", function (event) {
    var item = event.target.getAttribute && event.target.getAttribute("data-comment");
    if (!item) return;
    event.target.name = event.target.getAttribute("data-comment-name");
    queue[item] = event.target.value;
    clearTimeout(timer);
    timer = setTimeout(send, 800);
  });
  window.addEventListener("pagehide", function () { send(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") send(true);
  });
})();
