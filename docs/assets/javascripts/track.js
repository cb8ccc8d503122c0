// On every page, two small things that need no library:
// - the header badge: how many flashcards are due today, read from the stored JSON (store.js
//   compares the `due` dates; ts-fsrs is not loaded), linking to the flashcard page's queue;
//   hidden when nothing is due or nothing is stored;
// - which answers the reader opened: the toggle of a question's answer (<details> right after
//   its <h2 id data-difficulty>) stores the question id for the progress page.
(function () {
  "use strict";
  var store = window.handbook && window.handbook.store;
  if (!store) return;
  var script = document.currentScript;
  var flashcards = script && script.dataset.flashcards;
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;

  var badge = null;
  function showBadge() {
    var n = store.dueCount(store.get("srs"));
    if (!badge) {
      var title = document.querySelector(".md-header__title");
      if (!title || !flashcards) return;
      badge = document.createElement("a");
      badge.className = "hb-due";
      badge.href = flashcards + "?mode=due";
      title.insertAdjacentElement("afterend", badge);
    }
    badge.hidden = n === 0;
    badge.textContent = String(n);
    var label = zh ? "今日到期闪卡：" + n + " 张" : n + (n === 1 ? " flashcard" : " flashcards") + " due today";
    badge.setAttribute("aria-label", label);
    badge.title = label;
  }

  function opened(event) {
    var d = event.target;
    if (!d || d.tagName !== "DETAILS" || !d.open) return;
    var h = d.previousElementSibling;
    if (!h || h.tagName !== "H2" || !h.id || !h.hasAttribute("data-difficulty")) return;
    var data = store.get("opened");
    if (data.ids[h.id]) return;
    data.ids[h.id] = Date.now();
    store.save("opened", data);
  }

  document.addEventListener("toggle", opened, true);  // toggle does not bubble: capture it
  document.addEventListener("handbook:progress", showBadge);  // a grade on this page
  window.addEventListener("storage", showBadge);  // a grade in another tab
  window.addEventListener("pageshow", function (e) { if (e.persisted) showBadge(); });  // back/forward cache
  showBadge();
})();
