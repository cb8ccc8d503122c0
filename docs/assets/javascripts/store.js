// The reader's progress in localStorage, in one place for every page that reads or writes it:
// the flashcards, the mock interview, the progress page, the header badge and the answer
// tracker. Nothing leaves the browser. Each key holds one versioned JSON object; anything that
// does not parse or has the wrong shape is treated as empty (and reported, so a page can say it
// was reset), never as an error. The formats are documented in CONTRIBUTING.md ("Progress data").
//
// This file does not need ts-fsrs: cards are read as plain data (dates parsed), so the badge on
// every page stays light. Grading (grade()) uses window.FSRS, present on the pages that grade.
(function () {
  "use strict";
  var NS = (window.handbook = window.handbook || {});

  var KEYS = {
    srs: "llm-handbook:srs",        // { version, cards: { id: ts-fsrs card }, ratings: { id: 1–4 } }
    log: "llm-handbook:reviews",    // { version, days: { "YYYY-MM-DD": reviews that day } }
    opened: "llm-handbook:opened",  // { version, ids: { id: ms when its answer was first opened } }
    mock: "llm-handbook:mock",      // { version, sessions: [ … ], prefs: { … } }
    quiz: "llm-handbook:quiz-best"  // { version, best: { quiz page path: { correct, total } } }
  };
  var VERSION = 1;
  var MATURE_DAYS = 21;  // Anki calls a card "mature" from a 21-day interval on
  // ts-fsrs's State enum, by value (this file runs without ts-fsrs)
  var STATE = { New: 0, Learning: 1, Review: 2, Relearning: 3 };

  function isObject(x) { return Boolean(x) && typeof x === "object" && !Array.isArray(x); }

  function read(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }  // storage disabled
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }

  // One stored ts-fsrs card as ts-fsrs wants it (dates as Date), or null when malformed.
  function card(raw) {
    if (!isObject(raw)) return null;
    var state = typeof raw.state === "string" ? STATE[raw.state] : raw.state;
    var due = new Date(raw.due);
    var last = raw.last_review ? new Date(raw.last_review) : undefined;
    if (typeof state !== "number" || isNaN(due.getTime()) || (last && isNaN(last.getTime()))) return null;
    var out = {};
    Object.keys(raw).forEach(function (k) { out[k] = raw[k]; });
    out.state = state;
    out.due = due;
    out.last_review = last;
    return out;
  }

  // Each key's parser: raw JSON value -> the object, or throws when it has the wrong shape.
  var PARSE = {
    srs: function (data) {
      if (!isObject(data.cards)) throw new Error("cards");
      var cards = {}, ratings = {};
      Object.keys(data.cards).forEach(function (id) {
        var c = card(data.cards[id]);
        if (!c) throw new Error("card " + id);
        cards[id] = c;  // ids of questions that no longer exist are kept, harmlessly
      });
      if (isObject(data.ratings)) {
        Object.keys(data.ratings).forEach(function (id) {
          var r = data.ratings[id];
          if (r >= 1 && r <= 4) ratings[id] = Math.round(r);
        });
      }
      return { version: VERSION, cards: cards, ratings: ratings };
    },
    log: function (data) {
      if (!isObject(data.days)) throw new Error("days");
      var days = {};
      Object.keys(data.days).forEach(function (d) {
        var n = data.days[d];
        if (/^\d{4}-\d{2}-\d{2}$/.test(d) && typeof n === "number" && n > 0) days[d] = Math.floor(n);
      });
      return { version: VERSION, days: days };
    },
    opened: function (data) {
      if (!isObject(data.ids)) throw new Error("ids");
      var ids = {};
      Object.keys(data.ids).forEach(function (id) {
        if (typeof data.ids[id] === "number") ids[id] = data.ids[id];
      });
      return { version: VERSION, ids: ids };
    },
    mock: function (data) {
      if (!Array.isArray(data.sessions)) throw new Error("sessions");
      return {
        version: VERSION,
        sessions: data.sessions.filter(function (s) { return isObject(s) && typeof s.at === "number" && Array.isArray(s.items); }),
        prefs: isObject(data.prefs) ? data.prefs : {}
      };
    },
    quiz: function (data) {
      if (!isObject(data.best)) throw new Error("best");
      var best = {};
      Object.keys(data.best).forEach(function (path) {
        var b = data.best[path];
        if (isObject(b) && typeof b.correct === "number" && typeof b.total === "number") best[path] = { correct: b.correct, total: b.total };
      });
      return { version: VERSION, best: best };
    }
  };
  var EMPTY = {
    srs: function () { return { version: VERSION, cards: {}, ratings: {} }; },
    log: function () { return { version: VERSION, days: {} }; },
    opened: function () { return { version: VERSION, ids: {} }; },
    mock: function () { return { version: VERSION, sessions: [], prefs: {} }; },
    quiz: function () { return { version: VERSION, best: {} }; }
  };

  // Parse one value (already JSON-decoded) as `name`; throws on a wrong version or shape.
  function parse(name, data) {
    if (!isObject(data) || data.version !== VERSION) throw new Error(name + ": version");
    return PARSE[name](data);
  }

  // { data, reset }: reset is true when something was stored but unreadable (the caller may
  // say so and save the empty data, which is what the flashcard page does).
  function load(name) {
    var raw = read(KEYS[name]);
    if (raw === null) return { data: EMPTY[name](), reset: false };
    try { return { data: parse(name, JSON.parse(raw)), reset: false }; }
    catch (e) { return { data: EMPTY[name](), reset: true }; }
  }
  function save(name, data) { return write(KEYS[name], data); }
  function get(name) { return load(name).data; }

  function day(date) {  // local calendar day, as the reader lives it
    var d = date || new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }
  function endOfToday(now) { return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1); }

  // The flashcard page's buckets; every card is in exactly one, so counters add up to the deck.
  function bucket(c, until) {
    if (!c || c.state === STATE.New) return "new";
    if (c.state === STATE.Learning || c.state === STATE.Relearning) return "learning";
    if (c.due < until) return "due";
    return c.scheduled_days >= MATURE_DAYS ? "mastered" : "young";
  }
  // Cards to review today: stored, past new, and due before midnight (the header badge).
  function dueCount(srs, now, ids) {
    var until = endOfToday(now || new Date()), n = 0;
    (ids || Object.keys(srs.cards)).forEach(function (id) {
      var c = srs.cards[id];
      if (c && c.state !== STATE.New && c.due < until) n++;
    });
    return n;
  }

  // Grade one card as the flashcard page does (FSRS through ts-fsrs, no fuzz), remember the
  // grade, count the review in the day's log, and save. `srs` is the caller's loaded store,
  // updated in place. Returns the new card.
  var scheduler = null;
  function grade(srs, id, rating, now) {
    now = now || new Date();
    scheduler = scheduler || FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: false }));
    var next = scheduler.next(srs.cards[id] || FSRS.createEmptyCard(now), now, rating).card;
    srs.cards[id] = next;
    srs.ratings = srs.ratings || {};
    srs.ratings[id] = rating;
    save("srs", srs);
    var log = get("log"), today = day(now);
    log.days[today] = (log.days[today] || 0) + 1;
    save("log", log);
    notify();
    return next;
  }

  // Pages listen for "handbook:progress" to refresh what they show (the header badge).
  function notify() {
    try { document.dispatchEvent(new CustomEvent("handbook:progress")); } catch (e) { /* old browser */ }
  }

  NS.store = {
    KEYS: KEYS, VERSION: VERSION, STATE: STATE, MATURE_DAYS: MATURE_DAYS,
    load: load, save: save, get: get, parse: parse, card: card, read: read, write: write,
    day: day, endOfToday: endOfToday, bucket: bucket, dueCount: dueCount, grade: grade,
    notify: notify, isObject: isObject
  };
})();
