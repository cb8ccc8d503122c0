// Runs before Material's bundle. Material downloads the whole search index (the largest file
// of the site) on every page load; this holds that one request back until the reader opens
// the search box, so a page costs only what it shows. It also names the search dialog for
// screen readers (Material leaves role="dialog" unnamed).
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json$/;
  var opened = false;
  var waiting = [];
  var send = XMLHttpRequest.prototype.send;
  var open = XMLHttpRequest.prototype.open;

  XMLHttpRequest.prototype.open = function (method, url) {
    this._handbookIndex = INDEX.test(String(url).split("?")[0]);
    return open.apply(this, arguments);
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
  }

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
})();
