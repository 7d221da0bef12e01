/* 聚力目录 listing filters. The page prints the filter sheet (a <dialog>) and the first cards; this script
   reads the compact listing JSON the generator writes next to the page (facet terms once, items as
   integer codes), so filtering never loads the full-text search index. Within a facet the chosen terms
   combine with OR, across facets with AND; the choice lives in the query string (?field=ai,ic&fee=free)
   so a filtered view can be shared and reloaded. The sheet's "查看 N 项" button counts live.
   The JSON is fetched when a reader first opens or uses the filters (at once when the address holds a
   filter): the page already prints the counts and the first cards, and at 10,000 entries the file is
   190 KB that a phone would otherwise parse on every visit. */
(function () {
  "use strict";
  var root = document.querySelector("[data-juli-listing]");
  if (!root || !window.fetch) return;
  var PAGE = 50;
  var list = root.querySelector(".juli-cards");
  var status = root.querySelector(".juli-status");
  var form = root.querySelector(".juli-filters");
  var sheet = root.querySelector(".juli-sheet");
  var opener = root.querySelector(".juli-filter-open");
  var badge = root.querySelector(".juli-filter-count");
  var apply = root.querySelector(".juli-apply");
  var more = root.querySelector(".juli-more");
  var pager = root.querySelector(".juli-pages");
  var noun = root.getAttribute("data-noun") || "项";
  var data, loading, chosen = {}, shown = PAGE;

  function values(item, f) {
    var v = item[f + 2];
    return typeof v === "number" ? [v] : v;
  }

  function boxes(facet) {
    return form.querySelectorAll('input[name="' + facet.key + '"]');
  }

  function readQuery() {
    var params = new URLSearchParams(location.search);
    chosen = {};
    data.facets.forEach(function (facet) {
      var raw = params.get(facet.key);
      var ids = raw ? raw.split(",") : [];
      var set = {};
      facet.terms.forEach(function (t, i) { if (ids.indexOf(t[0]) >= 0) set[i] = true; });
      if (Object.keys(set).length) chosen[facet.key] = set;
      boxes(facet).forEach(function (box, i) { box.checked = !!set[i]; });
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

  function chosenCount() {
    return Object.keys(chosen).reduce(function (n, k) { return n + Object.keys(chosen[k]).length; }, 0);
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

  function update(redraw) {
    var hits = data.items.filter(function (item) { return matches(item, -1); });
    var groups = form.querySelectorAll("details");
    data.facets.forEach(function (facet, f) {
      var counts = facet.terms.map(function () { return 0; });
      data.items.forEach(function (item) {
        if (matches(item, f)) values(item, f).forEach(function (v) { counts[v]++; });
      });
      var n = chosen[facet.key] ? Object.keys(chosen[facet.key]).length : 0;
      groups[f].querySelector("summary").textContent = facet.label + (n ? "（已选 " + n + "）" : "");
      groups[f].querySelectorAll("span[data-term]").forEach(function (span, i) {
        span.textContent = span.getAttribute("data-term") + "（" + counts[i] + "）";
        span.className = counts[i] ? "" : "juli-zero";
      });
    });
    var n = chosenCount();
    badge.textContent = n ? " · " + n : "";
    if (n) opener.setAttribute("aria-label", "筛选 · " + n + "，已选 " + n + " 个条件"); else opener.removeAttribute("aria-label");
    apply.textContent = "查看 " + hits.length + " " + noun;
    status.textContent = (n ? "筛选出 " : "共 ") + hits.length + " " + noun;
    if (redraw) {
      list.textContent = "";
      hits.slice(0, shown).forEach(function (item) { list.appendChild(card(item)); });
    }
    more.hidden = hits.length <= shown;
  }

  function changed() {
    chosen = {};
    data.facets.forEach(function (facet) {
      var set = {};
      boxes(facet).forEach(function (box, i) { if (box.checked) set[i] = true; });
      if (Object.keys(set).length) chosen[facet.key] = set;
    });
    shown = PAGE;
    writeQuery();
    update(true);
  }

  function close() {
    if (sheet.open) sheet.close();
  }

  function whenLoaded(then) {
    if (!loading) {
      list.setAttribute("aria-busy", "true");
      loading = fetch(root.getAttribute("data-src"))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (json) {
          data = json;
          if (pager) pager.hidden = true;
        })
        .catch(function () {
          loading = null;
          status.textContent = "筛选数据加载失败，请检查网络后重试。";
        });
    }
    loading.then(function () {
      if (data) then();
      list.removeAttribute("aria-busy");
    });
  }

  form.addEventListener("change", function () { whenLoaded(changed); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    close();
    status.scrollIntoView({ block: "start" });
  });
  root.querySelector(".juli-clear").addEventListener("click", function () {
    form.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
    whenLoaded(changed);
  });
  root.querySelector(".juli-sheet__close").addEventListener("click", close);
  sheet.addEventListener("click", function (event) { if (event.target === sheet) close(); });
  opener.addEventListener("click", function () {
    if (sheet.showModal) sheet.showModal(); else sheet.setAttribute("open", "");
    whenLoaded(function () { update(false); });
  });
  more.addEventListener("click", function () { shown += PAGE; update(true); });

  var params = new URLSearchParams(location.search);
  if (Array.prototype.some.call(form.elements, function (el) { return el.name && params.has(el.name); })) {
    whenLoaded(function () { readQuery(); update(true); });
  }
  opener.hidden = false;
})();
