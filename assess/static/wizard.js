// Autosave for the questionnaire wizard. Every change is saved in the background with the
// revision it proposes (one more than the last one seen), so retries change nothing and a late
// older save never overwrites a newer one. Without JavaScript the page form saves on every
// move; with it, the page form still works and carries the revisions kept up to date here.
(function () {
  "use strict";
  var root = document.querySelector(".wizard");
  var form = document.getElementById("page-form");
  if (!root || !form) return;
  var url = root.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrf_token]");
  var status = document.querySelector("[data-save-status]");
  var expired = document.querySelector("[data-expired]");
  var queue = {};          // item -> entry waiting to be sent (the latest change wins)
  var evidenceQueue = {};  // item -> evidence (on site: note, quality, verified, shown)
  // item -> the evidence token a note kept in this browser was typed on, when it is not the
  // page's own (restored after a reload, or typed on while a note saved elsewhere came in)
  var evidenceBase = {};
  var inFlight = null;     // the batch being sent (the last one: leaving sends while one is)
  var inFlightKept = false;  // sent to outlive the page
  var timer = null;
  var retryDelay = 1000;
  var failing = false;     // the last save failed (offline, logged out…): leaving warns
  var typing = {};         // item (or "evidence:" item) -> typed, queued once typing pauses
  var KEEPALIVE_BYTES = 60000;  // a browser carries at most 64 KB of bodies past the page's end
  // the page's own words, in its language, from the gettext catalogues (templates/wizard/page.html)
  var messages = {
    saving: root.getAttribute("data-message-saving"),
    saved: root.getAttribute("data-message-saved"),
    refused: root.getAttribute("data-message-refused"),
    offline: root.getAttribute("data-message-offline"),
    changed: root.getAttribute("data-message-changed"),
    changedBy: root.getAttribute("data-message-changed-by"),
    changedByStatus: root.getAttribute("data-message-changed-by-status"),
    useMine: root.getAttribute("data-message-use-mine"),
    gone: root.getAttribute("data-message-gone"),
    waiting: root.getAttribute("data-message-waiting"),
    conflict: root.getAttribute("data-message-conflict"),
    noteConflict: root.getAttribute("data-message-note-conflict"),
    noteRefused: root.getAttribute("data-message-note-refused")
  };

  function revField(item) { return form.querySelector("[data-revision='" + item + "']"); }
  function question(item) { return form.querySelector(".question[data-item='" + item + "']"); }
  function setStatus(text) { if (status) status.textContent = text; }

  function typed(input) { return input.type === "text"; }  // a number or a year

  function valueOf(item) {
    var inputs = form.querySelectorAll("[data-answer='" + item + "']");
    var checked = [];
    var multi = false;
    var text = null;
    inputs.forEach(function (input) {
      if (typed(input)) { text = input.value.trim() || null; return; }
      if (input.type === "checkbox") multi = true;
      if (input.checked) checked.push(input.value);
    });
    if (text !== null) return text;  // an empty box is not an answer: nothing is sent
    return multi ? checked : (checked[0] || null);
  }

  function reasonOf(item) {
    var box = form.querySelector("[data-reason='" + item + "']");
    return box ? box.value : "";
  }

  function showReason(item) {
    var wrapper = form.querySelector("[data-reason-for='" + item + "']");
    if (!wrapper) return;
    wrapper.hidden = valueOf(item) !== wrapper.getAttribute("data-reason-when");
  }

  function change(item) {
    var field = revField(item);
    var revision = parseInt(field.value, 10) || 1;
    field.value = String(revision + 1);
    queue[item] = { item: item, value: valueOf(item), reason: reasonOf(item), revision: revision };
    keepLocally("a", queue[item]);
    showReason(item);
    markSelfDifference(item);
    schedule(300);
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(function () { flush(); }, delay);
  }

  // The evidence as the page showed it (answering.evidence_shown), sent with each change: the
  // server writes only what changed here, and keeps a note saved elsewhere meanwhile beside ours.
  function wasField(item) { return form.querySelector("input[data-evidence-was='" + item + "']"); }
  function shownOf(item) {
    if (evidenceBase[item]) return evidenceBase[item];
    var was = wasField(item);
    return was ? was.value : "";
  }

  function evidenceOf(item) {
    var note = form.querySelector("textarea[data-evidence='" + item + "']");
    var quality = form.querySelector("select[data-evidence='" + item + "']");
    var verified = form.querySelector("input[type=checkbox][data-evidence='" + item + "']");
    return { item: item, note: note ? note.value : "", quality: quality ? quality.value : "",
             verified: verified ? verified.checked : false, shown: shownOf(item) };
  }

  // Sends what is queued. Leaving the page (`leaving`), it goes at once, what is in flight sent
  // again with it (the same revision changes nothing twice), in a request that outlives the page;
  // false when it is too large for one, unless `anyway` (nothing can warn any more), or when
  // saves are failing (sent all the same: it may get through).
  function flush(leaving, anyway) {
    if (inFlight && !leaving) return true;
    var items = Object.keys(queue).filter(function (k) { return queue[k].value !== null; });
    var notes = Object.keys(evidenceQueue);
    var batch = items.map(function (k) { return queue[k]; });
    if (leaving && inFlight && !inFlightKept) {
      batch = batch.concat(inFlight.filter(function (entry) { return items.indexOf(entry.item) === -1; }));
    }
    if (!batch.length && !notes.length) return true;
    var evidence = notes.map(function (k) { return evidenceQueue[k]; });
    var body = JSON.stringify({ answers: batch, evidence: evidence });
    var keepalive = !!leaving && new Blob([body]).size <= KEEPALIVE_BYTES;
    if (leaving && !keepalive && !anyway) return false;
    inFlight = batch;
    inFlightKept = keepalive;
    items.forEach(function (k) { delete queue[k]; });
    notes.forEach(function (k) { delete evidenceQueue[k]; });
    setStatus(messages.saving);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.value, "Accept": "application/json" },
      body: body
    }).then(function (response) {
      if (response.redirected || response.status === 401 || response.status === 400 || response.status === 403) {
        throw { expired: true };
      }
      if (response.status === 409) { throw { locked: true }; }
      if (response.status === 404) { throw { gone: true }; }  // retrying cannot help
      if (response.status === 410) {  // the client withdrew the consultant's access: say when
        return response.json().then(function (d) { throw { gone: true, message: d.message }; });
      }
      if (!response.ok) throw { retry: true };
      return response.json();
    }).then(function (data) {
      retryDelay = 1000;
      failing = false;
      conflicts(batch, data);
      var changedMeanwhile = apply(data);
      forgetSent(batch, evidence);
      applyEvidence(evidence, data);
      if (inFlight !== batch) return;  // a later batch is on its way
      inFlight = null;
      if (Object.keys(queue).length || Object.keys(evidenceQueue).length) {
        schedule(0);
      } else {
        // "all saved" only when no answer on the page stands refused (sent now, or by the page)
        // or, when a newer answer replaced one sent, who changed it (not "all saved")
        setStatus(form.querySelector(".error[data-autosave]") ? messages.refused : (changedMeanwhile || messages.saved));
      }
    }).catch(function (problem) {
      if (inFlight === batch) inFlight = null;
      failing = true;
      batch.forEach(function (entry) {
        // not what a later batch carries: it sends the same change, or a newer one
        var carried = inFlight && inFlight.some(function (later) { return later.item === entry.item; });
        if (!queue[entry.item] && !carried) queue[entry.item] = entry;
      });
      evidence.forEach(function (entry) {
        var onPage = form.querySelector("textarea[data-evidence='" + entry.item + "']");
        if (evidenceQueue[entry.item]) return;
        var again = onPage ? evidenceOf(entry.item) : entry;
        again.shown = entry.shown;  // still typed on what the page showed then
        evidenceQueue[entry.item] = again;
      });
      if (problem && problem.expired) {
        if (expired) expired.hidden = false;
        setStatus("");
        return;  // the page form (Save) keeps the answers over a new login
      }
      if (problem && problem.locked) { forgetAll(); window.location.reload(); return; }
      if (problem && problem.gone) {
        setStatus(problem.message || messages.gone);
        if (status) status.setAttribute("role", "alert");
        return;
      }
      setStatus(messages.offline);
      showWaiting();
      if (inFlight) return;  // a later batch is on its way: it sends these once it is done
      schedule(retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
    return !(leaving && failing);
  }

  // Applies a save's outcome; the status to show when a newer answer replaced one sent.
  function apply(data) {
    var changedMeanwhile = null;
    (data.results || []).forEach(function (result) {
      var field = revField(result.item);
      if (!field) return;  // kept in this browser for another page of the assessment
      var next = parseInt(field.value, 10) || 1;
      var node = question(result.item);
      var note = node && node.querySelector(".error[data-autosave]");
      if (note) note.remove();
      if (result.code === "revision" && !queue[result.item]) {
        // refused for this item alone, out of step: the next change proposes one more than
        // the stored revision, and saves
        field.value = String(result.revision + 1);
      }
      if (result.status === "invalid" && node) {
        var error = document.createElement("p");
        error.className = "error";
        error.setAttribute("data-autosave", "");
        error.setAttribute("role", "alert");
        error.textContent = result.error;
        node.appendChild(error);
        return;
      }
      if (result.status === "stale" && !queue[result.item] && next - 1 <= result.revision) {
        setValue(result.item, result.value, result.reason);
        changedMeanwhile = result.changed_by ? messages.changedByStatus.replace("{name}", result.changed_by) : messages.changed;
        setStatus(changedMeanwhile);
      }
      field.value = String(Math.max(next, result.revision + 1));
    });
    (data.unverified || []).forEach(function (item) {
      // a changed answer is no longer verified: the consultant ticks it again once checked
      var box = form.querySelector("input[type=checkbox][data-evidence='" + item + "']");
      if (box && !evidenceQueue[item]) box.checked = false;
    });
    var skipped = data.skipped || {};
    form.querySelectorAll(".question[data-item]").forEach(function (node) {
      var item = node.getAttribute("data-item");
      var isSkipped = Object.prototype.hasOwnProperty.call(skipped, item);
      node.classList.toggle("is-skipped", isSkipped);
      node.querySelectorAll("fieldset, textarea, input[type=text]").forEach(function (el) { el.disabled = isSkipped; });
      var skipNote = node.querySelector("[data-skip-note]");
      if (skipNote) { skipNote.hidden = !isSkipped; skipNote.textContent = isSkipped ? skipped[item] : ""; }
    });
    var progress = data.progress;
    if (progress) {
      var bar = document.querySelector("[data-progress-bar]");
      if (bar) { bar.value = progress.percent; bar.textContent = progress.percent + "%"; }
      document.querySelectorAll("[data-progress]").forEach(function (span) {
        var value = progress[span.getAttribute("data-progress")];
        if (typeof value === "number") span.textContent = String(value);
      });
      var waiting = document.querySelector("[data-progress-part='waiting']");
      if (waiting && typeof progress.waiting === "number") waiting.hidden = !progress.waiting;
      Object.keys(progress.pages).forEach(function (pageId) {
        var li = document.querySelector("[data-page-state='" + pageId + "']");
        if (!li) return;
        li.classList.remove("section-complete", "section-partial", "section-empty");
        li.classList.add("section-" + progress.pages[pageId]);
      });
    }
    return changedMeanwhile;
  }

  function setValue(item, value, reason) {
    var values = Array.isArray(value) ? value : [value];
    form.querySelectorAll("[data-answer='" + item + "']").forEach(function (input) {
      if (typed(input)) { input.value = value === null ? "" : String(value); return; }
      input.checked = values.indexOf(input.value) !== -1;
    });
    var box = form.querySelector("[data-reason='" + item + "']");
    if (box) box.value = reason || "";
    showReason(item);
    markSelfDifference(item);
  }

  // ---- On site: the enterprise's own answer beside the rating, marked once they differ ----
  function markSelfDifference(item) {
    var box = form.querySelector("[data-self-answer='" + item + "']");
    if (!box || !box.hasAttribute("data-self-value")) return;
    var own;
    try { own = JSON.parse(box.getAttribute("data-self-value")); } catch (e) { return; }
    var now = valueOf(item);
    var differs = own !== null && now !== null && JSON.stringify(own) !== JSON.stringify(now);
    box.classList.toggle("is-different", differs);
    var tag = box.querySelector("[data-self-changed]");
    if (tag) tag.hidden = !differs;
  }

  // The server answered evidence sent: each item's evidence as stored now and the token to send
  // the next change with. A note changed elsewhere meanwhile was kept beside ours (conflict):
  // the page says so and shows both, unless something newer is typed here, which then keeps
  // the older token (sent again, it is kept beside the stored note: nothing is lost).
  function applyEvidence(sent, data) {
    (data.evidence || []).forEach(function (result) {
      var item = result.item;
      var was = wasField(item);
      if (!was) return;  // kept in this browser for another page of the assessment
      var mine = sent.filter(function (e) { return e.item === item; })[0];
      if (mine && evidenceBase[item] === mine.shown) delete evidenceBase[item];
      if (result.refused && mine) {
        // too long together: the note saved elsewhere stays; ours stays in the box and in this
        // browser, and the page shows the other, for the consultant to combine them
        noteConflict(item, result.note);
        was.value = result.shown;
        keepLocally("e", mine);
        return;
      }
      if (result.conflict) noteConflict(item);
      var queued = evidenceQueue[item];
      if (queued || typing["evidence:" + item]) {
        if (result.conflict) { evidenceBase[item] = mine ? mine.shown : shownOf(item); return; }
        if (queued && mine && queued.shown === mine.shown) {
          queued.shown = result.shown;
          keepLocally("e", queued);
        }
        was.value = result.shown;
        return;
      }
      setEvidence(result);
      was.value = result.shown;
      var textarea = form.querySelector("textarea[data-evidence='" + item + "']");
      if (result.conflict && textarea) {  // both texts in sight
        textarea.rows = Math.max(textarea.rows, Math.min(12, result.note.split("\n").length + 1));
      }
    });
  }

  function noteConflict(item, theirs) {
    var box = form.querySelector(".evidence[data-evidence='" + item + "']");
    if (!box) return;
    var old = box.querySelector("[data-note-conflict]");
    if (old) old.remove();
    var note = document.createElement("p");
    note.className = "offline-conflict";
    note.setAttribute("data-note-conflict", "");
    note.setAttribute("role", "alert");
    note.textContent = theirs === undefined ? (messages.noteConflict || "") :
      (messages.noteRefused || "").replace("{theirs}", theirs);
    var textarea = box.querySelector("textarea[data-evidence]");
    box.insertBefore(note, textarea ? textarea.previousElementSibling || textarea : null);
  }

  function evidenceChange(item) {
    evidenceQueue[item] = evidenceOf(item);
    keepLocally("e", evidenceQueue[item]);
    schedule(300);
  }

  // ---- Weak network: every change queued is kept in this browser (localStorage, one entry per
  // assessment and item, with the revision it proposes) until the server answered it, so that
  // answers and notes typed offline survive closing the tab. On load, what is kept is put back
  // into the fields and sent through the same revisioned autosave; a newer answer saved
  // meanwhile wins and the page says what was typed (conflicts). Kept per user too: on a
  // shared device, one colleague's unsent answers are never sent under another's login. ----
  var KEEP_PREFIX = "assess-unsent:" + root.getAttribute("data-assessment") + ":" +
    (root.getAttribute("data-user") || "") + ":";
  var waitingBox = document.querySelector("[data-waiting]");

  function storage() {
    try { return window.localStorage || null; } catch (e) { return null; }  // blocked: no keeping
  }

  function keepLocally(kind, entry) {
    var store = storage();
    if (!store) return;
    try { store.setItem(KEEP_PREFIX + kind + ":" + entry.item, JSON.stringify(entry)); } catch (e) { /* full */ }
  }

  function keptEntries() {
    var store = storage();
    var found = [];
    if (!store) return found;
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(KEEP_PREFIX) === 0) {
        try { found.push({ key: key, kind: key.charAt(KEEP_PREFIX.length), entry: JSON.parse(store.getItem(key)) }); } catch (e) { /* damaged */ }
      }
    }
    return found;
  }

  function sameEvidence(a, b) {
    return a.note === b.note && a.quality === b.quality && a.verified === b.verified;
  }

  // The server answered a batch: what it carried is no longer waiting, unless changed since.
  function forgetSent(batch, evidence) {
    var store = storage();
    if (!store) return;
    keptEntries().forEach(function (kept) {
      var sent = (kept.kind === "a" ? batch : evidence).filter(function (e) { return e.item === kept.entry.item; })[0];
      if (!sent) return;
      if (kept.kind === "a" ? kept.entry.revision <= sent.revision : sameEvidence(kept.entry, sent)) store.removeItem(kept.key);
    });
    showWaiting();
  }

  function forgetAll() {
    var store = storage();
    keptEntries().forEach(function (kept) { store.removeItem(kept.key); });
  }

  function showWaiting() {
    var kept = keptEntries();
    var offline = failing || (navigator.onLine === false);
    form.querySelectorAll(".question.is-waiting").forEach(function (node) { node.classList.remove("is-waiting"); });
    kept.forEach(function (k) {
      var node = question(k.entry.item);
      if (node && offline) node.classList.add("is-waiting");
    });
    if (!waitingBox) return;
    waitingBox.hidden = !(offline && kept.length);
    waitingBox.textContent = messages.waiting ? messages.waiting.replace("{n}", String(kept.length)) : "";
  }

  function shownValue(item, value) {
    var values = Array.isArray(value) ? value : [value];
    return values.map(function (v) {
      var input = form.querySelector("[data-answer='" + item + "'][value='" + String(v).replace(/'/g, "") + "']");
      var label = input && input.closest("label");
      return label ? label.textContent.trim() : String(v);
    }).join(", ");
  }

  // A change refused as stale: another save (another window, the enterprise's colleague, a
  // save from before going offline) is newer. The newer answer is shown (apply) and so is ours.
  function conflicts(batch, data) {
    (data.results || []).forEach(function (result) {
      if (result.status !== "stale") return;
      var mine = batch.filter(function (e) { return e.item === result.item; })[0];
      var node = question(result.item);
      if (!mine || !node || JSON.stringify(mine.value) === JSON.stringify(result.value)) return;
      var old = node.querySelector("[data-conflict]");
      if (old) old.remove();
      var note = document.createElement("p");
      note.className = "offline-conflict";
      note.setAttribute("data-conflict", "");
      note.setAttribute("role", "alert");
      var yours = shownValue(result.item, mine.value);
      note.textContent = result.changed_by
        ? messages.changedBy.replace("{name}", result.changed_by).replace("{time}", result.changed_at || "").replace("{yours}", yours)
        : (messages.conflict || "").replace("{yours}", yours);
      // a colleague's answer replaced ours: ours is handed back, one click to give it again
      var again = document.createElement("button");
      again.type = "button";
      again.className = "button secondary small";
      again.setAttribute("data-use-mine", "");
      again.textContent = messages.useMine;
      again.addEventListener("click", function () {
        setValue(result.item, mine.value, mine.reason);
        change(result.item);
        note.remove();
      });
      note.appendChild(document.createTextNode(" "));
      note.appendChild(again);
      node.appendChild(note);
    });
  }

  function setEvidence(entry) {
    var note = form.querySelector("textarea[data-evidence='" + entry.item + "']");
    var quality = form.querySelector("select[data-evidence='" + entry.item + "']");
    var verified = form.querySelector("input[type=checkbox][data-evidence='" + entry.item + "']");
    if (note && note.value !== (entry.note || "")) note.value = entry.note || "";  // the caret stays
    if (quality) quality.value = entry.quality || "";
    if (verified) verified.checked = !!entry.verified;
  }

  // On load: what this browser kept unsent is put back into the page and sent.
  function restoreKept() {
    var kept = keptEntries();
    kept.forEach(function (k) {
      var entry = k.entry;
      if (!entry || typeof entry.item !== "string") return;
      if (k.kind === "a") {
        var field = revField(entry.item);
        if (field) {
          setValue(entry.item, entry.value, entry.reason);
          field.value = String(Math.max(parseInt(field.value, 10) || 1, entry.revision + 1));
        }
        queue[entry.item] = entry;
      } else if (k.kind === "e") {
        setEvidence(entry);
        if (entry.shown && wasField(entry.item)) evidenceBase[entry.item] = entry.shown;
        evidenceQueue[entry.item] = entry;
      }
    });
    if (kept.length) { showWaiting(); schedule(0); }
  }

  form.addEventListener("change", function (event) {
    var item = event.target.getAttribute("data-answer") || event.target.getAttribute("data-reason");
    if (item) change(item);
    var noted = event.target.getAttribute("data-evidence");
    if (noted && event.target.type !== "file") evidenceChange(noted);
  });
  form.addEventListener("keydown", function (event) {
    // Enter in a number box saves it here rather than sending the whole page elsewhere
    if (event.key === "Enter" && typed(event.target) && event.target.getAttribute("data-answer")) {
      event.preventDefault();
      change(event.target.getAttribute("data-answer"));
    }
  });
  form.addEventListener("input", function (event) {
    var item = event.target.getAttribute("data-reason") ||
      (typed(event.target) && event.target.getAttribute("data-answer"));
    var noted = event.target.tagName === "TEXTAREA" && event.target.getAttribute("data-evidence");
    if (!item && !noted) return;
    var key = item || "evidence:" + noted;
    if (typing[key]) clearTimeout(typing[key].timer);
    var queueIt = function () { delete typing[key]; if (item) { change(item); } else { evidenceChange(noted); } };
    typing[key] = { timer: setTimeout(queueIt, 800), queue: queueIt };
  });
  // Leaving the page (a link, the address bar, closing the tab, Back): what is typed is queued
  // without waiting for the pause, and sent at once; false when it could not be sent.
  function leave(anyway) {
    Object.keys(typing).forEach(function (key) { clearTimeout(typing[key].timer); typing[key].queue(); });
    return flush(true, anyway);
  }
  var submitting = false;
  function chosenBytes() {
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    });
    return total;
  }
  form.addEventListener("submit", function (event) {
    var limit = parseInt(form.getAttribute("data-max-upload") || "0", 10);
    var bytes = chosenBytes();
    if (limit && bytes > limit * 0.98) {
      // refused before sending: a too-large save would lose every file chosen
      event.preventDefault();
      var size = (bytes / 1048576).toFixed(1);
      setStatus(form.getAttribute("data-too-large").replace("{size}", size));
      if (status) status.setAttribute("role", "alert");
      return;
    }
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("beforeunload", function (event) {
    // the page's own Save sends every field, what is still queued included: no warning then
    if (submitting) return;
    if (!leave(false) || chosenBytes() > 0) { event.preventDefault(); event.returnValue = ""; }
  });
  // after beforeunload, or without it (closing a tab on a phone fires no more than these)
  window.addEventListener("pagehide", function () { if (!submitting) leave(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !submitting) leave(true);
  });
  window.addEventListener("online", function () { retryDelay = 1000; schedule(0); });
  window.addEventListener("offline", showWaiting);
  restoreKept();
  if (window.matchMedia && window.matchMedia("(max-width: 900px)").matches) {
    document.querySelectorAll("[data-collapse-narrow]").forEach(function (list) { list.open = false; });
  }
  form.querySelectorAll("[data-reason-for]").forEach(function (wrapper) {
    showReason(wrapper.getAttribute("data-reason-for"));
  });
})();
