// Render ```mermaid diagrams with the vendored mermaid, loaded only when a diagram first
// becomes visible (most sit in collapsed answers), and re-rendered when the colour scheme
// changes. On print pages every diagram is rendered at once.
(function () {
  "use strict";
  var script = document.currentScript;
  var loading = null;
  var count = 0;

  function loadMermaid() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = script.dataset.mermaid;
        s.onload = function () { resolve(window.mermaid); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  function theme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "default";
  }

  function draw(el) {
    var source = el.dataset.source || el.textContent;
    el.dataset.source = source;
    return loadMermaid().then(function (mermaid) {
      mermaid.initialize({ startOnLoad: false, theme: theme(), securityLevel: "strict" });
      return mermaid.render("diagram-" + ++count, source);
    }).then(function (out) {
      el.innerHTML = out.svg;
      // its natural width, so that a phone can scroll a wide diagram instead of shrinking it
      var svg = el.querySelector("svg");
      if (svg && svg.style.maxWidth) el.style.setProperty("--diagram-width", svg.style.maxWidth);
      el.classList.add("diagram--rendered");
      el.removeAttribute("data-error");
    }).catch(function (err) {
      el.setAttribute("data-error", String(err && err.message || err));
    });
  }

  function init() {
    var diagrams = Array.prototype.slice.call(document.querySelectorAll(".diagram"));
    if (!diagrams.length) return;
    var seen = null;
    if (document.querySelector(".print-site-enumerate-headings, #print-site-page") ||
        window.matchMedia("print").matches) {
      diagrams.forEach(draw);
    } else {
      seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) { seen.unobserve(entry.target); draw(entry.target); }
        });
      }, { rootMargin: "200px" });
      diagrams.forEach(function (el) { seen.observe(el); });
    }
    // An answer that opens draws its diagrams at once.
    document.addEventListener("toggle", function (e) {
      if (!e.target.open) return;
      diagrams.filter(function (el) { return !el.dataset.source && e.target.contains(el); })
        .forEach(function (el) { if (seen) seen.unobserve(el); draw(el); });
    }, true);  // toggle does not bubble
    // Browser print: render whatever is still waiting.
    window.addEventListener("beforeprint", function () {
      diagrams.filter(function (el) { return !el.dataset.source; }).forEach(draw);
    });
    // Colour-scheme toggle: redraw the diagrams already drawn.
    new MutationObserver(function () {
      diagrams.filter(function (el) { return el.dataset.source; }).forEach(draw);
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }
  (window.handbook = window.handbook || {}).diagrams = { draw: draw, ready: function () { return loading; } };
  init();
})();
