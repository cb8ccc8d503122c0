// Render the formulas that pymdownx.arithmatex (generic mode) left as \(...\) and \[...\].
(function () {
  "use strict";
  function render(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.rendered) return;
      var tex = el.textContent.trim();
      var display = tex.startsWith("\\[");
      tex = tex.replace(/^\\[\[(]/, "").replace(/\\[\])]$/, "");
      // throwOnError: false shows a red .katex-error instead of breaking the page
      katex.render(tex, el, { displayMode: display, throwOnError: false });
      el.dataset.rendered = "1";
    });
  }
  window.handbookMath = { render: render };
  if (window.document$) window.document$.subscribe(function () { render(document); });
  else render(document);
})();
