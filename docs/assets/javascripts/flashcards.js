// Flashcard drill over the card list that the build renders into the page (progressive
// enhancement: without this script the list is a readable page of questions and answers).
// Scheduling is FSRS through ts-fsrs (window.FSRS), the algorithm Anki itself ships.
// Progress lives in localStorage under one versioned key, keyed by question id, so it survives
// reordering and is shared by the Chinese and English pages; store.js reads and writes it (the
// mock interview and the progress page share it).
(function () {
  "use strict";

  var store = window.handbook.store; // store.js
  var AT_KEY = "llm-handbook:flashcards-at"; // id of the card shown last, to resume on reload
  var LIST_STEP = 100; // titles listed under the drill at a time
  var SWIPE_PX = 50; // a horizontal swipe at least this long moves to another card

  var TEXT = {
    zh: {
      search: "搜索卡片", searchHint: "题目或答案中的文字", chapter: "章节", tag: "标签",
      difficulty: "难度", mode: "范围", all: "全部", allCards: "全部卡片", due: "今日复习（到期 + 新卡）",
      levels: { 1: "基础", 2: "进阶", 3: "高级" },
      prev: "上一张", next: "下一张", show: "显示答案", shuffle: "洗牌",
      ratings: ["重来", "困难", "良好", "简单"],
      units: { m: " 分钟", h: " 小时", d: " 天", mo: " 个月", y: " 年" },
      stats: { new: "新卡", learning: "学习中", due: "到期", young: "巩固中", mastered: "已掌握" },
      hintKeys: "空格 翻面 · ← / → 换卡 · 1–4 评分",
      hintTouch: "点卡片翻面 · 左右滑动换卡 · 翻面后点按钮评分",
      position: function (i, n) { return "第 " + i + " / " + n + " 张"; },
      none: "没有符合条件的卡片。", more: "显示更多", matches: function (n) { return "匹配 " + n + " 张"; },
      done: "今天要复习的卡片都复习完了。", doneHere: "所选范围内今天没有要复习的卡片。",
      reviewAll: "浏览全部卡片",
      reset: "本地保存的复习进度已损坏或来自旧版本，已重置。",
      nextDue: function (d) { return "下次复习：" + d.toLocaleString("zh-CN", { dateStyle: "medium", timeStyle: "short" }); },
      nextCard: function (d) { return "下一张卡片到期：" + d.toLocaleString("zh-CN", { dateStyle: "medium", timeStyle: "short" }) + "。"; },
      stage: "闪卡", loading: "加载中…"
    },
    en: {
      search: "Search cards", searchHint: "words in the question or answer", chapter: "Chapter",
      tag: "Tag", difficulty: "Difficulty", mode: "Cards", all: "All", allCards: "All cards", due: "Due today (due + new)",
      levels: { 1: "basic", 2: "intermediate", 3: "advanced" },
      prev: "Previous", next: "Next", show: "Show answer", shuffle: "Shuffle",
      ratings: ["Again", "Hard", "Good", "Easy"],
      units: { m: "m", h: "h", d: "d", mo: "mo", y: "y" },
      stats: { new: "New", learning: "Learning", due: "Due", young: "Young", mastered: "Mastered" },
      hintKeys: "Space flips · ← / → change cards · 1–4 grade",
      hintTouch: "Tap the card to flip · swipe to change cards · grade with the buttons",
      position: function (i, n) { return "Card " + i + " of " + n; },
      none: "No card matches.", more: "Show more", matches: function (n) { return n + " matching"; },
      done: "You are done for today: no card is due.", doneHere: "No card in this selection is due today.",
      reviewAll: "Browse all cards",
      reset: "Saved review progress was corrupt or from an old version and has been reset.",
      nextDue: function (d) { return "Next review: " + d.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" }); },
      nextCard: function (d) { return "The next card is due " + d.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" }) + "."; },
      stage: "Flashcard", loading: "Loading…"
    }
  };

  // ---- storage: store.js; anything unreadable is reset (with a notice) -------------------
  function readAt() { try { return localStorage.getItem(AT_KEY); } catch (e) { return null; } }
  function saveAt(id) { try { localStorage.setItem(AT_KEY, id); } catch (e) { /* private mode */ } }

  // ---- small DOM helpers -----------------------------------------------------------------
  var el = window.handbook.el; // dom.js
  function select(name, label, options) {
    var s = el("select", { name: name });
    options.forEach(function (o) { s.appendChild(el("option", { value: o[0], text: o[1] })); });
    return { label: el("label", {}, [document.createTextNode(label), s]), input: s };
  }

  // Wrap each occurrence of the (lower-case) words in <mark>, in text outside formulas/diagrams.
  function mark(node, words) {
    if (!words.length) return;
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentNode.closest(".arithmatex, .katex, .diagram, mark, svg, script, style")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach(function (n) {
      var text = n.nodeValue, lower = text.toLowerCase();
      if (lower.length !== text.length) return; // case mapping changed offsets: leave it
      var spans = [];
      words.forEach(function (w) {
        for (var i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + w.length)) spans.push([i, i + w.length]);
      });
      if (!spans.length) return;
      spans.sort(function (a, b) { return a[0] - b[0]; });
      var out = document.createDocumentFragment(), at = 0;
      spans.forEach(function (s) {
        if (s[0] < at) return; // overlaps the previous match
        out.appendChild(document.createTextNode(text.slice(at, s[0])));
        out.appendChild(el("mark", { text: text.slice(s[0], s[1]) }));
        at = s[1];
      });
      out.appendChild(document.createTextNode(text.slice(at)));
      n.replaceWith(out);
    });
  }
  function unmark(node) {
    node.querySelectorAll("mark").forEach(function (m) { m.replaceWith(m.textContent); });
    node.normalize();
  }

  // An interval as Anki writes it on its grade buttons: 1m, 10m, 3h, 4d, 1.5mo, 2y.
  function interval(ms, u) {
    var minutes = ms / 60000, days = minutes / 1440;
    function one(x) { return String(Math.round(x * 10) / 10); }
    if (minutes < 60) return Math.max(1, Math.round(minutes)) + u.m;
    if (days < 1) return Math.round(minutes / 60) + u.h;
    if (days < 30) return Math.round(days) + u.d;
    if (days < 365) return one(days / 30) + u.mo;
    return one(days / 365) + u.y;
  }

  var endOfToday = store.endOfToday;

  function init() {
    var root = document.querySelector(".fc");
    if (!root || root.dataset.ready || !window.FSRS) return;
    root.dataset.ready = "1";
    var lang = root.dataset.lang;
    var t = TEXT[lang] || TEXT.zh;
    var scheduler = FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: false }));
    var loaded = store.load("srs");

    // One entry per card, read once from the rendered list: at load only what the filters
    // need (attributes, no layout); the texts the search reads are taken at the first search
    // (searchable()), so a deck of thousands costs little before the first card shows.
    var chapterTitles = {};
    var cards = Array.prototype.map.call(root.querySelector(".fc-list").children, function (li, i) {
      var chapter = li.dataset.chapter;
      if (!(chapter in chapterTitles)) chapterTitles[chapter] = li.querySelector(".fc-chapter").textContent;
      return {
        id: li.dataset.id, li: li, rank: i, score: 0, chapter: chapter,
        chapterTitle: chapterTitles[chapter],
        tags: li.dataset.tags ? li.dataset.tags.split(",") : [],
        tagText: (li.dataset.tags || "").toLowerCase(),
        difficulty: li.dataset.difficulty,
        title: null, q: null, short: null, text: null
      };
    });
    var fullTexts = null;  // answers.text once loaded
    function searchable(c) {
      if (c.text !== null) return c;
      var short = c.li.querySelector(".fc-short");
      c.title = c.li.querySelector(".fc-q");
      c.q = c.title.textContent.toLowerCase();
      c.short = short ? short.textContent.toLowerCase() : "";
      c.text = c.li.textContent.toLowerCase();
      if (fullTexts) c.text += " " + (fullTexts[c.id] || "").toLowerCase();
      return c;
    }

    // ---- controls -----------------------------------------------------------------------
    var search = el("input", { type: "search", name: "search", placeholder: t.searchHint, autocomplete: "off" });
    var collator = new Intl.Collator(lang === "en" ? "en" : "zh-CN");
    var chapters = Object.keys(chapterTitles).map(function (c) { return [c, chapterTitles[c]]; });
    var seenTags = {}, tags = [];
    cards.forEach(function (c) {
      c.tags.forEach(function (tag) { if (!seenTags[tag]) { seenTags[tag] = true; tags.push([tag, tag]); } });
    });
    tags.sort(function (a, b) { return collator.compare(a[1], b[1]); });
    var fChapter = select("chapter", t.chapter, [["", t.all]].concat(chapters));
    var fTag = select("tag", t.tag, [["", t.all]].concat(tags));
    var fDiff = select("difficulty", t.difficulty, [["", t.all], ["1", t.levels[1]], ["2", t.levels[2]], ["3", t.levels[3]]]);
    var fMode = select("mode", t.mode, [["all", t.allCards], ["due", t.due]]);
    var stats = el("p", { class: "fc-stats", "aria-live": "polite" });
    var notice = el("p", { class: "fc-notice", role: "status", hidden: "" });
    var position = el("span", { class: "fc-position", "aria-live": "polite" });
    // The card is not a tab stop of its own (its buttons are); the page focuses it on load.
    var stage = el("div", { class: "fc-stage", tabindex: "-1", role: "region", "aria-label": t.stage });
    function button(label, cls) { return el("button", { type: "button", class: cls || "", text: label }); }
    var bPrev = button(t.prev), bNext = button(t.next), bShuffle = button(t.shuffle);
    var bShow = button(t.show, "fc-show");
    bShow.setAttribute("aria-keyshortcuts", "Space");
    var ratingButtons = t.ratings.map(function (label, i) {
      var b = el("button", { type: "button", class: "fc-rate", "aria-keyshortcuts": String(i + 1) }, [
        el("span", { class: "fc-rate-label", text: label }), el("span", { class: "fc-rate-ivl" })
      ]);
      b.dataset.rating = String(i + 1);
      return b;
    });
    var ratings = el("div", { class: "fc-ratings" }, ratingButtons);
    // One bar holds "show answer" on the front and the grades on the back, stacked in the same
    // place (only one is visible), so flipping never moves anything; it sticks to the bottom
    // of the screen when a long answer scrolls.
    var bar = el("div", { class: "fc-bar" }, [bShow, ratings]);
    var hint = el("p", { class: "fc-hint" }, [
      el("span", { class: "fc-hint-keys", text: t.hintKeys }), el("span", { class: "fc-hint-touch", text: t.hintTouch })
    ]);
    var app = root.querySelector(".fc-app");
    // The card comes first, so a drill needs no scrolling; counters, search and filters follow.
    app.appendChild(el("div", { class: "fc-controls" }, [
      notice, position, stage, bar,
      el("div", { class: "fc-buttons" }, [bPrev, bNext, bShuffle]), hint, stats,
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
    var state = {
      store: loaded.data, filtered: [], index: 0, flipped: false, order: null, listed: LIST_STEP,
      words: [], query: "", marked: [], marking: 0, current: null,
      answers: undefined  // full answers by id: undefined (not asked), null (loading), false (failed)
    };
    if (loaded.reset) {
      store.save("srs", state.store);
      notice.textContent = t.reset;
      notice.hidden = false;
    }
    // ---- full answers: one file ({html: {id: html}, text: {id: text}}) fetched once, at the
    // reader's first key, touch or search (not at load: the page itself stays light), and kept
    // in state.answers; until it lands a flipped card says "loading", and if it fails the card
    // keeps its short answer and the link to the full answer on its page.
    function loadAnswers() {
      if (state.answers !== undefined) return;
      state.answers = null;  // loading
      fetch(root.dataset.answers).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (answers) {
        state.answers = answers;
        fullTexts = answers.text;
        cards.forEach(function (c) {  // cards read already get the full text; others when read
          if (c.text !== null) c.text += " " + (fullTexts[c.id] || "").toLowerCase();
        });
        if (state.words.length) refilter();
        showFull();
      }).catch(function () {
        state.answers = false;
        showFull();
      });
    }
    // Fill the full answer of the card on the stage (`face`, the copy render() shows).
    function fillFull(face) {
      var details = face.querySelector(".fc-full");
      if (!details) {
        if (state.answers === false) return;
        // the list's cards carry no full answer; the card on the stage gets its <details>
        details = el("details", { class: "fc-full" }, [el("summary", { text: root.dataset.full })]);
        var back = face.querySelector(".fc-back");
        back.insertBefore(details, back.querySelector(".fc-source"));
      }
      var body = details.querySelector(".fc-answer") || details.appendChild(el("div", { class: "fc-answer" }));
      if (state.answers === false) { details.remove(); return; }  // the link to its page stays
      if (!state.answers) { body.textContent = t.loading; return; }
      body.innerHTML = state.answers.html[face.dataset.id] || "";
      mark(body, state.words);
      if (state.flipped && window.handbook.diagrams) body.querySelectorAll(".diagram").forEach(window.handbook.diagrams.draw);
    }
    function showFull() {
      var face = stage.querySelector(".fc-face > .fc-card");
      if (face) fillFull(face);
    }
    // The current query again, now over the full answers too; a flipped card stays flipped.
    function refilter() {
      var shown = state.current, flipped = state.flipped;
      last.key = null;
      applyFilters();
      if (flipped && state.current === shown) { state.flipped = true; render(); }
    }

    // Once the reader has any progress, the page opens on today's review queue.
    var defaultMode = cards.some(function (c) { return state.store.cards[c.id]; }) ? "due" : "all";

    function isDue(c, until) {
      var card = state.store.cards[c.id];
      return !card || card.due < until;
    }
    // Relevance of a card to the query words: the question counts most, then tags, the short
    // answer and the full answer.
    function score(c, words, q) {
      searchable(c);
      var s = c.q.indexOf(q) >= 0 ? 20 : 0;
      words.forEach(function (w) {
        if (c.q.indexOf(w) >= 0) s += 8;
        if (c.tagText.indexOf(w) >= 0) s += 4;
        if (c.short.indexOf(w) >= 0) s += 2;
        s += 1;
      });
      return s;
    }
    // ?ids=a,b (the mock interview's "drill the missed ones") keeps just those cards.
    var only = (new URLSearchParams(location.search).get("ids") || "").split(",").filter(Boolean);
    // Every filter but the scope (mode), which the empty-queue notice looks past.
    function passes(c, words) {
      if (only.length && only.indexOf(c.id) < 0) return false;
      if (fChapter.input.value && c.chapter !== fChapter.input.value) return false;
      if (fTag.input.value && c.tags.indexOf(fTag.input.value) < 0) return false;
      if (fDiff.input.value && c.difficulty !== fDiff.input.value) return false;
      if (!words.length) return true;
      var text = searchable(c).text;
      for (var i = 0; i < words.length; i++) if (text.indexOf(words[i]) < 0) return false;
      return true;
    }
    // Typing usually extends the query, so each keystroke searches only the previous matches.
    var last = { key: null, query: "", result: cards };
    function applyFilters() {
      var q = search.value.trim().toLowerCase();
      var words = q ? q.split(/\s+/) : [];
      if (words.length) loadAnswers();
      var until = endOfToday(new Date());
      var key = [fChapter.input.value, fTag.input.value, fDiff.input.value, fMode.input.value].join("|");
      var pool = state.order || cards;
      if (key === last.key && last.query && q.indexOf(last.query) === 0 && pool === last.pool) pool = last.result;
      var due = fMode.input.value === "due";
      var shown = state.filtered[state.index];
      state.filtered = pool.filter(function (c) { return passes(c, words) && (!due || isDue(c, until)); });
      if (words.length) {  // best match first; ties keep the deck's (or the shuffle's) order
        state.filtered.forEach(function (c) { c.score = score(c, words, q); });
        state.filtered.sort(function (a, b) { return b.score - a.score || a.rank - b.rank; });
      }
      last = { key: key, query: q, result: state.filtered, pool: state.order || cards };
      state.words = words;
      state.listed = LIST_STEP;
      // a new query shows its best match; otherwise the card stays, or the next one takes its place
      var at = state.filtered.indexOf(shown);
      if (q !== state.query && words.length) state.index = 0;
      else if (at >= 0) state.index = at;
      else state.index = Math.min(state.index, Math.max(0, state.filtered.length - 1));
      state.query = q;
      state.flipped = false;
      writeUrl();
      showList();
      render();
    }

    // The list under the drill shows the first matches only (more on request), in the drill's
    // order, so a keystroke in a deck of thousands re-lays out a page of titles, not the deck.
    var listedNow = new Set(cards);  // the cards the list shows (all, as the page arrives)
    function showList() {
      var listed = state.filtered.slice(0, state.listed);
      var shown = new Set(listed);
      // touch only the cards whose visibility changes: a keystroke costs the size of the
      // list shown (a hundred titles), not of the deck
      listedNow.forEach(function (c) { if (!shown.has(c)) c.li.hidden = true; });
      listed.forEach(function (c, i) {
        if (c.li.hidden) c.li.hidden = false;
        if (c.li.tabIndex !== 0) c.li.tabIndex = 0;  // a title opens its card with Enter
        var order = String(i);
        if (c.li.style.order !== order) c.li.style.order = order;
      });
      listedNow = shown;
      more.hidden = state.filtered.length <= state.listed;
      // the titles' highlights follow a frame later: a keystroke updates the card first
      if (!state.marking) state.marking = requestAnimationFrame(markList);
    }
    function markList() {
      state.marking = 0;
      state.marked.forEach(function (c) { unmark(c.title); });
      state.marked = state.words.length ? state.filtered.slice(0, state.listed) : [];
      state.marked.forEach(function (c) { mark(searchable(c).title, state.words); });
    }

    // Every card is in exactly one bucket (store.js), so the counters add up to the deck.
    var bucket = store.bucket;
    function countStats() {
      var until = endOfToday(new Date()), n = { new: 0, learning: 0, due: 0, young: 0, mastered: 0 };
      cards.forEach(function (c) { n[bucket(state.store.cards[c.id], until)]++; });
      return n;
    }

    // When nothing is left to review today: say so, and when the next card falls due.
    function emptyQueue() {
      var words = state.words, next = null;
      cards.forEach(function (c) {
        var card = state.store.cards[c.id];
        if (card && passes(c, words) && (!next || card.due < next)) next = card.due;
      });
      var filtered = words.length || fChapter.input.value || fTag.input.value || fDiff.input.value;
      var browse = button(t.reviewAll, "fc-all");
      browse.addEventListener("click", function () { fMode.input.value = "all"; applyFilters(); });
      return [el("p", { class: "fc-done", text: filtered ? t.doneHere : t.done }),
        next ? el("p", { class: "fc-next", text: t.nextCard(next) }) : null, browse];
    }

    function render() {
      var now = new Date(), n = countStats();
      stats.textContent = ["new", "learning", "due", "young", "mastered"].map(function (k) {
        return t.stats[k] + " " + n[k];
      }).join(" · ");
      matches.textContent = t.matches(state.filtered.length);
      stage.textContent = "";
      if (state.current) state.current.li.removeAttribute("aria-current");
      var current = state.current = state.filtered[state.index];
      bar.classList.toggle("fc-bar--flipped", Boolean(current && state.flipped));
      bar.classList.toggle("fc-bar--off", !current);
      if (!current) {
        position.textContent = "";
        var nodes = fMode.input.value === "due" ? emptyQueue() : [el("p", { text: t.none })];
        nodes.forEach(function (node) { if (node) stage.appendChild(node); });
        return;
      }
      saveAt(current.id);
      current.li.setAttribute("aria-current", "true");
      position.textContent = t.position(state.index + 1, state.filtered.length);
      var face = current.li.cloneNode(true);
      face.removeAttribute("id");
      face.removeAttribute("tabindex");
      face.removeAttribute("style");
      face.hidden = false;
      if (state.marked.indexOf(current) >= 0) unmark(face.querySelector(".fc-q"));
      var back = face.querySelector(".fc-back");
      back.hidden = !state.flipped;
      mark(face, state.words);
      stage.appendChild(el("ol", { class: "fc-face" }, [face]));  // an <li> needs its list
      fillFull(face);  // on the page, where diagrams can be measured
      var saved = state.store.cards[current.id];
      if (saved && saved.state !== FSRS.State.New) {
        stage.appendChild(el("p", { class: "fc-position", text: t.nextDue(saved.due) }));
      }
      // each grade shows the interval it leads to, as Anki does
      var preview = scheduler.repeat(saved || FSRS.createEmptyCard(now), now);
      ratingButtons.forEach(function (b, i) {
        b.lastChild.textContent = interval(preview[i + 1].card.due - now, t.units);
      });
      if (state.flipped) loadAnswers();
    }

    // After a step through the deck the new card's top is on screen (a long answer may have
    // scrolled it away): back at the top of the page when the card shows from there.
    function reveal() {
      var top = stage.getBoundingClientRect().top;
      if (top >= 0 && top <= window.innerHeight / 2) return;
      if (top + window.scrollY < window.innerHeight / 2) window.scrollTo(0, 0);
      else stage.scrollIntoView({ block: "start" });
    }
    function move(step) {
      if (!state.filtered.length) return;
      state.index = (state.index + step + state.filtered.length) % state.filtered.length;
      state.flipped = false;
      render();
      reveal();
    }
    function flip() { if (state.filtered.length) { state.flipped = !state.flipped; render(); } }
    function rate(grade) {
      var current = state.filtered[state.index];
      if (!current || !state.flipped) return;
      var now = new Date();
      store.grade(state.store, current.id, grade, now);  // also counts the review in the day's log
      if (fMode.input.value === "due") {
        applyFilters(); // a card rated beyond today leaves the queue; one due later today stays,
        var same = state.filtered[state.index];  // so step past it instead of showing it again
        if (same && same.id === current.id) move(1);
        else reveal();
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
      copy.forEach(function (c, i) { c.rank = i; });
      state.order = copy;
      state.index = 0;
      state.filtered = [];
      applyFilters();
    }

    // ---- URL holds the filters, so a filtered deck can be shared ---------------------------
    // ("search", not "q": Material's own search box claims ?q=; the scope only when it is not
    // the default)
    var fields = { search: search, chapter: fChapter.input, tag: fTag.input, difficulty: fDiff.input, mode: fMode.input };
    function readUrl() {
      var params = new URLSearchParams(location.search);
      Object.keys(fields).forEach(function (k) {
        var input = fields[k];
        var v = params.get(k) || (k === "mode" ? defaultMode : "");
        if (input.tagName === "SELECT" && !Array.prototype.some.call(input.options, function (o) { return o.value === v; })) {
          v = input.options[0].value;
        }
        input.value = v;
      });
    }
    function writeUrl() {
      var params = new URLSearchParams();
      Object.keys(fields).forEach(function (k) {
        var v = fields[k].value;
        if (v && !(k === "mode" && v === defaultMode)) params.set(k, v);
      });
      if (only.length) params.set("ids", only.join(","));
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    // ---- events ----------------------------------------------------------------------------
    search.addEventListener("input", applyFilters);
    [fChapter, fTag, fDiff, fMode].forEach(function (f) { f.input.addEventListener("change", applyFilters); });
    bPrev.addEventListener("click", function () { move(-1); });
    bNext.addEventListener("click", function () { move(1); });
    bShow.addEventListener("click", flip);
    bShuffle.addEventListener("click", shuffle);
    stage.addEventListener("click", function (e) { if (!e.target.closest("a, summary, details, button")) flip(); });
    ratingButtons.forEach(function (b) { b.addEventListener("click", function () { rate(Number(b.dataset.rating)); }); });
    // Touch: a tap flips (the click above); a horizontal swipe goes to the next or previous card.
    // (touch-action: pan-y in the CSS leaves horizontal moves on the card to this handler.)
    var touch = null;
    stage.addEventListener("touchstart", function (e) {
      var p = e.touches[0];
      touch = e.touches.length === 1 ? { x: p.clientX, y: p.clientY } : null;
    }, { passive: true });
    stage.addEventListener("touchend", function (e) {
      if (!touch) return;
      var p = e.changedTouches[0], dx = p.clientX - touch.x, dy = p.clientY - touch.y;
      touch = null;
      if (Math.abs(dx) < SWIPE_PX || Math.abs(dx) < 2 * Math.abs(dy)) return;
      e.preventDefault(); // no click, so no flip
      move(dx < 0 ? 1 : -1);
    });
    // A title in the list opens that card in the drill (click, or Enter when focused).
    function pick(e) {
      var li = e.target.closest(".fc-card");
      if (!li || e.target.closest("a")) return;
      var i = state.filtered.findIndex(function (c) { return c.li === li; });
      if (i >= 0) { state.index = i; state.flipped = false; render(); stage.focus(); }
    }
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
    // a reload resumes at the card shown last, if the same selection still holds it
    var at = readAt();
    state.filtered = cards.filter(function (c) { return c.id === at; });
    applyFilters();
    ["keydown", "pointerdown"].forEach(function (type) {
      document.addEventListener(type, loadAnswers, { once: true });
    });
    // keyboard users start on the card: the next Tab reaches its buttons (a frame later, so
    // the focus does not force the first layout of the whole deck inside this task)
    requestAnimationFrame(function () {
      if (!location.hash && document.activeElement === document.body) {
        stage.focus({ preventScroll: true, focusVisible: false });
      }
    });
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
