// Typeset the formulas that pymdownx.arithmatex (generic mode) left as \(...\) and \[...\].
// Most formulas sit in collapsed answers, so each is typeset when it first comes into view
// (an answer opening brings it into view); before printing, all of them are typeset at once.
// Formulas in the flashcard list are left to flashcards.js, which typesets the card it shows.
(function () {
  "use strict";
  var NS = (window.handbook = window.handbook || {});

  function typeset(el) {
    if (el.dataset.rendered) return;
    var tex = el.textContent.trim();
    var display = tex.startsWith("\\[");
    tex = tex.replace(/^\\[\[(]/, "").replace(/\\[\])]$/, "");
    // throwOnError: false shows a red .katex-error instead of breaking the page
    katex.render(tex, el, { displayMode: display, throwOnError: false });
    el.dataset.rendered = "1";
  }

  function render(root) {
    root.querySelectorAll(".arithmatex").forEach(typeset);
  }

  var seen = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { seen.unobserve(entry.target); typeset(entry.target); }
    });
  }, { rootMargin: "400px" });

  function init() {
    document.querySelectorAll(".arithmatex:not([data-rendered])").forEach(function (el) {
      if (!el.closest(".fc-list")) seen.observe(el);
    });
  }

  window.addEventListener("beforeprint", function () { render(document); });
  NS.math = { render: render };
  if (window.document$) window.document$.subscribe(init);
  else init();
})();
