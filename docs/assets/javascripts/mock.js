// Mock interview: questions drawn from what is due or weak, read aloud (Web Speech API, when
// the browser has it), timed, answered aloud (optionally recorded, kept in memory only),
// revealed with the short answer and the interviewer's follow-ups, and self-graded 1–4 into the
// same FSRS schedule as the flashcards (store.js). The questions come from companion.json,
// written next to the page at build time from the Markdown pages (handbook/companion.py).
// Everything stays in this browser. One state object, one render() per step.
(function () {
  "use strict";
  var store = window.handbook.store, el = window.handbook.el;
  var HISTORY_MAX = 100;  // sessions kept

  var TEXT = {
    zh: {
      setup: "设置", chapters: "章节", chosen: function (k, n) { return "章节：" + (k === n ? "全部 " + n + " 章" : "已选 " + k + " / " + n + " 章"); },
      allChapters: "全选", noChapters: "全不选",
      difficulty: "难度", all: "全部", levels: { 1: "基础", 2: "进阶", 3: "高级" },
      count: "题数", time: "每题时间", seconds: function (s) { return s < 60 ? s + " 秒" : (s / 60) + " 分钟"; },
      read: "朗读题目", noSpeech: "此浏览器不能朗读，题目只显示。", noVoice: "此浏览器没有中文语音，题目只显示。",
      start: "开始面试", pool: function (n, due, weak, fresh) {
        return "可选 " + n + " 题：到期 " + due + " · 薄弱 " + weak + " · 新题 " + fresh + "。先出到期和薄弱的，再出新题。";
      },
      empty: "所选章节和难度下没有题目。",
      loading: "加载题目…", failed: "题目加载失败，请刷新页面重试。",
      position: function (i, n) { return "第 " + i + " / " + n + " 题"; },
      remaining: "剩余时间", timeUp: "时间到", announce: function (s) {
        return s >= 60 && s % 60 === 0 ? "剩余 " + (s / 60) + " 分钟" : "剩余 " + s + " 秒";
      },
      reveal: "显示答案", mute: "静音", unmute: "取消静音", again: "再读一遍",
      record: "录音作答", stop: "停止录音", recording: "录音中…", noMic: "无法使用麦克风：不录音也能继续。",
      yourAnswer: "你的回答", download: "下载录音", end: "结束面试",
      short: "一句话答案", full: "完整答案", followups: "面试官可能追问",
      grade: "给自己打分", ratings: ["重来", "困难", "良好", "简单"],
      next: "下一题", finish: "查看总结", graded: function (g) { return "已评分：" + g; },
      keys: "快捷键：R 显示答案 · 1–4 评分 · N 下一题 · M 静音",
      summary: "面试总结", question: "题目", used: "用时", yourGrade: "评分", none: "未评分",
      total: function (n, ms) { return "共 " + n + " 题，用时 " + clock(ms) + "。"; },
      weakest: "最薄弱的章节", noWeak: "本次没有打「重来」或「困难」的题。",
      drill: function (n) { return "用闪卡复习答错的 " + n + " 题"; }, again2: "再来一场",
      history: "历史记录", noHistory: "还没有完成过模拟面试。",
      session: function (d, n, avg) {
        return d.toLocaleString("zh-CN", { dateStyle: "medium", timeStyle: "short" }) + " · " + n + " 题 · 平均 " + avg;
      },
      speechLang: "zh-CN", voicePrefix: "zh"
    },
    en: {
      setup: "Setup", chapters: "Chapters", chosen: function (k, n) { return "Chapters: " + (k === n ? "all " + n : k + " of " + n + " chosen"); },
      allChapters: "Select all", noChapters: "Select none",
      difficulty: "Difficulty", all: "All", levels: { 1: "basic", 2: "intermediate", 3: "advanced" },
      count: "Questions", time: "Time per question", seconds: function (s) { return s < 60 ? s + " s" : (s / 60) + " min"; },
      read: "Read questions aloud", noSpeech: "This browser cannot read aloud: questions are shown only.",
      noVoice: "This browser has no English voice: questions are shown only.",
      start: "Start the interview", pool: function (n, due, weak, fresh) {
        return n + " questions to draw from: " + due + " due · " + weak + " weak · " + fresh + " new. Due and weak ones come first, then new ones.";
      },
      empty: "No question matches these chapters and difficulty.",
      loading: "Loading questions…", failed: "The questions could not be loaded; reload the page to try again.",
      position: function (i, n) { return "Question " + i + " of " + n; },
      remaining: "Time left", timeUp: "Time is up", announce: function (s) {
        return s >= 60 && s % 60 === 0 ? (s / 60) + (s === 60 ? " minute" : " minutes") + " left" : s + " seconds left";
      },
      reveal: "Reveal the answer", mute: "Mute", unmute: "Unmute", again: "Read again",
      record: "Record my answer", stop: "Stop recording", recording: "Recording…",
      noMic: "The microphone is not available: the interview works without recording.",
      yourAnswer: "Your answer", download: "Download the recording", end: "End the interview",
      short: "Short answer", full: "Full answer", followups: "The interviewer may follow up with",
      grade: "Grade yourself", ratings: ["Again", "Hard", "Good", "Easy"],
      next: "Next question", finish: "See the summary", graded: function (g) { return "Graded: " + g; },
      keys: "Keys: R reveals · 1–4 grade · N next · M mutes",
      summary: "Summary", question: "Question", used: "Time", yourGrade: "Grade", none: "not graded",
      total: function (n, ms) { return n + (n === 1 ? " question" : " questions") + " in " + clock(ms) + "."; },
      weakest: "Weakest chapters", noWeak: "No question was graded Again or Hard this time.",
      drill: function (n) { return "Drill the " + n + " missed " + (n === 1 ? "question" : "questions") + " as flashcards"; },
      again2: "Start another interview",
      history: "Past interviews", noHistory: "No mock interview taken yet.",
      session: function (d, n, avg) {
        return d.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" }) + " · " + n + " questions · mean grade " + avg;
      },
      speechLang: "en-US", voicePrefix: "en"
    }
  };
  var TIMES = [30, 60, 120, 180, 300, 600];  // seconds per question on offer
  var ANNOUNCE_AT = [30, 10];  // besides every whole minute: spoken by screen readers, not every second

  function clock(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    return Math.floor(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }
  function shuffle(list) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1)), tmp = list[i];
      list[i] = list[j]; list[j] = tmp;
    }
    return list;
  }
  function html(tag, cls, markup) {  // markup from companion.json: the site's own rendered HTML
    var node = el(tag, { class: cls });
    node.innerHTML = markup;
    return node;
  }

  // Which questions to ask: due or last graded Again/Hard first (most overdue first), then new
  // ones (random), then the rest (soonest due first); never one twice.
  function classify(q, srs, now) {
    var card = srs.cards[q.id];
    if (!card || card.state === store.STATE.New) return "new";
    if (card.due <= now || (srs.ratings[q.id] || 3) <= 2) return "weak";
    return "rest";
  }
  function draw(pool, n, srs, now) {
    var groups = { weak: [], new: [], rest: [] };
    shuffle(pool.slice()).forEach(function (q) { groups[classify(q, srs, now)].push(q); });
    function due(q) { return srs.cards[q.id].due; }
    groups.weak.sort(function (a, b) { return due(a) - due(b); });
    groups.rest.sort(function (a, b) { return due(a) - due(b); });
    return groups.weak.concat(groups.new, groups.rest).slice(0, n);
  }

  // ---- speech: a voice of the page's language, or silence; never an error ----------------
  var synth = window.speechSynthesis || null;
  function voice(t) {
    var voices = [];
    try { voices = synth.getVoices() || []; } catch (e) { return null; }
    var mine = voices.filter(function (v) { return (v.lang || "").toLowerCase().replace("_", "-").indexOf(t.voicePrefix) === 0; });
    var exact = mine.filter(function (v) { return v.lang.replace("_", "-") === t.speechLang; });
    return { any: voices.length > 0, voice: exact[0] || mine[0] || null };
  }
  function canSpeak() { return Boolean(synth && typeof window.SpeechSynthesisUtterance === "function"); }
  function hush() { try { if (synth) synth.cancel(); } catch (e) { /* nothing to stop */ } }

  function init() {
    var root = document.querySelector('.hbc[data-companion="mock"]');
    if (!root || root.dataset.ready || !window.FSRS) return;
    root.dataset.ready = "1";
    var lang = root.dataset.lang === "en" ? "en" : "zh";
    var t = TEXT[lang];
    var mock = store.get("mock");
    var prefs = mock.prefs;
    var state = {
      step: "loading", bank: null, chapters: [], session: null,
      muted: Boolean(prefs.muted), timer: 0, mic: null, micFailed: false
    };
    var live = el("p", { class: "hbc-sr", "aria-live": "polite", role: "status" });  // countdown, sparingly
    var view = el("div", { class: "hbc-view" });
    root.appendChild(view);
    root.appendChild(live);
    root.classList.add("hbc--js");

    function say(text) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }
    function button(label, cls, onClick, attrs) {
      var b = el("button", Object.assign({ type: "button", class: "hbc-button " + (cls || ""), text: label }, attrs || {}));
      if (onClick) b.addEventListener("click", onClick);
      return b;
    }
    function speak(text) {
      if (state.muted || !canSpeak()) return;
      var found = voice(t);
      if (found && found.any && !found.voice) return;  // voices, but none speaks this language
      try {
        hush();
        var u = new window.SpeechSynthesisUtterance(text);
        u.lang = t.speechLang;
        if (found && found.voice) u.voice = found.voice;
        synth.speak(u);
      } catch (e) { /* no speech: the question is on screen */ }
    }

    // ---- setup ------------------------------------------------------------------------
    function renderSetup() {
      var srs = store.get("srs"), now = new Date();
      var form = el("form", { class: "hbc-setup", "aria-label": t.setup });
      var chosen = prefs.chapters && prefs.chapters.length ? prefs.chapters : null;
      var boxes = state.chapters.map(function (c) {
        var box = el("input", { type: "checkbox", name: "chapter", value: c.id });
        box.checked = !chosen || chosen.indexOf(c.id) >= 0;
        return el("label", { class: "hbc-check" }, [box, document.createTextNode(" " + c.title + " (" + c.questions + ")")]);
      });
      function setAll(on) { form.querySelectorAll("input[name=chapter]").forEach(function (b) { b.checked = on; }); update(); }
      var chapters = el("fieldset", { class: "hbc-chapters" }, [
        el("legend", { text: t.chapters }),
        el("div", { class: "hbc-row" }, [
          button(t.allChapters, "hbc-small", function () { setAll(true); }),
          button(t.noChapters, "hbc-small", function () { setAll(false); })
        ]),
        el("div", { class: "hbc-checks" }, boxes)
      ]);
      var diff = el("select", { name: "difficulty" });
      [["", t.all], ["1", t.levels[1]], ["2", t.levels[2]], ["3", t.levels[3]]].forEach(function (o) {
        diff.appendChild(el("option", { value: o[0], text: o[1] }));
      });
      diff.value = prefs.difficulty || "";
      var count = el("input", { type: "number", name: "count", min: "1", max: "30", step: "1", inputmode: "numeric" });
      count.value = String(prefs.count || 5);
      var time = el("select", { name: "time" });
      TIMES.forEach(function (s) { time.appendChild(el("option", { value: String(s), text: t.seconds(s) })); });
      time.value = String(TIMES.indexOf(prefs.seconds) >= 0 ? prefs.seconds : 180);
      var read = el("input", { type: "checkbox", name: "read" });
      read.checked = !state.muted;
      var readNote = el("span", { class: "hbc-note" });
      if (!canSpeak()) { read.checked = false; read.disabled = true; readNote.textContent = t.noSpeech; }
      else {
        var v = voice(t);
        if (v && v.any && !v.voice) readNote.textContent = t.noVoice;
      }
      var pool = el("p", { class: "hbc-pool", "aria-live": "polite" });
      var start = el("button", { type: "submit", class: "hbc-button hbc-primary", text: t.start });
      // the chapter list folds away (a phone would scroll past 15 rows to reach "start")
      var chosenLabel = el("span", { class: "hbc-chosen" });
      var fold = el("details", { class: "hbc-fold" }, [el("summary", {}, [chosenLabel]), chapters]);
      form.appendChild(fold);
      form.appendChild(el("div", { class: "hbc-fields" }, [
        el("label", { class: "hbc-field" }, [document.createTextNode(t.difficulty), diff]),
        el("label", { class: "hbc-field" }, [document.createTextNode(t.count), count]),
        el("label", { class: "hbc-field" }, [document.createTextNode(t.time), time])
      ]));
      form.appendChild(el("label", { class: "hbc-check" }, [read, document.createTextNode(" " + t.read), readNote]));
      form.appendChild(pool);
      form.appendChild(start);

      function settings() {
        var ids = Array.prototype.filter.call(form.querySelectorAll("input[name=chapter]"), function (b) { return b.checked; })
          .map(function (b) { return b.value; });
        var n = Math.max(1, Math.min(30, parseInt(count.value, 10) || 5));
        return { chapters: ids, difficulty: diff.value, count: n, seconds: Number(time.value), muted: !read.checked };
      }
      function candidates(s) {
        return state.bank.filter(function (q) {
          return s.chapters.indexOf(q.chapter) >= 0 && (!s.difficulty || String(q.difficulty) === s.difficulty);
        });
      }
      function update() {
        var picked = settings().chapters.length;
        chosenLabel.textContent = t.chosen(picked, state.chapters.length);
        var list = candidates(settings()), n = { weak: 0, new: 0, rest: 0 };
        list.forEach(function (q) { n[classify(q, srs, now)]++; });
        var dueN = list.filter(function (q) { var c = srs.cards[q.id]; return c && c.state !== store.STATE.New && c.due <= now; }).length;
        pool.textContent = list.length ? t.pool(list.length, dueN, n.weak - dueN, n.new) : t.empty;
        start.disabled = !list.length;
      }
      form.addEventListener("change", update);
      form.addEventListener("input", update);
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var s = settings(), list = candidates(s);
        if (!list.length) return;
        prefs = { chapters: s.chapters.length === state.chapters.length ? [] : s.chapters,
          difficulty: s.difficulty, count: s.count, seconds: s.seconds, muted: s.muted };
        mock = store.get("mock");
        mock.prefs = prefs;
        store.save("mock", mock);
        state.muted = s.muted;
        begin(draw(list, s.count, srs, now), s.seconds);
      });
      update();
      view.textContent = "";
      view.appendChild(el("div", { class: "hbc-card" }, [form]));
      view.appendChild(renderHistory());
      if (canSpeak() && synth.addEventListener && !state.voicesHooked) {
        state.voicesHooked = true;  // voices often arrive after load
        synth.addEventListener("voiceschanged", function () { if (state.step === "setup") renderSetup(); });
      }
    }
    function renderHistory() {
      var sessions = store.get("mock").sessions.slice(-10).reverse();
      var box = el("section", { class: "hbc-history" }, [el("h2", { text: t.history })]);
      if (!sessions.length) { box.appendChild(el("p", { text: t.noHistory })); return box; }
      box.appendChild(el("ul", {}, sessions.map(function (s) {
        var graded = s.items.filter(function (i) { return i.grade; });
        var avg = graded.length ? (graded.reduce(function (a, i) { return a + i.grade; }, 0) / graded.length).toFixed(1) : "–";
        return el("li", { text: t.session(new Date(s.at), s.items.length, avg) });
      })));
      return box;
    }

    // ---- a session ---------------------------------------------------------------------
    function begin(questions, seconds) {
      state.session = {
        at: Date.now(), seconds: seconds, index: 0,
        items: questions.map(function (q) { return { q: q, ms: 0, grade: 0, audio: null, revealed: false }; })
      };
      state.step = "question";
      ask();
    }
    function current() { return state.session.items[state.session.index]; }
    function ask() {
      var item = current();
      item.started = Date.now();
      item.deadline = item.started + state.session.seconds * 1000;
      item.announced = {};
      renderQuestion();
      // the card's top on screen, keyboard focus on "reveal" (Enter reveals)
      view.firstChild.scrollIntoView({ block: "start" });
      var first = view.querySelector(".hbc-reveal");
      if (first) first.focus({ preventScroll: true });
      speak(item.q.text);
      say(t.position(state.session.index + 1, state.session.items.length) + (lang === "zh" ? "。" : ". ") + t.announce(state.session.seconds));
      clearInterval(state.timer);
      state.timer = setInterval(tick, 250);
      tick();
    }
    function tick() {
      var item = current();
      if (!item || item.revealed) { clearInterval(state.timer); return; }
      var left = item.deadline - Date.now();
      var s = Math.ceil(left / 1000);
      var clockNode = view.querySelector(".hbc-clock"), bar = view.querySelector(".hbc-bar > span");
      if (clockNode) clockNode.textContent = clock(Math.max(0, left));
      if (bar) bar.style.width = (100 * Math.max(0, left) / (state.session.seconds * 1000)) + "%";
      if (s <= 0) { say(t.timeUp); reveal(); return; }
      // announce at each whole minute and at 30 s and 10 s (not at the start: said already)
      var mark = s % 60 === 0 ? s : (ANNOUNCE_AT.indexOf(s) >= 0 ? s : 0);
      if (mark && mark < state.session.seconds && !item.announced[mark]) {
        item.announced[mark] = true;
        say(t.announce(mark));
      }
    }
    function reveal() {
      var item = current();
      if (!item || item.revealed) return;
      item.revealed = true;
      item.ms = Math.min(Date.now() - item.started, state.session.seconds * 1000);
      clearInterval(state.timer);
      stopRecording();
      hush();
      renderQuestion();
      var first = view.querySelector(".hbc-answer");
      if (first) first.focus();
    }
    function gradeItem(g) {
      var item = current();
      if (!item || !item.revealed || item.grade) return;
      item.grade = g;
      store.grade(store.get("srs"), item.q.id, g);  // the flashcards' schedule (FSRS), logged
      renderQuestion();
      var next = view.querySelector(".hbc-next");
      if (next) next.focus();
    }
    function next() {
      var item = current();
      if (!item || !item.grade) return;
      if (state.session.index + 1 < state.session.items.length) {
        state.session.index++;
        ask();
      } else {
        finish();
      }
    }
    function finish() {
      clearInterval(state.timer);
      stopRecording();
      hush();
      var item = current();
      if (item && !item.revealed) item.ms = Math.min(Date.now() - item.started, state.session.seconds * 1000);
      if (state.mic) { state.mic.getTracks().forEach(function (tr) { tr.stop(); }); state.mic = null; }  // release the microphone
      var done = state.session.items.filter(function (i) { return i.grade; });
      if (done.length && !state.session.saved) {
        state.session.saved = true;
        mock = store.get("mock");
        mock.sessions.push({
          at: state.session.at, lang: lang, seconds: state.session.seconds,
          items: state.session.items.map(function (i) {
            return { id: i.q.id, chapter: i.q.chapter, grade: i.grade, ms: i.ms };
          })
        });
        mock.sessions = mock.sessions.slice(-HISTORY_MAX);
        store.save("mock", mock);
      }
      state.step = "summary";
      renderSummary();
      var h = view.querySelector("h2");
      if (h) h.focus();
    }
    function toggleMute() {
      state.muted = !state.muted;
      if (state.muted) hush();
      var b = view.querySelector(".hbc-mute");
      if (b) { b.textContent = state.muted ? t.unmute : t.mute; b.setAttribute("aria-pressed", String(state.muted)); }
      mock = store.get("mock");
      mock.prefs.muted = state.muted;
      store.save("mock", mock);
    }

    // ---- recording: asked once per session, in memory only --------------------------------
    var recorder = null;
    function canRecord() {
      return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder) && !state.micFailed;
    }
    function toggleRecording() {
      if (recorder) { stopRecording(); return; }
      var item = current();
      if (!item || item.revealed || !canRecord()) return;
      var got = state.mic ? Promise.resolve(state.mic) : navigator.mediaDevices.getUserMedia({ audio: true });
      got.then(function (stream) {
        state.mic = stream;
        if (current() !== item || item.revealed) return;
        var chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (e) { if (e.data && e.data.size) chunks.push(e.data); };
        recorder.onstop = function () {
          if (item.audio) URL.revokeObjectURL(item.audio.url);
          var blob = new Blob(chunks, { type: recorder && recorder.mimeType || chunks[0] && chunks[0].type || "audio/webm" });
          item.audio = { url: URL.createObjectURL(blob), type: blob.type };
          recorder = null;
          if (state.step === "question" && current() === item) renderQuestion();
          else if (state.step === "summary") renderSummary();
        };
        recorder.start();
        renderQuestion();
      }).catch(function () {
        state.micFailed = true;  // refused or no microphone: go on without
        renderQuestion();
      });
    }
    function stopRecording() {
      if (recorder && recorder.state !== "inactive") { try { recorder.stop(); } catch (e) { recorder = null; } }
    }
    function player(item, n) {
      if (!item.audio) return null;
      var ext = /ogg/.test(item.audio.type) ? "ogg" : /mp4/.test(item.audio.type) ? "m4a" : "webm";
      return el("div", { class: "hbc-audio" }, [
        el("audio", { controls: "", src: item.audio.url, "aria-label": t.yourAnswer }),
        el("a", { href: item.audio.url, download: "mock-" + n + "." + ext, text: t.download })
      ]);
    }

    // ---- question and answer view -----------------------------------------------------
    var LEVEL = { 1: "1", 2: "2", 3: "3" };
    function chapterTitle(id) {
      var c = state.chapters.filter(function (x) { return x.id === id; })[0];
      return c ? c.title : id;
    }
    function renderQuestion() {
      // a re-render keeps keyboard focus on the same tool (record, mute) when it is still there
      var focused = document.activeElement, role = focused && view.contains(focused) ? focused.dataset.role : null;
      var s = state.session, item = current(), q = item.q, n = s.index + 1;
      var parts = [];
      parts.push(el("p", { class: "hbc-meta" }, [
        el("span", { text: t.position(n, s.items.length) }),
        el("span", { text: chapterTitle(q.chapter) }),
        el("span", { text: t.levels[LEVEL[q.difficulty] || 1] })
      ]));
      var timer = el("div", { class: "hbc-timer" + (item.revealed ? " hbc-timer--done" : "") }, [
        el("span", { class: "hbc-timer-label", text: item.revealed ? t.used : t.remaining }),
        el("span", { class: "hbc-clock", "aria-hidden": "true", text: clock(item.revealed ? item.ms : Math.max(0, item.deadline - Date.now())) }),
        el("span", { class: "hbc-bar", "aria-hidden": "true" }, [el("span")])
      ]);
      parts.push(timer);
      var heading = html("h2", "hbc-question", q.question_html);
      heading.tabIndex = -1;
      parts.push(heading);

      var tools = [];
      if (!item.revealed) tools.push(button(t.reveal, "hbc-primary hbc-reveal", reveal, { "aria-keyshortcuts": "R", "data-role": "reveal" }));
      if (canSpeak()) {
        tools.push(button(state.muted ? t.unmute : t.mute, "hbc-mute", toggleMute, { "aria-pressed": String(state.muted), "aria-keyshortcuts": "M", "data-role": "mute" }));
        if (!item.revealed) tools.push(button(t.again, "", function () { var m = state.muted; state.muted = false; speak(q.text); state.muted = m; }, { "data-role": "again" }));
      }
      if (!item.revealed && canRecord()) {
        tools.push(button(recorder ? t.stop : t.record, "hbc-record" + (recorder ? " hbc-recording" : ""), toggleRecording, { "aria-pressed": String(Boolean(recorder)), "data-role": "record" }));
      }
      parts.push(el("div", { class: "hbc-tools" }, tools));
      if (recorder) parts.push(el("p", { class: "hbc-note hbc-rec-note", text: t.recording }));
      if (state.micFailed && !item.revealed) parts.push(el("p", { class: "hbc-note", text: t.noMic }));
      parts.push(player(item, n));

      if (item.revealed) {
        var answer = el("section", { class: "hbc-answer", tabindex: "-1", "aria-label": t.short }, [
          el("h3", { text: t.short }), html("div", "hbc-short", q.short_html),
          el("p", {}, [el("a", { href: q.url, target: "_blank", rel: "noopener", text: t.full + " ↗" })])
        ]);
        if (q.followups_html) {
          answer.appendChild(el("h3", { text: t.followups }));
          answer.appendChild(html("div", "hbc-followups", q.followups_html));
        }
        parts.push(answer);
        var grades = t.ratings.map(function (label, i) {
          var g = i + 1;
          var b = button(g + " · " + label, "hbc-grade", function () { gradeItem(g); }, { "aria-keyshortcuts": String(g) });
          b.dataset.grade = String(g);
          if (item.grade) { b.disabled = item.grade !== g; b.setAttribute("aria-pressed", String(item.grade === g)); }
          return b;
        });
        parts.push(el("fieldset", { class: "hbc-grades" }, [el("legend", { text: t.grade })].concat(grades)));
        if (item.grade) {
          var last = s.index + 1 === s.items.length;
          parts.push(el("p", { class: "hbc-note", role: "status", text: t.graded(t.ratings[item.grade - 1]) }));
          parts.push(button(last ? t.finish : t.next, "hbc-primary hbc-next", next, { "aria-keyshortcuts": "N" }));
        }
      }
      parts.push(el("div", { class: "hbc-foot" }, [
        el("p", { class: "hbc-keys", text: t.keys }),
        button(t.end, "hbc-small hbc-end", finish)
      ]));
      view.textContent = "";
      var card = el("div", { class: "hbc-card hbc-step", "data-id": q.id }, parts);
      view.appendChild(card);
      var again = role && card.querySelector('[data-role="' + role + '"]');
      if (again) again.focus({ preventScroll: true });
      tickBar();
    }
    function tickBar() {
      var item = current(), bar = view.querySelector(".hbc-bar > span");
      if (!bar || !item) return;
      var total = state.session.seconds * 1000;
      bar.style.width = (item.revealed ? 100 * item.ms / total : 100 * Math.max(0, item.deadline - Date.now()) / total) + "%";
    }

    // ---- summary ------------------------------------------------------------------------
    function renderSummary() {
      var s = state.session;
      var asked = s.items.filter(function (i) { return i.revealed || i.grade || i === current(); });
      var total = asked.reduce(function (a, i) { return a + i.ms; }, 0);
      var rows = asked.map(function (i, k) {
        return el("tr", {}, [
          el("td", { text: String(k + 1) }),
          el("td", {}, [el("a", { href: i.q.url }, [html("span", "", i.q.question_html)])]),
          el("td", { text: clock(i.ms) }),
          el("td", { class: "hbc-g" + i.grade, text: i.grade ? i.grade + " · " + t.ratings[i.grade - 1] : t.none })
        ]);
      });
      var table = el("table", { class: "hbc-table" }, [
        el("thead", {}, [el("tr", {}, [el("th", { text: "#" }), el("th", { text: t.question }), el("th", { text: t.used }), el("th", { text: t.yourGrade })])]),
        el("tbody", {}, rows)
      ]);
      // weakest chapters: those with a grade Again/Hard, lowest mean grade first
      var by = {};
      asked.forEach(function (i) {
        if (!i.grade) return;
        var c = by[i.q.chapter] = by[i.q.chapter] || { sum: 0, n: 0, low: 0 };
        c.sum += i.grade; c.n++; if (i.grade <= 2) c.low++;
      });
      var weak = Object.keys(by).filter(function (c) { return by[c].low; })
        .sort(function (a, b) { return by[a].sum / by[a].n - by[b].sum / by[b].n; });
      var missed = asked.filter(function (i) { return i.grade && i.grade <= 2; });
      var parts = [
        el("h2", { text: t.summary, tabindex: "-1" }),
        el("p", { class: "hbc-total", text: t.total(asked.length, total) }),
        el("div", { class: "hbc-scroll" }, [table]),
        el("h3", { text: t.weakest }),
        weak.length ? el("ol", { class: "hbc-weak" }, weak.map(function (c) {
          return el("li", { text: chapterTitle(c) + " (" + (by[c].sum / by[c].n).toFixed(1) + ")" });
        })) : el("p", { text: t.noWeak })
      ];
      var actions = [];
      if (missed.length) {
        var ids = missed.map(function (i) { return i.q.id; }).join(",");
        actions.push(el("a", { class: "hbc-button hbc-primary hbc-drill", href: root.dataset.flashcards + "?mode=all&ids=" + encodeURIComponent(ids), text: t.drill(missed.length) }));
      }
      actions.push(button(t.again2, "hbc-restart", function () { release(); state.step = "setup"; renderSetup(); focusStart(); }));
      parts.push(el("div", { class: "hbc-tools" }, actions));
      var players = asked.map(function (i, k) { return player(i, k + 1); }).filter(Boolean);
      if (players.length) parts.push(el("div", { class: "hbc-recordings" }, [el("h3", { text: t.yourAnswer })].concat(players)));
      view.textContent = "";
      view.appendChild(el("div", { class: "hbc-card hbc-summary" }, parts));
    }
    function release() {  // recordings live until the next session
      if (state.session) state.session.items.forEach(function (i) { if (i.audio) URL.revokeObjectURL(i.audio.url); });
      state.session = null;
    }
    function focusStart() { var b = view.querySelector(".hbc-primary"); if (b) b.focus(); }

    // ---- keyboard: R reveal, 1–4 grade, N next, M mute (Enter/Space work on the buttons) -----
    document.addEventListener("keydown", function (e) {
      if (state.step !== "question" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target.closest && e.target.closest("input, select, textarea, audio")) return;
      var k = e.key.toLowerCase();
      if (k === "r") reveal();
      else if (/^[1-4]$/.test(k)) gradeItem(Number(k));
      else if (k === "n") next();
      else if (k === "m" && canSpeak()) toggleMute();
      else return;
      e.preventDefault();
      e.stopPropagation();  // Material binds N (and P) to "next page" on window: not here
    });
    window.addEventListener("pagehide", function () { hush(); stopRecording(); });

    view.appendChild(el("p", { text: t.loading }));
    fetch(root.dataset.data).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (data) {
      state.bank = data.questions;
      state.chapters = data.chapters;
      state.step = "setup";
      renderSetup();
    }).catch(function () {
      view.textContent = "";
      view.appendChild(el("p", { class: "hbc-error", role: "alert", text: t.failed }));
    });
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
