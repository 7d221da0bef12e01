/* 聚力目录 content editor: the file format, the checks the form runs while typing, and the start of Decap CMS.
   The rules' data (check characters, standard-number formats, "at least one of" fields) comes from
   juli-rules.js, which `juli build` generates from the validator's own definitions. */
(function () {
  "use strict";
  var R = window.JULI_RULES, CMS = window.CMS, h = window.h, createClass = window.createClass;

  /* ---- checks (the same rules as generator/checks; messages in the validator's words) ---- */
  function usccProblem(code) {
    if (!code) return null;
    if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) {
      return "统一社会信用代码是 18 位数字或大写字母（不含 I、O、Z、S、V），现在是 " + code.length + " 位。";
    }
    var a = R.usccAlphabet, total = 0, i;
    for (i = 0; i < 17; i++) total += a.indexOf(code[i]) * R.usccWeights[i];
    if (a[(31 - total % 31) % 31] !== code[17]) return "统一社会信用代码有一位抄错，请逐位核对登记证书。";
    var org = code.slice(8, 17), sum = 0;
    if (!/^[0-9A-Z]{8}[0-9X]$/.test(org)) return "统一社会信用代码第 9–17 位的组织机构代码不对，请逐位核对登记证书。";
    for (i = 0; i < 8; i++) sum += parseInt(org[i], 36) * R.orgCodeWeights[i];
    var c = 11 - sum % 11, expected = c === 10 ? "X" : c === 11 ? "0" : String(c);
    if (expected !== org[8]) return "统一社会信用代码第 9–17 位的组织机构代码有一位抄错，请逐位核对登记证书。";
    if (R.socialOrgPrefixes.indexOf(code.slice(0, 2)) < 0) {
      return "以 " + code.slice(0, 2) + " 开头的代码不是民政部门登记的社会组织。";
    }
    return null;
  }

  function standardProblem(number, data) {
    if (!number) return null;
    var level = data && data.get ? data.get("level") : null, rule = null, i;
    for (i = 0; i < R.standardLevels.length; i++) if (R.standardLevels[i].name === level) rule = R.standardLevels[i];
    if (!rule || new RegExp(rule.pattern).test(number)) return null;
    if (/——|－－|--/.test(number)) return "标准号中的连接号重复了：年份前只写一个“—”。";
    for (i = 0; i < R.standardLevels.length; i++) {
      if (new RegExp(R.standardLevels[i].pattern).test(number)) return "这个编号像是" + R.standardLevels[i].name + "，请核对“标准级别”。";
    }
    return "标准号不符合" + level + "的编号格式，形如 " + rule.example + "。";
  }

  var CHECKS = {uscc: function (v) { return usccProblem(v); }, standard_number: standardProblem};

  /* ---- widgets ---- */
  /* Decap re-renders a control only when its own value changes, unless the control says otherwise: these
     also read other fields (the title for the pinyin name, the standard level for the number format). */
  function changed(next) {
    return this.props.value !== next.value || this.props.entry !== next.entry ||
      this.props.hasActiveStyle !== next.hasActiveStyle || this.props.classNameWrapper !== next.classNameWrapper;
  }

  var Checked = createClass({
    shouldComponentUpdate: changed,
    problem: function (value) {
      var entry = this.props.entry, data = entry && entry.get ? entry.get("data") : null;
      return CHECKS[this.props.field.get("check")](value, data);
    },
    isValid: function (value) {
      var m = this.problem(value === undefined ? this.props.value : value);
      return m ? {error: {type: "CUSTOM", message: m}} : true;
    },
    render: function () {
      var p = this.props, m = this.problem(p.value), id = p.forID + "-check";
      return h("div", null,
        h("input", {type: "text", id: p.forID, className: p.classNameWrapper, value: p.value || "",
          "aria-invalid": m ? "true" : "false", "aria-describedby": m ? id : undefined,
          onChange: function (e) { p.onChange(e.target.value); },
          onFocus: p.setActiveStyle, onBlur: p.setInactiveStyle}),
        m ? h("p", {id: id, className: "juli-check", role: "alert"}, m) : null);
    }
  });

  var ORG = /^[a-z0-9][a-z0-9-]{1,62}$/;
  function orgOfPath(path) {
    var m = /^(?:catalog\/organizations|cases)\/([^/]+)\//.exec(path || "");
    return m ? m[1] : "";
  }
  var Org = createClass({
    existing: function () {
      var entry = this.props.entry;
      return entry && entry.get && !entry.get("newRecord") ? orgOfPath(entry.get("path")) : "";
    },
    componentDidMount: function () {
      var remembered = window.localStorage && localStorage.getItem("juli-org");
      if (!this.existing() && !this.props.value && remembered) this.props.onChange(remembered);
    },
    isValid: function (value) {
      if (this.existing()) return true;
      var v = value === undefined ? this.props.value : value;
      if (!v) return {error: {type: "CUSTOM", message: "请填写所属组织标识（本组织文件夹的名称）。"}};
      if (!ORG.test(v)) return {error: {type: "CUSTOM", message: "组织标识只能用小写英文字母、数字和连字符。"}};
      return true;
    },
    render: function () {
      var p = this.props, org = this.existing();
      if (org) return h("p", {id: p.forID}, org);
      return h("input", {type: "text", id: p.forID, className: p.classNameWrapper, value: p.value || "",
        onChange: function (e) { p.onChange(e.target.value.trim()); }, onFocus: p.setActiveStyle, onBlur: p.setInactiveStyle});
    }
  });

  /* A file name from a Chinese title: toneless pinyin, a hyphen between syllables (R.pinyin: syllable → characters). */
  var PINYIN = null;
  function slugFrom(text) {
    if (!PINYIN) {
      PINYIN = {};
      Object.keys(R.pinyin).forEach(function (s) { Array.from(R.pinyin[s]).forEach(function (c) { PINYIN[c] = s; }); });
    }
    var parts = [], word = "", out = "", full = false;
    Array.from(text).forEach(function (c) {
      if (PINYIN[c]) { if (word) parts.push(word); word = ""; parts.push(PINYIN[c]); }
      else if (/[A-Za-z0-9]/.test(c)) word += c.toLowerCase();
      else { if (word) parts.push(word); word = ""; }
    });
    if (word) parts.push(word);
    parts.forEach(function (p) {
      if (full || (out ? out.length + 1 : 0) + p.length > 40) { full = true; return; }
      out = out ? out + "-" + p : p;
    });
    return out.length >= 2 ? out : "";
  }

  var Ident = createClass({
    shouldComponentUpdate: changed,
    render: function () {
      var p = this.props, data = p.entry && p.entry.get ? p.entry.get("data") : null, title = "";
      (p.field.get("source") ? p.field.get("source").toJS() : []).forEach(function (key) {
        var v = data && data.get(key);
        if (!title && typeof v === "string") title = v;
      });
      var suggestion = p.entry && p.entry.get("newRecord") !== false ? slugFrom(title) : "";
      return h("div", null,
        h("input", {type: "text", id: p.forID, className: p.classNameWrapper, value: p.value || "",
          onChange: function (e) { p.onChange(e.target.value.trim()); }, onFocus: p.setActiveStyle, onBlur: p.setInactiveStyle}),
        suggestion && suggestion !== p.value ? h("button", {type: "button", className: "juli-suggest",
          onClick: function () { p.onChange(suggestion); }}, "用拼音作标识：" + suggestion) : null);
    }
  });

  CMS.registerWidget("juli-id", Ident);
  CMS.registerWidget("juli-checked", Checked);
  CMS.registerWidget("juli-org", Org);

  /* ---- the file format: YAML as contributors write it, without what the form keeps for itself ---- */
  function shape(d) {
    if ("uscc" in d || "maintainers" in d) return "organization";
    if ("years" in d) return "figures";
    if ("kind" in d) return "resource";
    if ("problem" in d || "approach" in d) return "case";
    return "service";
  }
  var DEPTH = {organization: "../../../", figures: "../../../", resource: "../../../../", service: "../../../../", case: "../../"};

  function prune(value) {
    if (Array.isArray(value)) {
      var list = value.map(prune).filter(function (v) { return v !== undefined; });
      return list.length ? list : undefined;
    }
    if (value && typeof value === "object") {
      var out = {}, any = false;
      Object.keys(value).forEach(function (k) {
        if (k.charAt(0) === "_") return;
        var v = prune(value[k]);
        if (v !== undefined) { out[k] = v; any = true; }
      });
      return any ? out : undefined;
    }
    if (value === null || value === undefined) return undefined;
    if (typeof value === "string") return value.trim() === "" ? undefined : value.replace(/\r\n/g, "\n");
    return value;
  }

  CMS.registerCustomFormat("juli-yaml", "yml", {
    fromFile: function (content) {
      var data = jsyaml.load(content, {schema: jsyaml.CORE_SCHEMA}) || {};
      data._shape = shape(data);
      return data;
    },
    toFile: function (data, sortedKeys) {
      var clean = prune(data) || {}, kind = shape(clean), ordered = {};
      (sortedKeys || []).concat(Object.keys(clean)).forEach(function (k) { if (k in clean && !(k in ordered)) ordered[k] = clean[k]; });
      var schema = (kind === "resource" ? "resource" : kind) + ".schema.json";
      return "# yaml-language-server: $schema=" + DEPTH[kind] + "schemas/" + schema + "\n" +
        jsyaml.dump(ordered, {schema: jsyaml.CORE_SCHEMA, lineWidth: -1, noRefs: true});
    }
  });

  /* "At least one of" (e.g. a contact's phone, email or address): the schemas' anyOf, checked on saving. */
  function missingOneOf(value, key, found) {
    if (Array.isArray(value)) { value.forEach(function (v) { missingOneOf(v, key, found); }); return; }
    if (!value || typeof value !== "object") return;
    Object.keys(value).forEach(function (k) {
      var need = R.anyOf[k], v = value[k];
      if (need) {
        (Array.isArray(v) ? v : [v]).forEach(function (o) {
          if (o && typeof o === "object" && !need.some(function (n) { return prune(o[n]) !== undefined; })) found.push(k);
        });
      }
      missingOneOf(v, k, found);
    });
  }
  CMS.registerEventListener({name: "preSave", handler: function (e) {
    var found = [];
    missingOneOf(e.entry.get("data").toJS(), "", found);
    if (found.length) throw new Error("“" + found[0] + "”中的 " + R.anyOf[found[0]].join("、") + " 至少要填一项。");
    return e.entry.get("data");
  }});
  CMS.registerEventListener({name: "postSave", handler: function (e) {
    var data = e.entry.get("data"), org = shape(data.toJS()) === "organization" ? data.get("id") : data.get("_org");
    if (org && window.localStorage) localStorage.setItem("juli-org", org);
  }});

  /* The configuration is read here rather than by Decap, which ignores a config.yml that a static server
     sends without a YAML content type. The local backend (`juli edit`) may run on another port:
     /admin/?backend=PORT on this computer. */
  var loopback = /^(127\.0\.0\.1|localhost)$/.test(location.hostname);
  var port = new URLSearchParams(location.search).get("backend");
  if (loopback && port && window.sessionStorage) sessionStorage.setItem("juli-backend", port);
  if (loopback && !port && window.sessionStorage) port = sessionStorage.getItem("juli-backend");  /* the pages' edit links */
  var local = loopback && /^\d{2,5}$/.test(port || "");
  fetch("config.yml", {credentials: "same-origin"}).then(function (r) { return r.text(); }).then(function (text) {
    var config = jsyaml.load(text);
    config.load_config_file = false;
    if (local) config.local_backend = {url: "http://" + location.hostname + ":" + port + "/api/v1", allowed_hosts: ["127.0.0.1", "localhost"]};
    CMS.init({config: config});
  });
})();
