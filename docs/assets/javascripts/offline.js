// Offline mode: registers the service worker (sw.js, written by handbook/offline.py on
// `mkdocs build` only) once the page has loaded, asks it to precache this language edition,
// and when a new build has been deployed offers "New version — reload" in a small toast.
// The new worker takes over only on that click; every open page then reloads, so no page
// ever shows files from two builds. <html data-offline="ready"> says the edition is cached.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var sw = navigator.serviceWorker;
  var workerUrl = new URL(script.dataset.sw, location.href).href;
  var scope = new URL(script.dataset.scope, location.href).href;
  var TEXT = {
    zh: { news: "有新版本", reload: "刷新" },
    en: { news: "New version", reload: "Reload" }
  };
  var t = TEXT[(document.documentElement.lang || "zh").slice(0, 2)] || TEXT.zh;
  // A page that had a worker when it loaded reloads when another one takes over (the reader
  // chose to reload, here or in another tab); a first install takes over without a reload.
  var hadController = Boolean(sw.controller);
  var reloading = false;
  sw.addEventListener("controllerchange", function () {
    if (!hadController || reloading) return;
    reloading = true;
    location.reload();
  });
  sw.addEventListener("message", function (e) {
    var data = e.data || {};
    if (data.type === "offline-ready") {
      document.documentElement.dataset.offline = "ready";
      document.documentElement.dataset.offlineVersion = data.version;
    }
  });

  function toast(worker) {
    if (document.querySelector(".hb-update")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = t.reload;
    button.addEventListener("click", function () {
      button.disabled = true;
      hadController = true;
      worker.postMessage({ type: "skip-waiting" });
    });
    var box = document.createElement("div");
    box.className = "hb-update";
    box.setAttribute("role", "status");
    box.append(t.news + " — ", button);
    document.body.appendChild(box);
  }

  // A worker that finished installing while an older one controls this page is a new build.
  function watch(reg) {
    if (reg.waiting && sw.controller) toast(reg.waiting);
    reg.addEventListener("updatefound", function () {
      var worker = reg.installing;
      if (!worker) return;
      worker.addEventListener("statechange", function () {
        if (worker.state === "installed" && sw.controller) toast(worker);
      });
    });
  }

  // The site no longer serves a worker (an old worker kept serving a copy of the site on this
  // address, e.g. under `mkdocs serve`): remove it and its caches, then load the live page.
  function retire() {
    fetch(workerUrl, { method: "HEAD", cache: "no-store" }).then(function (r) {
      if (r.status !== 404) return;
      return sw.getRegistrations().then(function (regs) {
        return Promise.all(regs.map(function (reg) { return reg.unregister(); }));
      }).then(function () {
        return caches.keys();
      }).then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf("llm-handbook-") === 0; })
          .map(function (k) { return caches.delete(k); }));
      }).then(function () {
        if (sw.controller) location.reload();
      });
    }).catch(function () { /* offline: keep the worker */ });
  }

  function register() {
    sw.register(workerUrl, { scope: scope }).then(function (reg) {
      watch(reg);
      return sw.ready;
    }).then(function (reg) {
      if (reg.active) reg.active.postMessage({ type: "precache" });
    }).catch(retire);
  }

  // After the page's own loading, so precaching never competes with it.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
})();
