/* assess: what every page does (base.html loads it right after the header).
   - The header's menu is open on a wide screen and folded on a narrow one, where its button
     shows (assess.css); without JavaScript it stays open.
   - A table of class "phone-cards" stacks into one card per row on a phone (assess.css); each cell
     is labelled with its column's header (data-label), unless the template labelled it.
   - A wide table that scrolls sideways (the table itself on a phone, or its .table-scroll box)
     says so: a hint above it (its words from the script tag's data-scroll-hint) beside the
     shadow at the edge that has more (assess.css); the hint goes once scrolled to the end. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 640px)");
  var hintText = (document.currentScript && document.currentScript.dataset.scrollHint) || "";
  var menu = document.querySelector("[data-site-menu]");
  function fit() {
    if (menu) menu.open = !narrow.matches;
  }
  fit();
  narrow.addEventListener("change", fit);

  function label() {
    document.querySelectorAll("table.phone-cards").forEach(function (table) {
      var heads = [];
      table.querySelectorAll("thead tr:last-child th").forEach(function (th) {
        for (var i = 0; i < th.colSpan; i++) heads.push(th.textContent.trim());
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && heads[column]) {
            cell.setAttribute("data-label", heads[column]);
          }
          column += cell.colSpan;
        });
      });
    });
  }

  function scrollBoxes() {
    var boxes = [];
    document.querySelectorAll("main table").forEach(function (table) {
      var box = table.closest(".table-scroll") || table;
      if (boxes.indexOf(box) < 0) boxes.push(box);
    });
    return boxes;
  }
  function hint() {
    scrollBoxes().forEach(function (box) {
      var shown = box.previousElementSibling;
      var has = shown && shown.classList.contains("scroll-hint");
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("scrolls", scrolls);
      if (scrolls && !has && hintText) {
        var p = document.createElement("p");
        p.className = "scroll-hint";
        p.setAttribute("aria-hidden", "true"); // the box is a labelled region that scrolls
        p.textContent = hintText;
        box.parentNode.insertBefore(p, box);
        box.addEventListener("scroll", function () {
          var end = box.scrollLeft + box.clientWidth >= box.scrollWidth - 2;
          box.previousElementSibling.classList.toggle("at-end", end);
        }, { passive: true });
      } else if (!scrolls && has) {
        shown.remove();
      }
    });
  }
  function ready() {
    label();
    hint();
    window.addEventListener("resize", hint);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
