// Cascading region selects: choosing a province loads its cities, a city its counties.
// Without JavaScript the form has a button that reloads the lists instead.
(function () {
  "use strict";
  var form = document.querySelector("[data-region-form]");
  if (!form) return;
  var province = form.querySelector("[data-region-level=province]");
  var city = form.querySelector("[data-region-level=city]");
  var county = form.querySelector("[data-region-level=county]");
  var placeholder = province.options[0] ? province.options[0].text : "";

  function fill(select, rows) {
    select.innerHTML = "";
    var first = document.createElement("option");
    first.value = "";
    first.textContent = placeholder;
    select.appendChild(first);
    rows.forEach(function (row) {
      var option = document.createElement("option");
      option.value = row.code;
      option.textContent = row.name;
      select.appendChild(option);
    });
    select.disabled = rows.length === 0;
  }

  function load(code, select, then) {
    if (!code) { fill(select, []); if (then) then(); return; }
    fetch("/regions/" + encodeURIComponent(code) + ".json", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (rows) { fill(select, rows); if (then) then(); })
      .catch(function () { fill(select, []); });
  }

  province.addEventListener("change", function () {
    load(province.value, city, function () { fill(county, []); });
  });
  city.addEventListener("change", function () { load(city.value, county); });
})();
