/* assess: what every page does (base.html loads it right after the header).
   - The header's menu is open on a wide screen and folded on a narrow one, where its button
     shows (assess.css); without JavaScript it stays open.
   - A table of class "phone-cards" stacks into one card per row on a phone (assess.css); each cell
     is labelled with its column's header (data-label), unless the template labelled it. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 640px)");
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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", label);
  } else {
    label();
  }
})();
