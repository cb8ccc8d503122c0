// Render ```mermaid diagrams with the vendored mermaid, loaded only when a diagram first
// becomes visible (most sit in collapsed answers), and re-rendered when the colour scheme
// changes. On print pages every diagram is rendered at once.
// Printing never waits for a promise, but it does run what a beforeprint handler queues as
// microtasks, and once mermaid is loaded a render needs nothing else (measured in Chromium:
// the PDF shows the drawn diagram). So before print mermaid is made present synchronously if
// it is not yet, and every diagram is drawn with the light theme, for paper.
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

  // For print, now: a synchronous request (the reader has just pressed Print, and nothing
  // later would reach the paper) and an inline script, which runs as it is inserted.
  function loadMermaidNow() {
    if (!window.mermaid) {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", script.dataset.mermaid, false);
      try { xhr.send(); } catch (err) { return false; }
      if (xhr.status !== 200) return false;
      var s = document.createElement("script");
      s.text = xhr.responseText;
      document.head.appendChild(s);
    }
    loading = Promise.resolve(window.mermaid);
    return !!window.mermaid;
  }

  function theme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "default";
  }

  function draw(el, scheme) {
    var source = el.dataset.source || el.textContent;
    var name = scheme || theme();
    var id = "diagram-" + ++count;
    el.dataset.source = source;
    el.dataset.drawing = id;  // only the latest draw of a diagram shows (one for print may overtake)
    return loadMermaid().then(function (mermaid) {
      mermaid.initialize({ startOnLoad: false, theme: name, securityLevel: "strict" });
      return mermaid.render(id, source);
    }).then(function (out) {
      if (el.dataset.drawing !== id) return;
      el.innerHTML = out.svg;
      el.dataset.theme = name;
      // its natural width: the stylesheet lets it shrink only to 3/4 of that, then it scrolls
      var svg = el.querySelector("svg");
      if (svg && svg.style.maxWidth) el.style.setProperty("--diagram-width", svg.style.maxWidth);
      el.classList.add("diagram--rendered");
      el.removeAttribute("data-error");
    }).catch(function (err) {
      if (el.dataset.drawing === id) el.setAttribute("data-error", String(err && err.message || err));
    });
  }

  function init() {
    var diagrams = Array.prototype.slice.call(document.querySelectorAll(".diagram"));
    if (!diagrams.length) return;
    var seen = null;
    if (document.querySelector(".print-site-enumerate-headings, #print-site-page") ||
        window.matchMedia("print").matches) {
      diagrams.forEach(function (el) { draw(el, "default"); });
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
    // Print (the browser's, or print media emulated): every diagram, light; afterwards the
    // screen's scheme again.
    function forPaper() {
      if (!loadMermaidNow()) return;
      diagrams.filter(function (el) { return el.dataset.theme !== "default"; })
        .forEach(function (el) { if (seen) seen.unobserve(el); draw(el, "default"); });
    }
    function forScreen() {
      diagrams.filter(function (el) { return el.dataset.theme && el.dataset.theme !== theme(); })
        .forEach(function (el) { draw(el); });
    }
    window.addEventListener("beforeprint", forPaper);
    window.addEventListener("afterprint", forScreen);
    window.matchMedia("print").addEventListener("change", function (e) {
      if (e.matches) forPaper(); else forScreen();
    });
    // Colour-scheme toggle: redraw the diagrams already drawn.
    new MutationObserver(function () {
      diagrams.filter(function (el) { return el.dataset.source; }).forEach(function (el) { draw(el); });
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }
  (window.handbook = window.handbook || {}).diagrams = {
    draw: function (el) { return draw(el); },  // in the screen's scheme
    ready: function () { return loading; }
  };
  init();
})();
