/* 聚力目录 search: the header box on every page and the search page, on Pagefind's JS API.
 * Pagefind (/pagefind/pagefind.js, its WebAssembly and index chunks) is fetched only when a reader
 * focuses or uses a search box, never on a plain page load. Results are built with textContent only:
 * nothing from the index is ever parsed as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  var siteRoot = new URL("../../", script.src);
  var bundle = new URL("pagefind/", siteRoot);
  var searchPage = new URL("search/", siteRoot);
  var loading = null;
  /* Ideographs are indexed as encoded pairs (generator/render/search.py); a query is encoded the same
     way, so a query matches any text containing it, whatever a word segmenter would make of either. */
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
  var MARK = "qx";

  function code(ch) {
    var n = ch.codePointAt(0);
    var out = "";
    for (var i = 3; i >= 0; i--) out += String.fromCharCode(97 + Math.floor(n / Math.pow(26, i)) % 26);
    return out;
  }

  var MAX_PAIRS = 4;

  /* A run of ideographs becomes the pairs that tile it (the last pair overlaps when the run is odd):
     `知识产权` → 知识 产权. Every item containing the run contains those pairs, and fewer pairs fetch
     fewer index chunks; a long query keeps MAX_PAIRS of them, spread from its start to its end. A single
     ideograph is the prefix of every pair that starts with it. */
  function encodeQuery(query) {
    var pairs = [];
    var latin = query.replace(HAN, function (run) {
      var codes = Array.from(run).map(code);
      if (codes.length === 1) {
        pairs.push(MARK + codes[0]);
        return " ";
      }
      for (var i = 0; i + 1 < codes.length; i += 2) pairs.push(MARK + codes[i] + codes[i + 1]);
      if (codes.length % 2) pairs.push(MARK + codes[codes.length - 2] + codes[codes.length - 1]);
      return " ";
    });
    if (pairs.length > MAX_PAIRS) {
      var kept = [];
      for (var k = 0; k < MAX_PAIRS; k++) kept.push(pairs[Math.round(k * (pairs.length - 1) / (MAX_PAIRS - 1))]);
      pairs = kept;
    }
    return pairs.concat(latin.split(/\s+/)).filter(Boolean).join(" ");
  }

  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        var options = { baseUrl: siteRoot.pathname, excerptLength: 0 };
        return pf.options(Object.assign({ noWorker: true }, options)).then(function () {
          return pf.init();
        }).then(function () {
          /* A large catalog's index comes in parts (window.juliSearchParts, written by the build). */
          return Promise.all((window.juliSearchParts || []).map(function (part) {
            return pf.mergeIndex(new URL(part, bundle).pathname, options);
          }));
        }).then(function () { return pf; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var item = element("li", "juli-result");
    var link = element("a", "juli-result__title", meta.title || data.url);
    link.href = data.url;
    item.appendChild(link);
    var about = element("p", "juli-result__meta");
    if (meta.kind) about.appendChild(element("span", "juli-result__kind", meta.kind));
    if (meta.org) about.appendChild(element("span", "juli-result__org", meta.org));
    item.appendChild(about);
    if (meta.summary) item.appendChild(element("p", "juli-result__summary", meta.summary));
    return item;
  }

  /* One search box with its status line and result list. `pageSize` results are shown at a time. */
  function Searcher(root, pageSize) {
    this.root = root;
    this.input = root.querySelector("input[type=search]");
    this.status = root.querySelector(".juli-search__status");
    this.list = root.querySelector(".juli-search__results");
    this.more = root.querySelector(".juli-search__more");
    this.pageSize = pageSize;
    this.shown = 0;
    this.results = [];
    this.query = "";
    this.serial = 0;
  }

  Searcher.prototype.search = function (query) {
    var self = this;
    var serial = ++this.serial;
    query = query.trim();
    this.query = query;
    if (!query) {
      this.results = [];
      this.list.textContent = "";
      this.status.textContent = "";
      if (this.more) this.more.hidden = true;
      return Promise.resolve(false);
    }
    this.root.setAttribute("aria-busy", "true");
    return pagefind().then(function (pf) {
      return pf.search(encodeQuery(query));
    }).then(function (found) {
      if (serial !== self.serial) return false;
      self.results = found ? found.results : [];
      self.list.textContent = "";
      self.shown = 0;
      return self.showMore().then(function () {
        self.status.textContent = self.results.length
          ? "找到 " + self.results.length + " 条与“" + query + "”相关的结果"
          : "没有找到与“" + query + "”相关的结果。可以换一个词,或到目录中按类型和领域筛选。";
        return true;
      });
    }, function () {
      if (serial === self.serial) self.status.textContent = "搜索暂时无法使用,请稍后再试。";
      return false;
    }).then(function (done) {
      if (serial === self.serial) self.root.removeAttribute("aria-busy");
      return done;
    });
  };

  Searcher.prototype.showMore = function () {
    var self = this;
    var serial = this.serial;
    var next = this.results.slice(this.shown, this.shown + this.pageSize);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
      if (serial !== self.serial) return;
      items.forEach(function (data) { self.list.appendChild(resultItem(data)); });
      self.shown += items.length;
      if (self.more) self.more.hidden = self.shown >= self.results.length;
    });
  };

  function queryFromUrl() {
    return new URLSearchParams(window.location.search).get("q") || "";
  }

  /* The search page: the query lives in the URL (?q=), so a search can be shared and reloaded. */
  function setupPage(root) {
    var s = new Searcher(root, 10);
    var form = root.querySelector("form");
    function run() {
      var q = s.input.value;
      var url = new URL(window.location.href);
      if (q.trim()) url.searchParams.set("q", q.trim()); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      return s.search(q);
    }
    var later = debounce(run, 250);
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    s.input.addEventListener("input", later);
    s.input.addEventListener("focus", function () { pagefind(); }, { once: true });
    if (s.more) {
      s.more.addEventListener("click", function () {
        var first = s.shown;
        s.showMore().then(function () {
          var link = s.list.children[first] && s.list.children[first].querySelector("a");
          if (link) link.focus();
        });
      });
    }
    var initial = queryFromUrl();
    if (initial) {
      s.input.value = initial;
      s.search(initial);
    } else {
      s.input.focus();
    }
  }

  /* The header box: first results below it as the reader types; Enter opens the search page. */
  function setupHeader(root) {
    var s = new Searcher(root, 5);
    var panel = root.querySelector(".juli-hsearch__panel");
    var all = root.querySelector(".juli-search__all");
    function open(show) {
      panel.hidden = !show;
    }
    var later = debounce(function () {
      var q = s.input.value.trim();
      all.href = searchPage.pathname + (q ? "?q=" + encodeURIComponent(q) : "");
      s.search(q).then(function () { open(Boolean(q) && s.query === q); });
    }, 250);
    s.input.addEventListener("focus", function () { pagefind(); });
    s.input.addEventListener("input", later);
    root.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        open(false);
        s.input.focus();
      } else if (event.key === "ArrowDown" && !panel.hidden && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) s.input.focus(); else links[at - 1].focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!root.contains(event.target)) open(false);
    });
    root.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !root.contains(event.relatedTarget)) open(false);
    });
  }

  window.juliSearch = { encodeQuery: encodeQuery, pagefind: pagefind };

  function start() {
    var page = document.querySelector("[data-juli-search=page]");
    if (page) setupPage(page);
    var header = document.querySelector("[data-juli-search=header]");
    if (header && !page) setupHeader(header);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}());
