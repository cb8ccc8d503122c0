// Runs before Material's bundle and adjusts Material's search in four small ways:
// 1. Material downloads the whole search index (the largest file of the site) on every page
//    load; this holds that one request back until the reader opens the search box, and then
//    fetches lunr's language support alongside it.
// 2. Each language has its own index (handbook/search.py); Material always asks for the one
//    at the site root, so the request goes to this page's language instead (data-index).
// 3. Material's worker cuts a Chinese query into index terms but never looks at the last
//    character of each run of Han characters (解码器 became 解码); a mark that is in no index
//    (〇) closes every run, so the whole word is matched.
// 4. Result links that Material gives an empty highlight (`?h=`) lose it.
// It also names the search dialog for screen readers (Material leaves role="dialog" unnamed).
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json$/;
  var QUERY = 2;  // Material's SearchMessageType.QUERY
  var script = document.currentScript;
  var target = script && script.getAttribute("data-index");
  var opened = false;
  var waiting = [];
  var send = XMLHttpRequest.prototype.send;
  var open = XMLHttpRequest.prototype.open;

  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    this._handbookIndex = INDEX.test(String(url).split("?")[0]);
    if (this._handbookIndex && target) args[1] = new URL(target, location.href).href;
    return open.apply(this, args);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this._handbookIndex && !opened) { waiting.push([this, arguments]); return; }
    return send.apply(this, arguments);
  };

  function release() {
    if (opened) return;
    opened = true;
    waiting.forEach(function (w) { send.apply(w[0], w[1]); });
    waiting = [];
    prefetchLanguage();
  }

  // Once it has the index, Material's worker loads lunr's support for the index's languages
  // one file after another (a round trip each). A non-English index is [lang, en]
  // (handbook/search.py), so those files are known now: fetching them alongside the index
  // lets the worker take them from the HTTP cache.
  function prefetchLanguage() {
    var lang = document.documentElement.lang;
    var config = document.getElementById("__config");
    if (!lang || lang === "en" || !config) return;
    var base = new URL("../lunr/min/", new URL(JSON.parse(config.textContent).search, location.href));
    ["lunr.stemmer.support", "lunr." + lang, "lunr.multi"].forEach(function (name) {
      fetch(new URL(name + ".min.js", base)).catch(function () {});
    });
  }

  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var args = Array.prototype.slice.call(arguments);
      args[0] = {type: QUERY, data: message.data.replace(/\p{sc=Han}{2,}/gu, "$&\u3007")};
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };

  var toggle = document.getElementById("__search");  // Material's search checkbox
  if (toggle) toggle.addEventListener("change", release);
  var input = document.querySelector(".md-search__input");
  if (input) ["focus", "pointerdown"].forEach(function (e) { input.addEventListener(e, release); });
  // Material's shortcuts (f, s, /) focus the input, which releases the request as well.
  // A search result opens its page with ?h=term, and Material marks the term once it has the
  // index (by then in the browser's cache).
  if (new URLSearchParams(location.search).has("h")) release();
  var dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog && input) dialog.setAttribute("aria-label", input.getAttribute("aria-label"));

  var list = document.querySelector(".md-search-result__list");
  if (list) new MutationObserver(function () {
    list.querySelectorAll("a[href*='h=']").forEach(function (a) {
      var url = new URL(a.href);
      if (url.searchParams.get("h") !== "") return;
      url.searchParams.delete("h");
      a.href = url.href;
    });
  }).observe(list, {childList: true, subtree: true});
})();
