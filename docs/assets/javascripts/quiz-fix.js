// Works around a bug in mkdocs-quiz 1.7.1: "reset quiz" assumes every question has a
// <fieldset>, so on pages with fill-in-the-blank questions it throws half-way and leaves the
// later questions answered on screen. An empty fieldset keeps its loop going; once the saved
// progress is cleared, a reload redraws every question (blanks included) from the clean state.
(function () {
  "use strict";
  document.querySelectorAll(".quiz-fill-blank form").forEach(function (form) {
    if (!form.querySelector("fieldset")) {
      var shim = document.createElement("fieldset");
      shim.hidden = true;
      form.prepend(shim);
    }
  });
  // The plugin titles its progress box with an <h3> right after the page's <h1>; an <h2>
  // keeps the heading levels in order for screen readers (Lighthouse's heading-order audit).
  document.querySelectorAll(".quiz-results-progress > h3").forEach(function (h3) {
    var h2 = document.createElement("h2");
    h2.className = "quiz-results-heading";
    h2.textContent = h3.textContent;
    h3.replaceWith(h2);
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".quiz-intro-reset")) return;
    // runs after the plugin's own handler (bubbling); reload only if it cleared the progress
    var saved = localStorage.getItem("quiz_progress_" + location.pathname);
    if (!saved || Object.keys(JSON.parse(saved)).length === 0) location.reload();
  });
})();
