// The one DOM helper shared by the flashcards and the widgets:
// el("button", { class: "x", text: "label", "aria-label": "…" }, [child, …]).
(function () {
  "use strict";
  var NS = (window.handbook = window.handbook || {});
  NS.el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  };
})();
