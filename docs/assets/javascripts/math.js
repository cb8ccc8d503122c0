// Typeset the formulas that pymdownx.arithmatex (generic mode) left as \(...\) and \[...\].
// Most formulas sit in collapsed answers, so KaTeX (served from the site) is fetched on the
// reader's first interaction; a formula is typeset when it first comes into view or when its
// answer opens, and before printing all of them are typeset at once.
// Formulas in the flashcard list are left to flashcards.js, which typesets the card it shows.
(function () {
  "use strict";
  var NS = (window.handbook = window.handbook || {});
  var script = document.currentScript;
  var loading = null;

  function loadKatex() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = script.dataset.katexCss;
        document.head.appendChild(css);
        var js = document.createElement("script");
        js.src = script.dataset.katex;
        js.onload = resolve;
        js.onerror = reject;
        document.head.appendChild(js);
      });
    }
    return loading;
  }

  function typeset(el) {
    if (el.dataset.rendered) return;
    var tex = el.textContent.trim();
    var display = tex.startsWith("\\[");
    tex = tex.replace(/^\\[\[(]/, "").replace(/\\[\])]$/, "");
    // throwOnError: false shows a red .katex-error instead of breaking the page
    katex.render(tex, el, { displayMode: display, throwOnError: false });
    el.dataset.rendered = "1";
  }

  // Typeset every formula under root; resolves when done.
  function render(root) {
    return loadKatex().then(function () {
      root.querySelectorAll(".arithmatex").forEach(typeset);
    });
  }

  var seen = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      seen.unobserve(entry.target);
      loadKatex().then(function () { typeset(entry.target); });
    });
  }, { rootMargin: "400px" });

  function init() {
    document.querySelectorAll(".arithmatex:not([data-rendered])").forEach(function (el) {
      if (!el.closest(".fc-list")) seen.observe(el);
    });
  }

  // KaTeX is needed as soon as the reader does anything (typesetting before print must be
  // synchronous, so it has to be here by then).
  ["scroll", "pointerdown", "keydown", "touchstart"].forEach(function (type) {
    window.addEventListener(type, loadKatex, { once: true, passive: true });
  });
  // An answer that opens gets its formulas at once (they are what the reader opened it for).
  document.addEventListener("toggle", function (e) {
    if (e.target.open && !e.target.closest(".fc-list")) render(e.target);
  }, true);  // toggle does not bubble
  window.addEventListener("beforeprint", function () {
    if (window.katex) document.querySelectorAll(".arithmatex").forEach(typeset);
  });
  NS.math = { render: render };
  if (window.document$) window.document$.subscribe(init);
  else init();
})();
