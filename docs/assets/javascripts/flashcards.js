// Flashcard drill over the card list that the build renders into the page (progressive
// enhancement: without this script the list is a readable page of questions and answers).
// Scheduling is FSRS through ts-fsrs (window.FSRS), the algorithm Anki itself ships.
// Progress lives in localStorage under one versioned key, keyed by question id, so it survives
// reordering and is shared by the Chinese and English pages.
(function () {
  "use strict";

  var STORE_KEY = "llm-handbook:srs";
  var STORE_VERSION = 1;
  var MATURE_DAYS = 21; // Anki calls a card "mature" from a 21-day interval on
  var LIST_STEP = 100; // titles listed under the drill at a time

  var TEXT = {
    zh: {
      search: "搜索卡片", searchHint: "题目或答案中的文字", chapter: "章节", tag: "标签",
      difficulty: "难度", mode: "范围", all: "全部", due: "今日复习（到期 + 新卡）",
      levels: { 1: "基础", 2: "进阶", 3: "高级" },
      prev: "上一张", next: "下一张", flip: "翻面", unflip: "盖住答案", shuffle: "洗牌",
      ratings: ["重来", "困难", "良好", "简单"],
      stats: { new: "新卡", learning: "学习中", due: "到期", mastered: "已掌握" },
      position: function (i, n) { return "第 " + i + " / " + n + " 张"; },
      none: "没有符合条件的卡片。", more: "显示更多", matches: function (n) { return "匹配 " + n + " 张"; },
      reset: "本地保存的复习进度已损坏或来自旧版本，已重置。",
      nextDue: function (d) { return "下次复习：" + d.toLocaleString("zh-CN", { dateStyle: "medium", timeStyle: "short" }); },
      stage: "闪卡，按空格翻面"
    },
    en: {
      search: "Search cards", searchHint: "words in the question or answer", chapter: "Chapter",
      tag: "Tag", difficulty: "Difficulty", mode: "Cards", all: "All", due: "Due today (due + new)",
      levels: { 1: "basic", 2: "intermediate", 3: "advanced" },
      prev: "Previous", next: "Next", flip: "Flip", unflip: "Hide answer", shuffle: "Shuffle",
      ratings: ["Again", "Hard", "Good", "Easy"],
      stats: { new: "New", learning: "Learning", due: "Due", mastered: "Mastered" },
      position: function (i, n) { return "Card " + i + " of " + n; },
      none: "No card matches.", more: "Show more", matches: function (n) { return n + " matching"; },
      reset: "Saved review progress was corrupt or from an old version and has been reset.",
      nextDue: function (d) { return "Next review: " + d.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" }); },
      stage: "Flashcard, press Space to flip"
    }
  };

  // ---- storage: { version, cards: { id: ts-fsrs card } }; anything else is reset ----------
  function loadStore() {
    var raw;
    try { raw = localStorage.getItem(STORE_KEY); } catch (e) { return { store: empty(), reset: false }; }
    if (raw === null) return { store: empty(), reset: false };
    try {
      var data = JSON.parse(raw);
      if (!data || data.version !== STORE_VERSION || typeof data.cards !== "object" || !data.cards) {
        throw new Error("bad shape");
      }
      var cards = {};
      Object.keys(data.cards).forEach(function (id) {
        var card = FSRS.TypeConvert.card(data.cards[id]);
        if (isNaN(card.due.getTime()) || typeof card.state !== "number") throw new Error("bad card");
        cards[id] = card; // ids of questions that no longer exist are kept, harmlessly
      });
      return { store: { version: STORE_VERSION, cards: cards }, reset: false };
    } catch (e) {
      return { store: empty(), reset: true };
    }
  }
  function empty() { return { version: STORE_VERSION, cards: {} }; }
  function saveStore(store) {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(store)); } catch (e) { /* private mode */ }
  }

  // ---- small DOM helper ----------------------------------------------------------------
  var el = window.handbook.el; // dom.js
  function select(name, label, options) {
    var s = el("select", { name: name });
    options.forEach(function (o) { s.appendChild(el("option", { value: o[0], text: o[1] })); });
    return { label: el("label", {}, [document.createTextNode(label), s]), input: s };
  }

  function fullText(li) {
    var template = li.querySelector(".fc-full template");
    return template ? template.content.textContent : "";
  }

  // The shown copy of a card gets its full answer out of the inert <template>.
  function openTemplates(node) {
    node.querySelectorAll("template").forEach(function (template) {
      template.replaceWith(template.content.cloneNode(true));
    });
  }

  function init() {
    var root = document.querySelector(".fc");
    if (!root || root.dataset.ready || !window.FSRS) return;
    root.dataset.ready = "1";
    var t = TEXT[root.dataset.lang] || TEXT.zh;
    var scheduler = FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: false }));
    var loaded = loadStore();

    // One entry per card, read once from the rendered list.
    var cards = Array.prototype.map.call(root.querySelectorAll(".fc-card"), function (li, i) {
      return {
        id: li.dataset.id, li: li, order: i, chapter: li.dataset.chapter,
        chapterTitle: li.querySelector(".fc-chapter").textContent,
        tags: li.dataset.tags ? li.dataset.tags.split(",") : [],
        difficulty: li.dataset.difficulty,
        text: (li.textContent + " " + fullText(li)).toLowerCase()
      };
    });

    // ---- controls -----------------------------------------------------------------------
    var search = el("input", { type: "search", name: "search", placeholder: t.searchHint, autocomplete: "off" });
    var chapters = [["", t.all]];
    cards.forEach(function (c) {
      if (!chapters.some(function (o) { return o[0] === c.chapter; })) chapters.push([c.chapter, c.chapterTitle]);
    });
    var tags = [["", t.all]];
    cards.forEach(function (c) {
      c.tags.forEach(function (tag) { if (!tags.some(function (o) { return o[0] === tag; })) tags.push([tag, tag]); });
    });
    var fChapter = select("chapter", t.chapter, chapters);
    var fTag = select("tag", t.tag, tags);
    var fDiff = select("difficulty", t.difficulty, [["", t.all], ["1", t.levels[1]], ["2", t.levels[2]], ["3", t.levels[3]]]);
    var fMode = select("mode", t.mode, [["", t.all], ["due", t.due]]);
    var stats = el("p", { class: "fc-stats", "aria-live": "polite" });
    var notice = el("p", { class: "fc-notice", role: "status", hidden: "" });
    var position = el("span", { class: "fc-position", "aria-live": "polite" });
    var stage = el("div", { class: "fc-stage", tabindex: "0", role: "region", "aria-label": t.stage });
    function button(label, cls) { return el("button", { type: "button", class: cls || "", text: label }); }
    var bPrev = button(t.prev), bFlip = button(t.flip, "fc-flip"), bNext = button(t.next), bShuffle = button(t.shuffle);
    var ratingButtons = t.ratings.map(function (label, i) {
      var b = button((i + 1) + " " + label, "fc-rate");
      b.dataset.rating = String(i + 1);
      return b;
    });
    var ratings = el("div", { class: "fc-ratings", hidden: "" }, ratingButtons);
    var app = root.querySelector(".fc-app");
    // The card comes first, so a drill needs no scrolling; search and filters follow it.
    app.appendChild(el("div", { class: "fc-controls" }, [
      notice, stats, position, stage,
      el("div", { class: "fc-buttons" }, [bPrev, bFlip, bNext, bShuffle]), ratings,
      el("label", { class: "fc-search" }, [document.createTextNode(t.search), search]),
      el("div", { class: "fc-filters" }, [fChapter.label, fTag.label, fDiff.label, fMode.label])
    ]));
    app.hidden = false;
    root.classList.add("fc--js");
    var list = root.querySelector(".fc-list");
    var matches = el("p", { class: "fc-position" });
    list.parentNode.insertBefore(matches, list);
    var more = el("button", { type: "button", class: "fc-more", text: t.more, hidden: "" });
    list.parentNode.insertBefore(more, list.nextSibling);
    more.addEventListener("click", function () { state.listed += LIST_STEP; showList(); });

    // ---- state: one object, one render() -------------------------------------------------
    var state = { store: loaded.store, filtered: [], index: 0, flipped: false, order: null, listed: LIST_STEP };
    if (loaded.reset) {
      saveStore(state.store);
      notice.textContent = t.reset;
      notice.hidden = false;
    }

    function isDue(c, now) {
      var card = state.store.cards[c.id];
      return !card || card.due <= now;
    }
    // Typing usually extends the query, so each keystroke searches only the previous matches.
    var last = { key: null, query: "", result: cards };
    function applyFilters() {
      var q = search.value.trim().toLowerCase();
      var words = q ? q.split(/\s+/) : [];
      var now = new Date();
      var endOfDay = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
      var key = [fChapter.input.value, fTag.input.value, fDiff.input.value, fMode.input.value].join("|");
      var pool = state.order || cards;
      if (key === last.key && last.query && q.indexOf(last.query) === 0 && pool === last.pool) pool = last.result;
      state.filtered = pool.filter(function (c) {
        if (fChapter.input.value && c.chapter !== fChapter.input.value) return false;
        if (fTag.input.value && c.tags.indexOf(fTag.input.value) < 0) return false;
        if (fDiff.input.value && c.difficulty !== fDiff.input.value) return false;
        if (fMode.input.value === "due" && !isDue(c, endOfDay)) return false;
        for (var i = 0; i < words.length; i++) if (c.text.indexOf(words[i]) < 0) return false;
        return true;
      });
      last = { key: key, query: q, result: state.filtered, pool: state.order || cards };
      state.listed = LIST_STEP;
      state.index = Math.min(state.index, Math.max(0, state.filtered.length - 1));
      state.flipped = false;
      writeUrl();
      showList();
      render();
    }

    // The list under the drill shows the first matches only (more on request), so a keystroke
    // in a deck of thousands re-lays out a page of titles, not the whole deck.
    function showList() {
      var shown = new Set(state.filtered.slice(0, state.listed));
      cards.forEach(function (c) {  // touch only the cards whose visibility changes
        var hide = !shown.has(c);
        if (c.li.hidden !== hide) c.li.hidden = hide;
      });
      more.hidden = state.filtered.length <= state.listed;
    }

    function countStats() {
      var now = new Date(), n = { new: 0, learning: 0, due: 0, mastered: 0 };
      cards.forEach(function (c) {
        var card = state.store.cards[c.id];
        if (!card || card.state === FSRS.State.New) n.new++;
        else if (card.state === FSRS.State.Learning || card.state === FSRS.State.Relearning) n.learning++;
        else if (card.due <= now) n.due++;
        else if (card.scheduled_days >= MATURE_DAYS) n.mastered++;
      });
      return n;
    }

    function render() {
      var n = countStats();
      stats.textContent = ["new", "learning", "due", "mastered"].map(function (k) {
        return t.stats[k] + " " + n[k];
      }).join(" · ");
      matches.textContent = t.matches(state.filtered.length);
      stage.textContent = "";
      cards.forEach(function (c) { c.li.removeAttribute("aria-current"); });
      var current = state.filtered[state.index];
      if (!current) {
        position.textContent = "";
        stage.appendChild(el("p", { text: t.none }));
        ratings.hidden = true;
        return;
      }
      current.li.setAttribute("aria-current", "true");
      position.textContent = t.position(state.index + 1, state.filtered.length);
      var face = current.li.cloneNode(true);
      face.removeAttribute("id");
      face.hidden = false;
      openTemplates(face);
      var back = face.querySelector(".fc-back");
      back.hidden = !state.flipped;
      stage.appendChild(el("ol", { class: "fc-face" }, [face]));  // an <li> needs its list
      var saved = state.store.cards[current.id];
      if (saved && saved.state !== FSRS.State.New) {
        stage.appendChild(el("p", { class: "fc-position", text: t.nextDue(saved.due) }));
      }
      bFlip.textContent = state.flipped ? t.unflip : t.flip;
      bFlip.setAttribute("aria-expanded", String(state.flipped));
      ratings.hidden = !state.flipped;
      if (state.flipped) {
        if (window.handbook.math) window.handbook.math.render(face);
        if (window.handbook.diagrams) face.querySelectorAll(".diagram").forEach(window.handbook.diagrams.draw);
      }
    }

    function move(step) {
      if (!state.filtered.length) return;
      state.index = (state.index + step + state.filtered.length) % state.filtered.length;
      state.flipped = false;
      render();
    }
    function flip() { if (state.filtered.length) { state.flipped = !state.flipped; render(); } }
    function rate(grade) {
      var current = state.filtered[state.index];
      if (!current || !state.flipped) return;
      var now = new Date();
      var card = state.store.cards[current.id] || FSRS.createEmptyCard(now);
      state.store.cards[current.id] = scheduler.next(card, now, grade).card;
      saveStore(state.store);
      if (fMode.input.value === "due") {
        applyFilters(); // a card rated beyond today leaves the queue; one due later today stays,
        var same = state.filtered[state.index];  // so step past it instead of showing it again
        if (same && same.id === current.id) move(1);
      } else {
        move(1);
      }
    }
    function shuffle() {
      var copy = cards.slice();
      for (var i = copy.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var tmp = copy[i]; copy[i] = copy[j]; copy[j] = tmp;
      }
      state.order = copy;
      state.index = 0;
      applyFilters();
    }

    // ---- URL holds the filters, so a filtered deck can be shared ---------------------------
    // ("search", not "q": Material's own search box claims ?q=)
    var fields = { search: search, chapter: fChapter.input, tag: fTag.input, difficulty: fDiff.input, mode: fMode.input };
    function readUrl() {
      var params = new URLSearchParams(location.search);
      Object.keys(fields).forEach(function (k) {
        var v = params.get(k) || "";
        var input = fields[k];
        if (input.tagName === "SELECT" && !Array.prototype.some.call(input.options, function (o) { return o.value === v; })) v = "";
        input.value = v;
      });
    }
    function writeUrl() {
      var params = new URLSearchParams();
      Object.keys(fields).forEach(function (k) { if (fields[k].value) params.set(k, fields[k].value); });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    // ---- events ----------------------------------------------------------------------------
    search.addEventListener("input", applyFilters);
    [fChapter, fTag, fDiff, fMode].forEach(function (f) { f.input.addEventListener("change", applyFilters); });
    bPrev.addEventListener("click", function () { move(-1); });
    bNext.addEventListener("click", function () { move(1); });
    bFlip.addEventListener("click", flip);
    bShuffle.addEventListener("click", shuffle);
    stage.addEventListener("click", function (e) { if (!e.target.closest("a, summary, details")) flip(); });
    ratingButtons.forEach(function (b) { b.addEventListener("click", function () { rate(Number(b.dataset.rating)); }); });
    // A title in the list opens that card in the drill (click, or Enter when focused).
    function pick(e) {
      var li = e.target.closest(".fc-card");
      if (!li || e.target.closest("a")) return;
      var i = state.filtered.findIndex(function (c) { return c.li === li; });
      if (i >= 0) { state.index = i; state.flipped = false; render(); stage.focus(); }
    }
    cards.forEach(function (c) { c.li.tabIndex = 0; });
    list.addEventListener("click", pick);
    list.addEventListener("keydown", function (e) { if (e.key === "Enter") pick(e); });
    document.addEventListener("keydown", function (e) {
      var typing = e.target.closest && e.target.closest("input, select, textarea");
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      // Space keeps its own meaning on buttons and links (it activates them)
      var native = e.target.closest && e.target.closest("button, summary, a");
      if (e.key === " ") { if (!native) { e.preventDefault(); flip(); } }
      else if (e.key === "ArrowLeft") move(-1);
      else if (e.key === "ArrowRight") move(1);
      else if (/^[1-4]$/.test(e.key)) rate(Number(e.key));
    });

    readUrl();
    applyFilters();
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
