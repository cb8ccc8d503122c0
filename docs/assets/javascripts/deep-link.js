// A link to a question (page/#question-id: from a quiz explanation, a flashcard, a search
// result or another page) opens that question's answer, the collapsed <details> right after
// its heading; a link to something inside collapsed answers opens every one around it. On
// page load and when the hash changes. Answers open before Material's search highlighting
// runs (it marks only text that is visible), so a searched term in the answer is marked.
(function () {
  "use strict";
  function reveal() {
    var target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    var answer = target.nextElementSibling;
    if (/^H[1-6]$/.test(target.tagName) && answer && answer.tagName === "DETAILS") answer.open = true;
    var inside = false;
    for (var d = target.closest("details:not([open])"); d; d = d.closest("details:not([open])")) {
      d.open = true;
      inside = true;
    }
    if (inside) target.scrollIntoView();  // it had no place on the page while hidden
  }
  window.addEventListener("hashchange", reveal);
  if (window.document$) window.document$.subscribe(reveal);
  else reveal();
})();
