/* 聚力目录 listing filters. Reads the compact listing JSON the generator writes next to the page
   (facet terms once, items as integer codes), so filtering never loads the full-text search index.
   Within a facet the chosen terms combine with OR, across facets with AND; the choice lives in the
   query string (?field=ai,ic&fee=free) so a filtered view can be shared and reloaded. */
(function () {
  "use strict";
  var root = document.querySelector("[data-juli-listing]");
  if (!root || !window.fetch) return;
  var PAGE = 50;
  var list = root.querySelector(".juli-cards");
  var status = root.querySelector(".juli-status");
  var form = root.querySelector(".juli-filters");
  var more = root.querySelector(".juli-more");
  var noun = root.getAttribute("data-noun") || "项";
  var data, chosen = {}, shown = PAGE;

  function values(item, f) {
    var v = item[f + 2];
    return typeof v === "number" ? [v] : v;
  }

  function readQuery() {
    var params = new URLSearchParams(location.search);
    chosen = {};
    data.facets.forEach(function (facet) {
      var raw = params.get(facet.key);
      if (!raw) return;
      var ids = raw.split(",");
      var set = {};
      facet.terms.forEach(function (t, i) { if (ids.indexOf(t[0]) >= 0) set[i] = true; });
      if (Object.keys(set).length) chosen[facet.key] = set;
    });
  }

  function writeQuery() {
    var params = new URLSearchParams(location.search);
    data.facets.forEach(function (facet) {
      var set = chosen[facet.key];
      var ids = set ? facet.terms.filter(function (t, i) { return set[i]; }).map(function (t) { return t[0]; }) : [];
      if (ids.length) params.set(facet.key, ids.join(",")); else params.delete(facet.key);
    });
    var query = params.toString().replace(/%2C/g, ",");
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function matches(item, except) {
    for (var f = 0; f < data.facets.length; f++) {
      var set = chosen[data.facets[f].key];
      if (f === except || !set) continue;
      if (!values(item, f).some(function (v) { return set[v]; })) return false;
    }
    return true;
  }

  function buildForm() {
    form.textContent = "";
    data.facets.forEach(function (facet, f) {
      var details = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = facet.label;
      details.appendChild(summary);
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = facet.label;
      fieldset.appendChild(legend);
      facet.terms.forEach(function (term, i) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = facet.key;
        box.value = term[0];
        box.checked = !!(chosen[facet.key] && chosen[facet.key][i]);
        box.addEventListener("change", function () {
          var set = chosen[facet.key] || (chosen[facet.key] = {});
          if (box.checked) set[i] = true; else delete set[i];
          if (!Object.keys(set).length) delete chosen[facet.key];
          shown = PAGE;
          writeQuery();
          update();
        });
        var text = document.createElement("span");
        text.setAttribute("data-term", term[1]);
        label.appendChild(box);
        label.appendChild(text);
        fieldset.appendChild(label);
      });
      details.appendChild(fieldset);
      if (chosen[facet.key]) details.open = true;
      form.appendChild(details);
    });
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "juli-button";
    clear.textContent = "清除全部筛选";
    clear.addEventListener("click", function () {
      chosen = {};
      shown = PAGE;
      form.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
      writeQuery();
      update();
    });
    form.appendChild(clear);
  }

  function card(item) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "juli-card-title";
    a.href = item[1];
    a.textContent = item[0];
    li.appendChild(a);
    var meta = document.createElement("div");
    meta.className = "juli-card-meta";
    meta.textContent = data.card.map(function (f) {
      return values(item, f).map(function (v) { return data.facets[f].terms[v][1]; }).join("、");
    }).filter(Boolean).join(" · ");
    li.appendChild(meta);
    return li;
  }

  function update() {
    var hits = data.items.filter(function (item) { return matches(item, -1); });
    var groups = form.querySelectorAll("fieldset");
    data.facets.forEach(function (facet, f) {
      var counts = facet.terms.map(function () { return 0; });
      data.items.forEach(function (item) {
        if (matches(item, f)) values(item, f).forEach(function (v) { counts[v]++; });
      });
      var chosenCount = chosen[facet.key] ? Object.keys(chosen[facet.key]).length : 0;
      groups[f].parentNode.firstChild.textContent = facet.label + (chosenCount ? "(已选 " + chosenCount + ")" : "");
      groups[f].querySelectorAll("span[data-term]").forEach(function (span, i) {
        span.textContent = span.getAttribute("data-term") + "(" + counts[i] + ")";
        span.className = counts[i] ? "" : "juli-zero";
      });
    });
    list.textContent = "";
    hits.slice(0, shown).forEach(function (item) { list.appendChild(card(item)); });
    status.textContent = (Object.keys(chosen).length ? "筛选出 " : "共 ") + hits.length + " " + noun;
    more.hidden = hits.length <= shown;
  }

  more.addEventListener("click", function () { shown += PAGE; update(); });
  fetch(root.getAttribute("data-src"))
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (json) {
      data = json;
      readQuery();
      buildForm();
      form.hidden = false;
      update();
    })
    .catch(function () { status.textContent = "筛选数据加载失败,请刷新页面重试。"; });
})();
