// Progress: one view over reading (answers opened), flashcards (the flashcard page's buckets),
// quizzes (mkdocs-quiz's own saved answers), mock interviews and the daily review log, plus a
// backup file that moves all of it to another browser. Everything is read from localStorage
// (store.js) and the chapter list from companion.json (written at build time); nothing is sent.
(function () {
  "use strict";
  var store = window.handbook.store, el = window.handbook.el;
  var FORMAT = "llm-handbook-progress";  // the backup file (CONTRIBUTING.md, "Progress data")
  var BACKUP_VERSION = 1;
  var QUIZ_PREFIX = "quiz_progress_";    // mkdocs-quiz: quiz_progress_<page path> = { id: { answered, correct } }
  var SECTIONS = { srs: "srs", reviews: "log", opened: "opened", mock: "mock", quizBest: "quiz" };
  var SVG = "http://www.w3.org/2000/svg";
  var WEEKS = 27;  // a little over six months of columns
  var MOCK_MAX = 100;

  var TEXT = {
    zh: {
      today: "今天", due: "今日到期", review: "去复习", opened: "已看答案", cards: "闪卡",
      sessions: "模拟面试", quizzes: "测验",
      table: "各章进度", chapter: "章节", questions: "题数", quiz: "测验最好成绩", mock: "模拟面试次数",
      stats: { new: "新卡", learning: "学习中", due: "到期", young: "巩固中", mastered: "已掌握" },
      total: "合计", noQuiz: "–",
      calendar: "复习日历（近 6 个月）",
      calendarLabel: function (n, d) { return "近 6 个月共复习 " + n + " 次，" + d + " 天有复习。"; },
      day: function (d, n) { return d + "：复习 " + n + " 次"; },
      less: "少", more: "多",
      months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      backup: "备份与恢复",
      backupHelp: "把全部进度（闪卡、测验、模拟面试记录、看过的答案、复习日历）导出为一个 JSON 文件，在另一个浏览器导入。导入按题目合并：同一张卡片保留较新的复习记录，本机已有的数据不会丢失。",
      export: "导出进度", import: "导入备份文件",
      exported: function (name) { return "已导出：" + name; },
      imported: function (n, u) { return "已导入：" + n + " 张卡片，其中 " + u + " 张更新为备份中较新的记录。"; },
      corrupt: "导入失败：文件已损坏或不是 JSON。本机进度没有改变。",
      foreign: "导入失败：这不是本站导出的进度备份。本机进度没有改变。",
      newer: "导入失败：备份来自更新版本的网站（格式版本 {v}），本页只能读版本 1。请先刷新网站再导入。本机进度没有改变。",
      loading: "加载中…", failed: "章节列表加载失败，请刷新页面重试。",
      reset: "本地保存的部分进度已损坏，显示时按空白处理。"
    },
    en: {
      today: "Today", due: "Due today", review: "Review now", opened: "Answers opened", cards: "Flashcards",
      sessions: "Mock interviews", quizzes: "Quizzes",
      table: "By chapter", chapter: "Chapter", questions: "Questions", quiz: "Best quiz score", mock: "Mock interviews",
      stats: { new: "New", learning: "Learning", due: "Due", young: "Young", mastered: "Mastered" },
      total: "Total", noQuiz: "–",
      calendar: "Reviews, last 6 months",
      calendarLabel: function (n, d) { return n + " reviews in the last 6 months, on " + d + " days."; },
      day: function (d, n) { return d + ": " + n + (n === 1 ? " review" : " reviews"); },
      less: "Less", more: "More",
      months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
      backup: "Backup",
      backupHelp: "Export all progress (flashcards, quizzes, mock interviews, answers opened, the review log) to one JSON file and import it in another browser. Import merges by question: for each card the newer review wins, and nothing already stored here is lost.",
      export: "Export progress", import: "Import a backup file",
      exported: function (name) { return "Exported: " + name; },
      imported: function (n, u) { return "Imported " + n + " cards; " + u + " of them replaced an older state here."; },
      corrupt: "Import failed: the file is damaged or not JSON. Nothing stored here has changed.",
      foreign: "Import failed: this is not a progress backup of this site. Nothing stored here has changed.",
      newer: "Import failed: the backup comes from a newer version of the site (format version {v}); this page reads version 1. Reload the site, then import again. Nothing stored here has changed.",
      loading: "Loading…", failed: "The chapter list could not be loaded; reload the page to try again.",
      reset: "Some saved progress was corrupt and is shown as empty."
    }
  };

  // ---- backup: build, check, merge ------------------------------------------------------
  function sitePath(root) { return new URL(root, location.href).pathname; }  // e.g. /llm-handbook/

  // mkdocs-quiz's saved pages under this site, keyed by their path relative to the site root
  // (so a backup moves between hosts with different base paths).
  function quizPages(base) {
    var out = {};
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key.indexOf(QUIZ_PREFIX + base) !== 0) continue;
        try {
          var data = JSON.parse(localStorage.getItem(key));
          if (validQuiz(data)) out[key.slice((QUIZ_PREFIX + base).length)] = data;
        } catch (e) { /* mkdocs-quiz clears its own corrupt data */ }
      }
    } catch (e) { /* storage disabled */ }
    return out;
  }
  function validQuiz(data) {
    return store.isObject(data) && Object.keys(data).every(function (k) {
      var q = data[k];
      return store.isObject(q) && typeof q.answered === "boolean" && typeof q.correct === "boolean";
    });
  }

  function backup(base) {
    var file = { format: FORMAT, version: BACKUP_VERSION, exported: new Date().toISOString() };
    Object.keys(SECTIONS).forEach(function (s) { file[s] = store.get(SECTIONS[s]); });
    file.quizzes = quizPages(base);
    return file;
  }

  // The parsed sections of a backup file, or throws { reason: "corrupt" | "foreign" | "newer" }.
  function check(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { throw { reason: "corrupt" }; }
    if (!store.isObject(data) || data.format !== FORMAT) throw { reason: "foreign" };
    if (typeof data.version !== "number" || data.version < 1 || Math.floor(data.version) !== data.version) throw { reason: "corrupt" };
    if (data.version > BACKUP_VERSION) throw { reason: "newer", version: data.version };
    var out = {};
    try {
      Object.keys(SECTIONS).forEach(function (s) {
        out[s] = data[s] === undefined ? null : store.parse(SECTIONS[s], data[s]);
      });
    } catch (e) { throw { reason: "corrupt" }; }
    var quizzes = data.quizzes === undefined ? {} : data.quizzes;
    if (!store.isObject(quizzes) || !Object.keys(quizzes).every(function (p) { return validQuiz(quizzes[p]); })) {
      throw { reason: "corrupt" };
    }
    out.quizzes = quizzes;
    return out;
  }

  function time(d) { return d ? new Date(d).getTime() || 0 : 0; }
  // Merge imported sections into what is stored: per card the later last_review wins (a tie
  // keeps this browser's); review counts per day take the larger; answers opened and mock
  // sessions are united; quiz answers and best scores fill in what this browser lacks.
  function merge(incoming, base) {
    var srs = store.get("srs"), n = 0, updated = 0;
    Object.keys(incoming.srs ? incoming.srs.cards : {}).forEach(function (id) {
      var theirs = incoming.srs.cards[id], mine = srs.cards[id];
      n++;
      if (mine && time(theirs.last_review) <= time(mine.last_review)) return;
      if (mine) updated++;
      srs.cards[id] = theirs;
      if (incoming.srs.ratings[id]) srs.ratings[id] = incoming.srs.ratings[id];
      else delete srs.ratings[id];
    });
    var log = store.get("log");
    Object.keys(incoming.reviews ? incoming.reviews.days : {}).forEach(function (d) {
      log.days[d] = Math.max(log.days[d] || 0, incoming.reviews.days[d]);
    });
    var opened = store.get("opened");
    Object.keys(incoming.opened ? incoming.opened.ids : {}).forEach(function (id) {
      var at = incoming.opened.ids[id];
      opened.ids[id] = opened.ids[id] ? Math.min(opened.ids[id], at) : at;
    });
    var mock = store.get("mock");
    var seen = {};
    mock.sessions.forEach(function (s) { seen[s.at + ":" + s.items.length] = true; });
    (incoming.mock ? incoming.mock.sessions : []).forEach(function (s) {
      if (!seen[s.at + ":" + s.items.length]) mock.sessions.push(s);
    });
    mock.sessions.sort(function (a, b) { return a.at - b.at; });
    mock.sessions = mock.sessions.slice(-MOCK_MAX);
    if (!Object.keys(mock.prefs).length && incoming.mock) mock.prefs = incoming.mock.prefs;
    var best = store.get("quiz");
    Object.keys(incoming.quizBest ? incoming.quizBest.best : {}).forEach(function (p) {
      var b = incoming.quizBest.best[p], mine = best.best[p];
      if (!mine || b.correct > mine.correct) best.best[p] = b;
    });
    var quizWrites = {};
    Object.keys(incoming.quizzes).forEach(function (rel) {
      var key = QUIZ_PREFIX + base + rel, mine = {};
      try { mine = JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { mine = {}; }
      if (!validQuiz(mine)) mine = {};
      var theirs = incoming.quizzes[rel];
      Object.keys(theirs).forEach(function (id) { if (!mine[id]) mine[id] = theirs[id]; });
      quizWrites[key] = mine;
    });
    // everything computed: now write
    store.save("srs", srs); store.save("log", log); store.save("opened", opened);
    store.save("mock", mock); store.save("quiz", best);
    Object.keys(quizWrites).forEach(function (k) { store.write(k, quizWrites[k]); });
    store.notify();
    return { cards: n, updated: updated };
  }

  // ---- the review calendar: an inline SVG, one square per day ---------------------------
  function calendar(t, days) {
    var today = new Date(), cell = 11, gap = 2, top = 14, left = 0;
    var end = new Date(today.getFullYear(), today.getMonth(), today.getDate());
    var offset = (end.getDay() + 6) % 7;  // weeks start on Monday
    var start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - offset - (WEEKS - 1) * 7);
    var width = left + WEEKS * (cell + gap), height = top + 7 * (cell + gap);
    var max = 0, total = 0, active = 0;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("class", "hbp-calendar");
    svg.setAttribute("role", "img");
    function node(name, attrs, text) {
      var n = document.createElementNS(SVG, name);
      Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
      if (text !== undefined) n.textContent = text;
      return n;
    }
    var list = [];
    for (var d = new Date(start); d <= end; d.setDate(d.getDate() + 1)) {
      var key = store.day(d), n = days[key] || 0;
      list.push({ date: new Date(d), key: key, n: n });
      if (n > max) max = n;
      total += n;
      if (n) active++;
    }
    var lastMonth = -1;
    list.forEach(function (x, i) {
      var week = Math.floor(i / 7), weekday = i % 7;
      var level = x.n ? Math.min(4, Math.ceil(4 * x.n / max)) : 0;
      var rect = node("rect", {
        x: left + week * (cell + gap), y: top + weekday * (cell + gap), width: cell, height: cell, rx: 2,
        class: "hbp-l" + level, "data-day": x.key, "data-count": x.n
      });
      rect.appendChild(node("title", {}, t.day(x.key, x.n)));
      svg.appendChild(rect);
      if (weekday === 0 && x.date.getMonth() !== lastMonth) {
        lastMonth = x.date.getMonth();
        if (week < WEEKS - 2) svg.appendChild(node("text", { x: left + week * (cell + gap), y: 10, class: "hbp-month" }, t.months[lastMonth]));
      }
    });
    var label = t.calendarLabel(total, active);
    svg.setAttribute("aria-label", label);
    var legend = el("p", { class: "hbp-legend", "aria-hidden": "true" }, [document.createTextNode(t.less + " ")]
      .concat([0, 1, 2, 3, 4].map(function (l) { return el("span", { class: "hbp-swatch hbp-l" + l }); }))
      .concat([document.createTextNode(" " + t.more)]));
    return el("figure", { class: "hbp-figure" }, [svg, legend, el("figcaption", { text: label })]);
  }

  function init() {
    var root = document.querySelector('.hbc[data-companion="progress"]');
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var lang = root.dataset.lang === "en" ? "en" : "zh";
    var t = TEXT[lang];
    var base = sitePath(root.dataset.root);
    var view = el("div", { class: "hbc-view" });
    var message = el("p", { class: "hbp-message", role: "status", "aria-live": "polite" });
    root.appendChild(view);
    root.classList.add("hbc--js");
    view.appendChild(el("p", { text: t.loading }));

    function quizScore(chapter) {
      if (!chapter.quiz || !chapter.quiz_questions) return null;
      var path = new URL(root.dataset.root + chapter.quiz, location.href).pathname, saved = {};
      try { saved = JSON.parse(localStorage.getItem(QUIZ_PREFIX + path)) || {}; } catch (e) { saved = {}; }
      var correct = validQuiz(saved) ? Object.keys(saved).filter(function (k) { return saved[k].correct; }).length : 0;
      // mkdocs-quiz keeps the current answers only: the best score seen is remembered here
      var rel = path.slice(base.length), best = store.get("quiz"), total = chapter.quiz_questions;
      var b = best.best[rel] && best.best[rel].total === total ? best.best[rel] : null;  // a changed quiz starts over
      if (correct > (b ? b.correct : 0)) {
        b = best.best[rel] = { correct: correct, total: total };
        store.save("quiz", best);
      }
      return b;
    }

    function render(data) {
      var resets = ["srs", "log", "opened", "mock"].filter(function (k) { return store.load(k).reset; });
      var srs = store.get("srs"), log = store.get("log"), opened = store.get("opened"), mock = store.get("mock");
      var now = new Date(), until = store.endOfToday(now);
      var ids = data.questions.map(function (q) { return q.id; });
      var dueToday = store.dueCount(srs, now, ids);
      var rows = [], sum = { questions: 0, opened: 0, new: 0, learning: 0, due: 0, young: 0, mastered: 0 };
      var keys = ["new", "learning", "due", "young", "mastered"];
      data.chapters.forEach(function (c) {
        var qs = data.questions.filter(function (q) { return q.chapter === c.id; });
        var n = { opened: 0, new: 0, learning: 0, due: 0, young: 0, mastered: 0 };
        qs.forEach(function (q) {
          if (opened.ids[q.id]) n.opened++;
          n[store.bucket(srs.cards[q.id], until)]++;
        });
        var sessions = mock.sessions.filter(function (s) { return s.items.some(function (i) { return i.chapter === c.id; }); }).length;
        var best = quizScore(c);
        sum.questions += qs.length; sum.opened += n.opened;
        keys.forEach(function (k) { sum[k] += n[k]; });
        rows.push(el("tr", { "data-chapter": c.id }, [
          el("th", { scope: "row", text: c.title }),
          el("td", { text: String(qs.length) }),
          el("td", { "data-k": "opened", text: String(n.opened) })
        ].concat(keys.map(function (k) { return el("td", { "data-k": k, text: String(n[k]) }); })).concat([
          el("td", { "data-k": "quiz", text: best ? best.correct + " / " + best.total : t.noQuiz }),
          el("td", { "data-k": "mock", text: String(sessions) })
        ])));
      });
      rows.push(el("tr", { class: "hbp-total", "data-chapter": "" }, [
        el("th", { scope: "row", text: t.total }),
        el("td", { text: String(sum.questions) }),
        el("td", { "data-k": "opened", text: String(sum.opened) })
      ].concat(keys.map(function (k) { return el("td", { "data-k": k, text: String(sum[k]) }); })).concat([
        el("td", { text: "" }), el("td", { "data-k": "mock", text: String(mock.sessions.length) })
      ])));
      var head = el("tr", {}, [el("th", { scope: "col", text: t.chapter }), el("th", { scope: "col", text: t.questions }),
        el("th", { scope: "col", text: t.opened })].concat(keys.map(function (k) { return el("th", { scope: "col", text: t.stats[k] }); }))
        .concat([el("th", { scope: "col", text: t.quiz }), el("th", { scope: "col", text: t.mock })]));

      var tiles = el("div", { class: "hbp-tiles" }, [
        tile(t.due, String(dueToday), "hbp-due", el("a", { href: root.dataset.flashcards + "?mode=due", text: t.review })),
        tile(t.opened, sum.opened + " / " + sum.questions, "hbp-opened"),
        tile(t.cards, (sum.questions - sum.new) + " / " + sum.questions, "hbp-cards"),
        tile(t.sessions, String(mock.sessions.length), "hbp-sessions")
      ]);
      var exportButton = el("button", { type: "button", class: "hbc-button hbc-primary", text: t.export });
      var input = el("input", { type: "file", accept: "application/json,.json", class: "hbp-file", id: "hbp-import" });
      var importLabel = el("label", { for: "hbp-import", class: "hbc-button" , text: t.import });
      exportButton.addEventListener("click", function () {
        var file = backup(base), name = "llm-handbook-progress-" + store.day() + ".json";
        var url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: "application/json" }));
        var a = el("a", { href: url, download: name });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
        message.className = "hbp-message";
        message.textContent = t.exported(name);
      });
      input.addEventListener("change", function () {
        var f = input.files && input.files[0];
        if (!f) return;
        f.text().then(function (text) {
          var result;
          input.value = "";  // the same file may be chosen again
          try { result = merge(check(text), base); }
          catch (err) {
            message.className = "hbp-message hbp-error";
            var reason = err && err.reason || "corrupt";
            message.textContent = t[reason].replace("{v}", err.version);
            return;
          }
          render(data);
          message.className = "hbp-message hbp-ok";
          message.textContent = t.imported(result.cards, result.updated);
        });
      });

      view.textContent = "";
      if (resets.length) view.appendChild(el("p", { class: "fc-notice", role: "status", text: t.reset }));
      view.appendChild(el("section", { class: "hbp-today", "aria-label": t.today }, [tiles]));
      view.appendChild(el("h2", { text: t.table }));
      view.appendChild(el("div", { class: "hbc-scroll" }, [el("table", { class: "hbp-table" }, [el("thead", {}, [head]), el("tbody", {}, rows)])]));
      view.appendChild(el("h2", { text: t.calendar }));
      view.appendChild(calendar(t, log.days));
      view.appendChild(el("h2", { text: t.backup }));
      view.appendChild(el("p", { text: t.backupHelp }));
      // the file input stays focusable (hidden visually); its label is the visible button
      view.appendChild(el("div", { class: "hbc-tools" }, [exportButton, input, importLabel]));
      view.appendChild(message);
    }
    function tile(label, value, cls, extra) {
      return el("div", { class: "hbp-tile " + cls }, [el("span", { class: "hbp-label", text: label }),
        el("span", { class: "hbp-value", text: value }), extra || null]);
    }

    fetch(root.dataset.data).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (data) {
      render(data);
      // a grade or an import in another tab
      window.addEventListener("storage", function () { render(data); });
    }).catch(function () {
      view.textContent = "";
      view.appendChild(el("p", { role: "alert", text: t.failed }));
    });
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
