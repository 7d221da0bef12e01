// The share desk: its date filter (share/index.html) and the kit pages' copy button (share/<item>/).
(function () {
  var since = document.getElementById("since");
  var shown = document.getElementById("shown");
  if (since) {
    var items = Array.prototype.slice.call(document.querySelectorAll("article[data-updated]"));
    var filter = function () {
      var from = since.value || "";
      var count = 0;
      items.forEach(function (item) {
        var keep = !from || item.getAttribute("data-updated") >= from;
        item.hidden = !keep;
        if (keep) { count += 1; }
      });
      shown.textContent = "共 " + count + " 条";
    };
    since.addEventListener("input", filter);
    since.addEventListener("change", filter);
    filter();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) { return; }
    var area = document.getElementById(button.getAttribute("data-copy"));
    var label = button.textContent;
    function done() { button.textContent = "已复制"; setTimeout(function () { button.textContent = label; }, 2000); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(done, function () { area.select(); document.execCommand("copy"); done(); });
    } else {
      area.select();
      document.execCommand("copy");
      done();
    }
  });
})();
