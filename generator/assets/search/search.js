/* 聚力目录 search: the header box on every page and the search page, over the site's own index
 * (/search-index/, written by generator/render/search.py, whose docstring describes the format). The
 * index's table of contents and the lexicon are fetched only when a reader focuses or uses a search box,
 * never on a plain page load; a query then fetches the shards holding its words, and each shown result
 * its own small file. Results are built with textContent
 * only: nothing from the index is ever parsed as HTML.
 *
 * A query is read the way readers type (generator/render/search.py builds what this reads):
 * traditional characters become simplified (lexicon.t2s), an English name or a synonym of a taxonomy
 * term becomes the term (ai → 人工智能), a typed pinyin word of three or more syllables is split into the
 * syllable pairs the index holds; ideographs are looked up as character pairs. Words must all occur.
 * When nothing is found, a second pass looks for a word one character away (知识产全 → 知识产权) and
 * offers it as "您是不是要找". */
(function () {
  "use strict";
  var script = document.currentScript;
  var siteRoot = new URL("../../", script.src);
  var bundle = new URL("search-index/", siteRoot);
  var searchPage = new URL("search/", siteRoot);
  var lexiconUrl = new URL("lexicon.json", script.src);
  var wordsUrl = new URL("words.json", script.src);
  var loading = null;
  var wordsLoading = null;
  /* Ideographs are indexed as encoded pairs (generator/render/search.py); a query is encoded the same
     way, so a query matches any text containing it, whatever a word segmenter would make of either. */
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
  var IS_HAN = new RegExp(HAN.source, "u");
  var MARK = "qx";
  var END = "zzzz";  /* render/search.py END: a run's last character has it in place of a second */
  var FILTER = "qf";  /* render/search.py FILTER: starts every filter token */
  var PAIR_LENGTH = MARK.length + 8;  /* a pair token: MARK and four letters a character */
  var LATIN_WORD = /[\p{L}\p{N}]+/gu;  /* a word of Latin text, as render/search.py LATIN_WORD indexes it */
  var MAX_PAIRS = 4;
  var MAX_VARIANTS = 4;

  function code(ch) {
    var n = ch.codePointAt(0);
    var out = "";
    for (var i = 3; i >= 0; i--) out += String.fromCharCode(97 + Math.floor(n / Math.pow(26, i)) % 26);
    return out;
  }

  /* At most MAX_PAIRS of a word's pairs, spread from its start to its end: fewer pairs fetch fewer chunks. */
  function spread(pairs) {
    if (pairs.length <= MAX_PAIRS) return pairs;
    var kept = [];
    for (var k = 0; k < MAX_PAIRS; k++) kept.push(pairs[Math.round(k * (pairs.length - 1) / (MAX_PAIRS - 1))]);
    return kept;
  }

  /* The pairs that tile a sequence (the last pair overlaps when it is odd): 知识产权 → 知识 产权. */
  function tiling(items, join) {
    var pairs = [];
    for (var i = 0; i + 1 < items.length; i += 2) pairs.push(join(items[i], items[i + 1]));
    if (items.length % 2) pairs.push(join(items[items.length - 2], items[items.length - 1]));
    return spread(pairs);
  }

  /* A typed word as pinyin syllables (fewest syllables wins: xian, not xi an), or null. */
  function syllabify(word, syllables) {
    var best = [[]];
    for (var i = 1; i <= word.length; i++) {
      best[i] = null;
      for (var j = Math.max(0, i - 6); j < i; j++) {
        if (best[j] && syllables.has(word.slice(j, i)) && (!best[i] || best[j].length + 1 < best[i].length)) {
          best[i] = best[j].concat([word.slice(j, i)]);
        }
      }
    }
    return best[word.length];
  }

  /* A query as the index is asked it: each run of ideographs becomes the pairs that tile it, at most
     MAX_PAIRS (each pair is a shard to fetch; a single ideograph is the prefix of every pair that starts
     with it), a pinyin word of three syllables or more the syllable pairs that tile it, anything else its
     lower-case words. */
  function encodeQuery(query, lexicon) {
    var syllables = lexicon && lexicon.syllableSet;
    var words = [];
    query.replace(HAN, function (run) { return " " + run + " "; }).split(/\s+/).forEach(function (word) {
      if (!word) return;
      if (IS_HAN.test(word)) {
        var codes = Array.from(word).map(code);
        if (codes.length === 1) words.push(MARK + codes[0]);
        else words = words.concat(tiling(codes, function (a, b) { return MARK + a + b; }));
        return;
      }
      var lower = word.toLowerCase();
      var parsed = syllables && /^[a-z]+$/.test(lower) ? syllabify(lower, syllables) : null;
      if (parsed && parsed.length >= 3) words = words.concat(tiling(parsed, function (a, b) { return a + b; }));
      else words = words.concat(lower.match(LATIN_WORD) || []);
    });
    return words.join(" ");
  }

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + " " + r.status);
      return r.json();
    });
  }

  function prepareLexicon(data) {
    var t2s = {};
    for (var i = 0; i + 1 < data.t2s.length; i += 2) t2s[data.t2s[i]] = data.t2s[i + 1];
    var keys = Object.keys(data.synonyms).sort(function (a, b) { return b.length - a.length; });
    var escaped = keys.map(function (k) { return k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return {
      t2s: t2s,
      synonyms: data.synonyms,
      /* A Latin name matches whole words only (IC is not the start of ICP). */
      synonymPattern: keys.length ? new RegExp("(^|[^a-z0-9])(" + escaped.join("|") + ")(?=$|[^a-z0-9])", "g") : null,
      syllableSet: new Set(data.syllables),
    };
  }

  /* The ranking: BM25 over the words of a query, a token's term frequency being the weight of the role
     it is indexed in (title, term, summary, text; meta.weights), times how much of the token the typed
     word covers when it is a prefix (zhi of zhishi: 3/6). K1 and B are BM25's usual constants. */
  var K1 = 1.2;
  var B = 0.75;

  /* meta.json: the number of items, the role weights, each item's token count (a digit of meta.digits,
     meta.steps per doubling) and their mean, and the first token of every shard. */
  function Index(meta) {
    this.meta = meta;
    this.shards = {};
    this.results = {};
    this.digit = {};
    for (var d = 0; d < meta.digits.length; d++) this.digit[meta.digits.charCodeAt(d)] = d;
    this.lengths = [];
    for (var i = 0; i < meta.lengths.length; i++) {
      this.lengths.push(Math.pow(2, this.digit[meta.lengths.charCodeAt(i)] / meta.steps) - 1);
    }
  }

  /* Postings (render/search.py _postings) as [item, role, item, role, …]: base-32 varints of
     (gap << 2 | role), a digit of the upper half carrying five more bits to the next. */
  Index.prototype.decode = function (text) {
    var out = [];
    var n = 0;
    var item = -1;
    for (var i = 0; i < text.length; i++) {
      var v = this.digit[text.charCodeAt(i)];
      if (v >= 32) { n = n * 32 + v - 32; continue; }
      n = n * 32 + v;
      item += Math.floor(n / 4);
      out.push(item, n % 4);
      n = 0;
    }
    return out;
  };

  /* The numbers of the shards that may hold `word` (`whole`) or tokens starting with it: the one it would
     sort into, and for a prefix the next ones while their first token still starts with it. */
  Index.prototype.shardsOf = function (word, whole) {
    var firsts = this.meta.shards;
    if (!firsts.length) return [];
    var lo = 0;
    var hi = firsts.length - 1;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      if (firsts[mid] <= word) lo = mid; else hi = mid - 1;
    }
    var out = [lo];
    for (var k = lo + 1; !whole && k < firsts.length && firsts[k].indexOf(word) === 0; k++) out.push(k);
    return out;
  };

  Index.prototype.shard = function (number) {
    var self = this;
    if (!this.shards[number]) {
      this.shards[number] = getJSON(new URL("s/" + number + ".json", bundle).href);
      this.shards[number].catch(function () { delete self.shards[number]; });
    }
    return this.shards[number];
  };

  /* A word's matches: item → its term frequency. Ideograph pairs, filters and one-letter words match
     their token only; other words also the tokens they begin. */
  Index.prototype.lookup = function (word) {
    var self = this;
    var whole = word.length === 1 || (word.indexOf(MARK) === 0 && word.length >= PAIR_LENGTH) || word.indexOf(FILTER) === 0;
    return Promise.all(this.shardsOf(word, whole).map(function (n) { return self.shard(n); })).then(function (shards) {
      var found = new Map();
      var weights = self.meta.weights;
      shards.forEach(function (shard) {
        shard.forEach(function (entry) {
          var token = entry[0];
          if (token !== word && (whole || token.indexOf(word) !== 0)) return;
          var cover = word.indexOf(MARK) === 0 ? 1 : word.length / token.length;
          var postings = self.decode(entry[1]);
          for (var i = 0; i < postings.length; i += 2) {
            var tf = weights[postings[i + 1]] * cover;
            if (!(found.get(postings[i]) >= tf)) found.set(postings[i], tf);
          }
        });
      });
      return found;
    });
  };

  /* The items holding every word of `encoded`, best first (ties in catalog order), each with `data()`,
     which fetches what the result shows. */
  Index.prototype.search = function (encoded) {
    var self = this;
    var words = encoded.split(" ").filter(Boolean);
    if (!words.length) return Promise.resolve({ results: [] });
    return Promise.all(words.map(function (w) { return self.lookup(w); })).then(function (all) {
      all.sort(function (a, b) { return a.size - b.size; });
      var total = self.meta.items;
      var scores = new Map();
      all[0].forEach(function (tf, item) { scores.set(item, 0); });
      all.forEach(function (found) {
        var idf = Math.log(1 + (total - found.size + 0.5) / (found.size + 0.5));
        scores.forEach(function (score, item) {
          var tf = found.get(item);
          if (tf === undefined) { scores.delete(item); return; }
          var norm = K1 * (1 - B + B * self.lengths[item] / self.meta.mean);
          scores.set(item, score + idf * tf * (K1 + 1) / (tf + norm));
        });
      });
      var ranked = Array.from(scores.keys()).sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
      return { results: ranked.map(function (item) { return { id: item, data: function () { return self.result(item); } }; }) };
    });
  };

  Index.prototype.result = function (item) {
    if (!this.results[item]) {
      this.results[item] = getJSON(new URL("f/" + item + ".json", bundle).href).then(function (data) {
        return { url: siteRoot.pathname + data.url, meta: data.meta };
      });
    }
    return this.results[item];
  };

  /* The index's table of contents and the lexicon, fetched once, when a search box is first used. */
  function engine() {
    if (!loading) {
      loading = Promise.all([getJSON(new URL("meta.json", bundle).href), getJSON(lexiconUrl.href)]).then(function (got) {
        return { index: new Index(got[0]), lexicon: prepareLexicon(got[1]) };
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function words() {
    if (!wordsLoading) {
      wordsLoading = getJSON(wordsUrl.href);
      wordsLoading.catch(function () { wordsLoading = null; });
    }
    return wordsLoading;
  }

  /* What a reader typed, read as the index is written: full-width forms folded (NFKC), traditional
     characters simplified. Returns the variants to search (a Latin synonym is replaced by its term; a
     Chinese one is searched both ways) and the words to highlight. */
  function understand(query, lexicon) {
    var text = query.normalize("NFKC").replace(/[，。、；：！？,.;:!?"'“”‘’()（）《》【】]/g, " ").trim();
    text = Array.from(text).map(function (ch) { return lexicon.t2s[ch] || ch; }).join("");
    var lower = text.toLowerCase();
    var marks = [];
    var variants = [""];
    var last = 0;
    var keepOriginal = false;
    if (lexicon.synonymPattern) {
      lower.replace(lexicon.synonymPattern, function (all, before, key, offset) {
        var start = offset + before.length;
        var names = lexicon.synonyms[key];
        if (IS_HAN.test(key)) keepOriginal = true;
        marks = marks.concat(names);
        /* One variant per term the name stands for (testing: 检验检测, 检测设备), at most MAX_VARIANTS. */
        var next = [];
        variants.forEach(function (v) {
          names.forEach(function (name) { next.push(v + lower.slice(last, start) + " " + name + " "); });
        });
        variants = next.slice(0, MAX_VARIANTS);
        last = start + key.length;
        return all;
      });
    }
    variants = variants.map(function (v) { return v + lower.slice(last); });
    /* A Chinese synonym is also searched as typed, and first: 融资 finds 融资 before the rest of 金融. */
    if (keepOriginal) variants.unshift(lower);
    lower.split(/\s+/).forEach(function (w) { if (w) marks.push(w); });
    return { text: text, variants: variants, marks: marks };
  }

  /* The search page's filters as the words the index holds for them (render/search.py filter_token). */
  function filterWords(filters) {
    return Object.keys(filters).sort().map(function (name) {
      return FILTER + name[0] + Array.from(filters[name]).map(code).join("") + END;
    });
  }

  /* Every variant searched; the first variant's results first (best first), then
     each further variant's that are not in yet. */
  function run(engine, understood, filters) {
    return Promise.all(understood.variants.map(function (variant) {
      return engine.index.search([encodeQuery(variant, engine.lexicon)].concat(filterWords(filters)).join(" "));
    })).then(function (founds) {
      var seen = new Set();
      var out = [];
      founds.forEach(function (found) {
        (found ? found.results : []).forEach(function (r) {
          if (!seen.has(r.id)) { seen.add(r.id); out.push(r); }
        });
      });
      return out;
    });
  }

  /* Levenshtein distance of two short strings (by code point), given up past 1. */
  function nearby(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    var j = 0;
    while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
    return a.length - i - j <= 1 && b.length - i - j <= 1 && a.join("") !== b.join("");
  }

  /* The forgiving second pass: the query with one word replaced by a known word one character away
     (a whole word of three characters or more, or such a word inside a longer one), or null. */
  function correction(text, vocabulary) {
    var changed = false;
    var fixed = text.split(/\s+/).map(function (word) {
      if (changed || Array.from(word).length < 3) return word;
      var whole = vocabulary.find(function (v) { return nearby(word, v); });
      if (whole) { changed = true; return whole; }
      var chars = Array.from(word);
      for (var k = 0; k < vocabulary.length; k++) {
        var v = Array.from(vocabulary[k]);
        if (v.length < 3 || v.length >= chars.length) continue;
        for (var s = 0; s + v.length <= chars.length; s++) {
          var piece = chars.slice(s, s + v.length).join("");
          if (nearby(piece, vocabulary[k])) {
            changed = true;
            return chars.slice(0, s).join("") + vocabulary[k] + chars.slice(s + v.length).join("");
          }
        }
      }
      return word;
    });
    return changed ? fixed.join(" ") : null;
  }

  /* A query's results (best first), the words to highlight, and the corrected query when the first pass
     found nothing and the forgiving second pass did. An empty query with filters lists what they match. */
  function answer(query, filters) {
    return engine().then(function (engine) {
      if (!query) {
        return engine.index.search(filterWords(filters).join(" ")).then(function (found) {
          return { results: found ? found.results : [], marks: [], corrected: null };
        });
      }
      var understood = understand(query, engine.lexicon);
      return run(engine, understood, filters).then(function (results) {
        if (results.length) return { results: results, marks: understood.marks, corrected: null };
        return words().then(function (vocabulary) {
          var corrected = correction(understood.text, vocabulary);
          if (!corrected) return { results: [], marks: understood.marks, corrected: null };
          var second = understand(corrected, engine.lexicon);
          return run(engine, second, filters).then(function (found) {
            return { results: found, marks: second.marks, corrected: found.length ? corrected : null };
          });
        });
      });
    });
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

  /* `text` into `parent`, every occurrence of a mark wrapped in <mark> (Latin case-insensitively). */
  function highlighted(parent, text, marks) {
    var wanted = marks.filter(Boolean).map(function (m) { return m.toLowerCase(); });
    var lower = text.toLowerCase();
    var at = 0;
    while (at < text.length) {
      var next = -1;
      var size = 0;
      wanted.forEach(function (m) {
        var i = lower.indexOf(m, at);
        if (i >= 0 && (next < 0 || i < next || (i === next && m.length > size))) { next = i; size = m.length; }
      });
      if (next < 0) break;
      if (next > at) parent.appendChild(document.createTextNode(text.slice(at, next)));
      parent.appendChild(element("mark", "", text.slice(next, next + size)));
      at = next + size;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
  }

  var SNIPPET = 80;

  /* The part of an item's text around the first match (its summary when nothing matches there). */
  function snippet(text, marks) {
    var lower = text.toLowerCase();
    var first = -1;
    marks.forEach(function (m) {
      var i = m ? lower.indexOf(m.toLowerCase()) : -1;
      if (i >= 0 && (first < 0 || i < first)) first = i;
    });
    if (first < 0) first = 0;
    var start = Math.max(0, first - 20);
    var end = Math.min(text.length, start + SNIPPET);
    return (start > 0 ? "…" : "") + text.slice(start, end).replace(/\s+/g, " ") + (end < text.length ? "…" : "");
  }

  function resultItem(data, marks) {
    var meta = data.meta || {};
    var item = element("li", "juli-result");
    var link = highlighted(element("a", "juli-result__title"), meta.title || data.url, marks);
    link.href = data.url;
    item.appendChild(link);
    var about = element("p", "juli-result__meta");
    if (meta.kind) about.appendChild(element("span", "juli-result__kind", meta.kind));
    if (meta.org) about.appendChild(element("span", "juli-result__org", meta.org));
    if (meta.fee) about.appendChild(element("span", "juli-result__fee", meta.fee));
    if (meta.districts) about.appendChild(element("span", "juli-result__district", meta.districts));
    item.appendChild(about);
    var text = meta.text || meta.summary;
    if (text) item.appendChild(highlighted(element("p", "juli-result__summary"), snippet(text, marks), marks));
    var tagged = (meta.terms || "").split("、").filter(function (t) {
      return t && t !== meta.kind && t !== meta.fee && marks.some(function (m) { return m && t.indexOf(m) >= 0; });
    });
    if (tagged.length) {
      var tags = element("p", "juli-result__tags", "标签：");
      highlighted(tags, tagged.join("、"), marks);
      item.appendChild(tags);
    }
    return item;
  }

  /* One search box with its status line and result list. `pageSize` results are shown at a time. */
  function Searcher(root, pageSize) {
    this.root = root;
    this.input = root.querySelector("input[type=search]");
    this.status = root.querySelector(".juli-search__status");
    this.suggestion = root.querySelector(".juli-search__suggestion");
    this.empty = root.querySelector(".juli-search__empty");
    this.list = root.querySelector(".juli-search__results");
    this.more = root.querySelector(".juli-search__more");
    this.pageSize = pageSize;
    this.shown = 0;
    this.results = [];
    this.marks = [];
    this.query = "";
    this.filters = {};
    this.serial = 0;
  }

  Searcher.prototype.clear = function () {
    this.results = [];
    this.list.textContent = "";
    this.status.textContent = "";
    if (this.suggestion) this.suggestion.hidden = true;
    if (this.empty) this.empty.hidden = true;
    if (this.more) this.more.hidden = true;
  };

  Searcher.prototype.search = function (query) {
    var self = this;
    var serial = ++this.serial;
    query = query.trim();
    this.query = query;
    var filtered = Object.keys(this.filters).length > 0;
    if (!query && !filtered) {
      this.clear();
      return Promise.resolve(false);
    }
    this.root.setAttribute("aria-busy", "true");
    return answer(query, this.filters).then(function (found) {
      if (serial !== self.serial) return false;
      self.clear();
      self.results = found.results;
      self.marks = found.marks;
      self.shown = 0;
      return self.showMore().then(function () {
        self.describe(query, found.corrected, filtered);
        return true;
      });
    }, function () {
      if (serial === self.serial) self.status.textContent = "搜索暂时无法使用，请稍后再试。";
      return false;
    }).then(function (done) {
      if (serial === self.serial) self.root.removeAttribute("aria-busy");
      return done;
    });
  };

  /* The status line, the "您是不是要找" line and the empty state. */
  Searcher.prototype.describe = function (query, corrected, filtered) {
    var where = filtered ? "（已按所选条件筛选）" : "";
    var label = query ? "与“" + query + "”相关的" : "符合条件的";
    if (corrected && !this.suggestion) {
      this.status.textContent = "没有找到与“" + query + "”相关的结果，以下是“" + corrected + "”的结果。";
    } else if (corrected) {
      this.status.textContent = "没有找到与“" + query + "”相关的结果" + where + "。以下是“" + corrected + "”的 " + this.results.length + " 条结果。";
      this.suggestion.textContent = "您是不是要找：";
      var link = element("a", "", corrected);
      link.href = searchPage.pathname + "?q=" + encodeURIComponent(corrected);
      this.suggestion.appendChild(link);
      this.suggestion.appendChild(document.createTextNode("？"));
      this.suggestion.hidden = false;
    } else if (this.results.length) {
      this.status.textContent = "找到 " + this.results.length + " 条" + label + "结果" + where;
    } else {
      this.status.textContent = "没有找到" + label + "结果" + where + "。";
      if (this.empty) {
        this.empty.hidden = false;
        var tryLine = this.empty.querySelector(".juli-search__try");
        words().then(function (vocabulary) {
          tryLine.textContent = "也可以试试这些常用词：";
          vocabulary.slice(0, 6).forEach(function (word, i) {
            if (i) tryLine.appendChild(document.createTextNode("、"));
            var a = element("a", "", word);
            a.href = searchPage.pathname + "?q=" + encodeURIComponent(word);
            tryLine.appendChild(a);
          });
          tryLine.hidden = !vocabulary.length;
        }, function () { tryLine.hidden = true; });
      } else {
        this.status.textContent += "按回车键查看搜索页上的建议。";
      }
    }
  };

  Searcher.prototype.showMore = function () {
    var self = this;
    var serial = this.serial;
    var next = this.results.slice(this.shown, this.shown + this.pageSize);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
      if (serial !== self.serial) return;
      items.forEach(function (data) { self.list.appendChild(resultItem(data, self.marks)); });
      self.shown += items.length;
      if (self.more) self.more.hidden = self.shown >= self.results.length;
    });
  };

  /* The search page: the query and the filters live in the URL (?q=…&kind=…), so a search can be
     shared and reloaded. */
  function setupPage(root) {
    var s = new Searcher(root, 10);
    var form = root.querySelector("form");
    var selects = Array.prototype.slice.call(root.querySelectorAll("select[data-juli-filter]"));
    function go() {
      var q = s.input.value;
      var url = new URL(window.location.href);
      if (q.trim()) url.searchParams.set("q", q.trim()); else url.searchParams.delete("q");
      s.filters = {};
      selects.forEach(function (select) {
        var name = select.getAttribute("data-juli-filter");
        if (select.value) {
          s.filters[name] = select.value;
          url.searchParams.set(name, select.value);
        } else {
          url.searchParams.delete(name);
        }
      });
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      return s.search(q);
    }
    var later = debounce(go, 250);
    form.addEventListener("submit", function (event) { event.preventDefault(); go(); });
    s.input.addEventListener("input", later);
    s.input.addEventListener("focus", function () { engine(); }, { once: true });
    selects.forEach(function (select) { select.addEventListener("change", go); });
    if (s.more) {
      s.more.addEventListener("click", function () {
        var first = s.shown;
        s.showMore().then(function () {
          var link = s.list.children[first] && s.list.children[first].querySelector("a");
          if (link) link.focus();
        });
      });
    }
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var value = params.get(select.getAttribute("data-juli-filter"));
      if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) select.value = value;
    });
    var options = root.querySelector(".juli-search__more-options");
    if (options && selects.some(function (select) { return select.value; })) options.open = true;
    s.input.value = params.get("q") || "";
    if (s.input.value || selects.some(function (select) { return select.value; })) go();
    else s.input.focus();
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
    s.input.addEventListener("focus", function () { engine(); });
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

  /* For tests and the benchmark: the first `limit` results of a query (page address and metadata), in
     the search page's order, and how many were found. */
  function ranked(query, limit, filters) {
    return answer(query.trim(), filters || {}).then(function (found) {
      var first = found.results.slice(0, limit || 10);
      return Promise.all(first.map(function (r) { return r.data(); })).then(function (data) {
        return { count: found.results.length, corrected: found.corrected,
                 results: data.map(function (d) { return { url: d.url, meta: d.meta }; }) };
      });
    });
  }

  window.juliSearch = { encodeQuery: encodeQuery, engine: engine, understand: understand, ranked: ranked,
                        correction: correction };

  function start() {
    var page = document.querySelector("[data-juli-search=page]");
    if (page) setupPage(page);
    var header = document.querySelector("[data-juli-search=header]");
    if (header && !page) setupHeader(header);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}());
