// Sampling playground: a toy next-token distribution through temperature → top-k → top-p → min-p,
// the order of Hugging Face transformers' sampling path (GenerationMixin._get_logits_processor).
// Progressive enhancement: without JavaScript the page shows the formulas and a worked example.
// The math is here and only here; tests/widget_reference.py is its independent Python twin.
(function () {
  "use strict";

  var NS = (window.handbook = window.handbook || {});
  var EPS = 1e-9; // a cumulative mass within 1e-9 of p counts as having reached p

  // The toy distributions: the same logits in every language, so the same reference figures apply.
  var LOGITS = [
    [3.2, 2.6, 2.1, 1.4, 1.0, 0.4, 0.1, -0.3, -1.2, -3.0],
    [6.0, 2.5, 1.5, 1.0, 0.5, 0.2, -0.5, -1.0, -1.2, -4.0],
    [1.6, 1.5, 1.4, 1.2, 1.2, 1.0, 0.9, 0.7, 0.5, 0.3],
    [2.0, 2.0, -0.5, -1.5, -1.8, -2.0, -2.2, -2.5, -3.0, -4.0]
  ];
  var STAGES = ["topk", "topp", "minp"];

  // ---- math -----------------------------------------------------------------------------------
  function entropy(probs) {
    var h = 0;
    probs.forEach(function (p) { if (p > 0) h -= p * Math.log(p); });
    return h;
  }

  // Every stage of the pipeline. status[stage][i]: "kept" | "removed" (by this stage) |
  // "gone" (by an earlier stage) | "off". temperature <= 0 is greedy: the T → 0⁺ limit (mass
  // split evenly over tied maxima) with the filters skipped, as with do_sample=False.
  function compute(logits, temperature, topK, topP, minP) {
    var n = logits.length, i;
    var status = {}, kept = {};
    if (temperature <= 0) {
      var top = Math.max.apply(null, logits), winners = 0;
      for (i = 0; i < n; i++) if (logits[i] === top) winners++;
      var g = logits.map(function (x) { return x === top ? 1 / winners : 0; });
      STAGES.forEach(function (s) { status[s] = logits.map(function () { return "off"; }); kept[s] = winners; });
      return { greedy: true, temp: g, final: g.slice(), status: status, kept: kept,
               entropyTemp: entropy(g), entropyFinal: entropy(g) };
    }
    var z = logits.map(function (x) { return x / temperature; });
    var zmax = Math.max.apply(null, z);
    var e = z.map(function (v) { return Math.exp(v - zmax); });
    var total = e.reduce(function (a, b) { return a + b; }, 0);
    var temp = e.map(function (v) { return v / total; });
    var alive = logits.map(function () { return true; });

    function begin(on) {
      return alive.map(function (a) { return a ? (on ? "kept" : "off") : "gone"; });
    }
    function aliveIdx() {
      var out = [];
      for (var j = 0; j < n; j++) if (alive[j]) out.push(j);
      return out;
    }
    function mass() {
      var m = 0;
      for (var j = 0; j < n; j++) if (alive[j]) m += e[j];
      return m;
    }

    // top-k: drop tokens whose scaled logit is below the k-th largest; ties at the k-th all stay
    var on = topK > 0, st = begin(on);
    if (on) {
      var ranked = aliveIdx().map(function (j) { return z[j]; }).sort(function (a, b) { return b - a; });
      var kth = ranked[Math.min(topK, ranked.length) - 1];
      for (i = 0; i < n; i++) if (alive[i] && z[i] < kth) { alive[i] = false; st[i] = "removed"; }
    }
    status.topk = st;

    // top-p on the renormalised survivors: a token stays while the mass ranked above it is < p;
    // equal probabilities are ranked by list order, so a tie can be split
    on = topP < 1; st = begin(on);
    if (on) {
      var m = mass(), before = 0;
      var order = aliveIdx().sort(function (a, b) { return e[b] - e[a] || a - b; });
      order.forEach(function (j, rank) {
        if (rank > 0 && !(before < topP - EPS)) { alive[j] = false; st[j] = "removed"; }
        before += e[j] / m;
      });
    }
    status.topp = st;

    // min-p: drop tokens whose probability is below min_p × the largest one
    on = minP > 0; st = begin(on);
    if (on) {
      var emax = Math.max.apply(null, aliveIdx().map(function (j) { return e[j]; }));
      for (i = 0; i < n; i++) if (alive[i] && e[i] / emax < minP - EPS) { alive[i] = false; st[i] = "removed"; }
    }
    status.minp = st;

    var fm = mass();
    var fin = e.map(function (v, j) { return alive[j] ? v / fm : 0; });
    STAGES.forEach(function (s) {
      kept[s] = status[s].filter(function (x) { return x === "kept" || x === "off"; }).length;
    });
    return { greedy: false, temp: temp, final: fin, status: status, kept: kept,
             entropyTemp: entropy(temp), entropyFinal: entropy(fin) };
  }

  // mulberry32 (Tommy Ettinger): tiny, seedable, good enough for a demo
  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // inverse-CDF sampling in token order
  function sampleCounts(fin, seed, draws) {
    var rng = mulberry32(seed), counts = fin.map(function () { return 0; }), last = 0, d, i;
    for (i = 0; i < fin.length; i++) if (fin[i] > 0) last = i;
    for (d = 0; d < draws; d++) {
      var u = rng(), acc = 0, pick = last;
      for (i = 0; i < fin.length; i++) {
        if (fin[i] <= 0) continue;
        acc += fin[i];
        if (u < acc) { pick = i; break; }
      }
      counts[pick]++;
    }
    return counts;
  }

  // round half up on the double, then print: tests/widget_reference.py:fixed does the same
  function fixed(x, digits) {
    var scale = Math.pow(10, digits);
    var s = (Math.floor(x * scale + 0.5) / scale).toFixed(digits);
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
  }

  // ---- words: one table per language, chosen by the page's <html lang> ------------------------
  var TEXT = {
    zh: {
      presets: [
        ["今天天气真", ["好", "不错", "热", "冷", "晴朗", "糟糕", "闷", "差", "奇怪", "香蕉"]],
        ["法国的首都是", ["巴黎", "一座", "哪里", "里昂", "马赛", "什么", "伦敦", "北京", "罗马", "香蕉"]],
        ["从前有一只", ["小狐狸", "小猫", "兔子", "老虎", "小狗", "乌龟", "熊", "龙", "蜗牛", "鲸鱼"]],
        ["抛一枚硬币，结果是", ["正面", "反面", "不知道", "立起来", "硬币", "一样", "向上", "落地", "飞走", "香蕉"]]
      ],
      quote: function (s) { return "「" + s + "」"; }, ellipsis: "……",
      mark: { kept: "保留", removed: "被这一步删除", gone: "已被前一步删除", off: "未启用", skipped: "贪心时跳过", none: "无结果" },
      temperature: "温度 T", prompt: "提示词", reset: "恢复预设 logits",
      order: "执行顺序（transformers）：除以温度 → top-k → top-p → min-p → 对幸存 token 重新归一化。",
      caption: "每个候选 token：温度后的概率、三个过滤器的去留（✓ 保留，✗ 被这一步删除，· 已被前一步删除，— 未启用）、重新归一化后的最终概率和采样次数。logit 可以直接修改。",
      head: ["候选", "logit", "温度后", "top-k", "top-p", "min-p", "最终", "次数"],
      seed: "随机种子（mulberry32）", sample: "采样 100 次", table: "概率表",
      logitOf: function (tok) { return "「" + tok + "」的 logit"; },
      greedyOut: "0（贪心）", off: function (v) { return v + "（关闭）"; },
      greedy: "T = 0：贪心解码（T → 0⁺ 的极限），概率全部给最大 logit；最大值并列时在并列者之间平分。贪心不经过任何过滤器。",
      temp: function (t, n, h) { return "除以温度 T = " + t + " 后做 softmax：" + n + " 个候选，熵 " + h + " nats。"; },
      topk: function (k, kept, tie) { return "top-k（k = " + k + "）：保留 " + kept + " 个" + (tie ? "（第 k 名有并列，并列者都保留）" : "") + "。"; },
      topkOff: "top-k：关闭（k = 0）。",
      topp: function (p, kept) { return "top-p（p = " + p + "）：在上一步幸存者重新归一化后的分布上累计，保留 " + kept + " 个。"; },
      toppOff: "top-p：关闭（p = 1）。",
      minp: function (m, kept) { return "min-p（" + m + "）：阈值 = " + m + " × 最大概率，保留 " + kept + " 个。"; },
      minpOff: "min-p：关闭（0）。",
      summary: function () { return ["最终分布：", " 个 token，熵 H = ", " nats（", " bits）。温度后、过滤前的熵为 ", " nats。"]; },
      cleared: "参数已改变，之前的采样结果已清除。",
      result: function (seed, parts) { return "种子 " + seed + " 的 100 次采样：" + parts.join("，") + "。种子已加 1，再点一次得到新的一组。"; },
      invalid: function (toks) { return toks.map(function (t) { return "「" + t + "」"; }).join("、") + "的 logit 为空或无效（请填 −1000 到 1000 之间的数）。改好之前表格不显示结果：它们只能来自旧的值。"; }
    },
    en: {
      presets: [
        ["The weather today is really", ["nice", "good", "hot", "cold", "sunny", "bad", "humid", "awful", "strange", "banana"]],
        ["The capital of France is", ["Paris", "a", "the", "Lyon", "Nice", "not", "London", "Beijing", "Rome", "banana"]],
        ["Once upon a time there was a little", ["fox", "cat", "rabbit", "tiger", "dog", "turtle", "bear", "dragon", "snail", "whale"]],
        ["I flipped a coin and it landed on", ["heads", "tails", "its", "the", "my", "a", "edge", "top", "grass", "banana"]]
      ],
      quote: function (s) { return "“" + s + "”"; }, ellipsis: " …",
      mark: { kept: "kept", removed: "removed by this step", gone: "removed by an earlier step", off: "off", skipped: "skipped when greedy", none: "no result" },
      temperature: "Temperature T", prompt: "Prompt", reset: "Reset the logits",
      order: "Order (transformers): divide by temperature → top-k → top-p → min-p → renormalize over the survivors.",
      caption: "Each candidate token: its probability after temperature, what each filter does to it (✓ kept, ✗ removed by this step, · removed earlier, — off), the final renormalized probability and the sample count. The logits are editable.",
      head: ["Token", "logit", "After T", "top-k", "top-p", "min-p", "Final", "Count"],
      seed: "Random seed (mulberry32)", sample: "Sample 100 times", table: "Probability table",
      logitOf: function (tok) { return "logit of “" + tok + "”"; },
      greedyOut: "0 (greedy)", off: function (v) { return v + " (off)"; },
      greedy: "T = 0: greedy decoding (the T → 0⁺ limit); all the probability goes to the largest logit, split evenly if several tie. Greedy decoding skips every filter.",
      temp: function (t, n, h) { return "Softmax after dividing by T = " + t + ": " + n + " candidates, entropy " + h + " nats."; },
      topk: function (k, kept, tie) { return "top-k (k = " + k + "): " + kept + " kept" + (tie ? " (a tie at the k-th place: all tied tokens stay)" : "") + "."; },
      topkOff: "top-k: off (k = 0).",
      topp: function (p, kept) { return "top-p (p = " + p + "): mass accumulated over the survivors of the previous step, renormalized; " + kept + " kept."; },
      toppOff: "top-p: off (p = 1).",
      minp: function (m, kept) { return "min-p (" + m + "): threshold = " + m + " × the largest probability; " + kept + " kept."; },
      minpOff: "min-p: off (0).",
      summary: function (n) { return ["Final distribution: ", (n === 1 ? " token" : " tokens") + ", entropy H = ", " nats (", " bits). Entropy after temperature, before the filters: ", " nats."]; },
      cleared: "The settings changed, so the previous sample was cleared.",
      result: function (seed, parts) { return "100 draws with seed " + seed + ": " + parts.join(", ") + ". The seed went up by 1: click again for a new set."; },
      invalid: function (toks) { return "The logit of " + toks.map(function (t) { return "“" + t + "”"; }).join(", ") + " is empty or invalid (enter a number from −1000 to 1000). The table shows no results until it is fixed: they could only come from a stale value."; }
    }
  };
  var T = TEXT[/^en/.test(document.documentElement.lang) ? "en" : "zh"];
  var PRESETS = LOGITS.map(function (logits, i) {
    return { prompt: T.presets[i][0], tokens: T.presets[i][1], logits: logits };
  });

  NS.sampling = { presets: PRESETS, compute: compute, mulberry32: mulberry32,
                  sampleCounts: sampleCounts, fixed: fixed };

  // ---- view -----------------------------------------------------------------------------------
  var SYMBOL = { kept: "✓", removed: "✗", gone: "·", off: "—", skipped: "—", none: "—" };

  var el = window.handbook.el; // dom.js

  function sliderRow(id, label, min, max, step, value) {
    var input = el("input", { type: "range", id: id, min: min, max: max, step: step, value: value });
    var out = el("output", { for: id, id: id + "-out", class: "hbw-value" });
    return { row: el("div", { class: "hbw-field hbw-field--range" }, [
      el("label", { for: id, text: label }), input, out]), input: input, out: out };
  }

  function init(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    root.textContent = "";

    // bad[i]: the logit field of token i holds no valid number; nothing is computed until fixed
    var state = { preset: 0, logits: PRESETS[0].logits.slice(), bad: [], T: 1, k: 6, p: 0.95, minP: 0.15,
                  seed: 42, counts: null };

    // controls
    var presetSel = el("select", { id: "smp-preset" });
    PRESETS.forEach(function (p, i) {
      presetSel.appendChild(el("option", { value: String(i), text: T.quote(p.prompt + T.ellipsis) }));
    });
    var sT = sliderRow("smp-t", T.temperature, 0, 2, 0.05, state.T);
    var sK = sliderRow("smp-k", "top-k", 0, 10, 1, state.k);
    var sP = sliderRow("smp-p", "top-p", 0, 1, 0.01, state.p);
    var sM = sliderRow("smp-minp", "min-p", 0, 1, 0.01, state.minP);
    var reset = el("button", { type: "button", class: "hbw-button", text: T.reset });
    var controls = el("div", { class: "hbw-controls" }, [
      el("div", { class: "hbw-field" }, [el("label", { for: "smp-preset", text: T.prompt }), presetSel]),
      sT.row, sK.row, sP.row, sM.row]);

    var order = el("p", { class: "hbw-order", text: T.order });

    // table: one row per candidate token, built once per preset, updated by render()
    var table = el("table", { class: "hbw-table smp-table" });
    table.appendChild(el("caption", { text: T.caption }));
    var head = el("tr");
    T.head.forEach(function (h) { head.appendChild(el("th", { scope: "col", text: h })); });
    table.appendChild(el("thead", {}, [head]));
    var tbody = el("tbody");
    table.appendChild(tbody);
    var rows = [];

    var stageList = el("ol", { class: "hbw-stages" });
    var summary = el("p", { class: "hbw-summary", id: "smp-summary", "aria-live": "polite" });

    var seedInput = el("input", { type: "number", id: "smp-seed", min: 0, max: 4294967295, step: 1, value: state.seed, inputmode: "numeric" });
    var sampleBtn = el("button", { type: "button", class: "hbw-button hbw-button--primary", id: "smp-sample", text: T.sample });
    var sampleOut = el("p", { class: "hbw-sample-result", id: "smp-result", "aria-live": "polite" });
    var sampler = el("div", { class: "hbw-sampler" }, [
      el("div", { class: "hbw-field" }, [el("label", { for: "smp-seed", text: T.seed }), seedInput]),
      sampleBtn, reset]);

    root.appendChild(controls);
    root.appendChild(order);
    root.appendChild(el("div", { class: "hbw-scroll", tabindex: "0", role: "region", "aria-label": T.table }, [table]));
    root.appendChild(stageList);
    root.appendChild(summary);
    root.appendChild(sampler);
    root.appendChild(sampleOut);

    function buildRows() {
      tbody.textContent = "";
      state.bad = [];
      rows = PRESETS[state.preset].tokens.map(function (tok, i) {
        var input = el("input", { type: "number", step: "0.1", value: String(state.logits[i]),
                                  class: "smp-logit", "aria-label": T.logitOf(tok) });
        input.addEventListener("input", function () {
          var v = parseFloat(input.value);
          var ok = input.value.trim() !== "" && isFinite(v) && Math.abs(v) <= 1000;
          input.setAttribute("aria-invalid", ok ? "false" : "true");
          if (ok) input.removeAttribute("aria-describedby");
          else input.setAttribute("aria-describedby", "smp-summary"); // the message says which and why
          state.bad[i] = !ok;
          if (ok) state.logits[i] = v;
          render();
        });
        var cells = {
          temp: el("td", { class: "hbw-bar smp-temp" }), final: el("td", { class: "hbw-bar hbw-bar--final smp-final" }),
          topk: el("td", { class: "smp-mark smp-topk" }), topp: el("td", { class: "smp-mark smp-topp" }),
          minp: el("td", { class: "smp-mark smp-minp" }), count: el("td", { class: "smp-count" })
        };
        var tr = el("tr", { "data-token": tok }, [
          el("th", { scope: "row", text: tok }), el("td", {}, [input]),
          cells.temp, cells.topk, cells.topp, cells.minp, cells.final, cells.count]);
        tbody.appendChild(tr);
        return { tr: tr, cells: cells };
      });
    }

    function bar(td, p) {
      td.textContent = p === null ? "—" : fixed(p, 3);
      td.style.setProperty("--w", p === null ? "0%" : (p * 100).toFixed(2) + "%");
    }

    function mark(td, s) {
      td.textContent = "";
      td.setAttribute("data-status", s);
      td.appendChild(el("span", { "aria-hidden": "true", text: SYMBOL[s] }));
      td.appendChild(el("span", { class: "hbw-sr", text: T.mark[s] }));
    }

    function key() { return JSON.stringify([state.logits, state.T, state.k, state.p, state.minP]); }

    function render() {
      sT.out.textContent = state.T <= 0 ? T.greedyOut : fixed(state.T, 2);
      sK.out.textContent = state.k === 0 ? T.off("0") : String(state.k);
      sP.out.textContent = state.p >= 1 ? T.off("1.00") : fixed(state.p, 2);
      sM.out.textContent = state.minP <= 0 ? T.off("0.00") : fixed(state.minP, 2);
      [sT, sK, sP, sM].forEach(function (s) { s.input.setAttribute("aria-valuetext", s.out.textContent); });

      var tokens = PRESETS[state.preset].tokens;
      var bad = tokens.filter(function (t, i) { return state.bad[i]; });
      root.classList.toggle("hbw-invalid", bad.length > 0);
      sampleBtn.disabled = bad.length > 0;
      stageList.textContent = "";
      summary.textContent = "";
      if (bad.length) { // no numbers from a stale logit: blank every result and say why
        state.result = null;
        rows.forEach(function (row, i) {
          bar(row.cells.temp, null);
          bar(row.cells.final, null);
          STAGES.forEach(function (s) { mark(row.cells[s], "none"); });
          row.cells.count.textContent = "—";
          row.tr.classList.remove("smp-dropped");
          row.tr.classList.toggle("smp-bad", !!state.bad[i]);
        });
        summary.appendChild(el("span", { class: "hbw-error", text: T.invalid(bad) }));
        sampleOut.textContent = "";
        return;
      }

      var r = compute(state.logits, state.T, state.k, state.p, state.minP);
      state.result = r;
      var counts = state.counts && state.counts.key === key() ? state.counts.counts : null;
      rows.forEach(function (row, i) {
        bar(row.cells.temp, r.temp[i]);
        bar(row.cells.final, r.final[i]);
        STAGES.forEach(function (s) { mark(row.cells[s], r.greedy ? "skipped" : r.status[s][i]); });
        row.cells.count.textContent = counts ? String(counts[i]) : "—";
        row.tr.classList.toggle("smp-dropped", r.final[i] === 0);
        row.tr.classList.remove("smp-bad");
      });

      var items = [];
      if (r.greedy) {
        items.push(T.greedy);
      } else {
        items.push(T.temp(fixed(state.T, 2), tokens.length, fixed(r.entropyTemp, 3)));
        items.push(state.k > 0 ? T.topk(state.k, r.kept.topk, r.kept.topk > state.k) : T.topkOff);
        items.push(state.p < 1 ? T.topp(fixed(state.p, 2), r.kept.topp) : T.toppOff);
        items.push(state.minP > 0 ? T.minp(fixed(state.minP, 2), r.kept.minp) : T.minpOff);
      }
      items.forEach(function (t) { stageList.appendChild(el("li", { text: t })); });

      var survivors = r.final.filter(function (p) { return p > 0; }).length;
      var values = [String(survivors),
        el("span", { class: "smp-h-final", text: fixed(r.entropyFinal, 3) }),
        el("span", { class: "smp-h-final-bits", text: fixed(r.entropyFinal / Math.LN2, 3) }),
        el("span", { class: "smp-h-temp", text: fixed(r.entropyTemp, 3) })];
      T.summary(survivors).forEach(function (text, i) {
        summary.appendChild(document.createTextNode(text));
        var v = values[i];
        if (v) summary.appendChild(typeof v === "string" ? document.createTextNode(v) : v);
      });

      if (!counts) sampleOut.textContent = state.counts ? T.cleared : "";
    }

    function readSliders() {
      state.T = parseFloat(sT.input.value);
      state.k = parseInt(sK.input.value, 10);
      state.p = parseFloat(sP.input.value);
      state.minP = parseFloat(sM.input.value);
      render();
    }
    [sT, sK, sP, sM].forEach(function (s) { s.input.addEventListener("input", readSliders); });

    presetSel.addEventListener("change", function () {
      state.preset = parseInt(presetSel.value, 10);
      state.logits = PRESETS[state.preset].logits.slice();
      buildRows();
      render();
    });
    reset.addEventListener("click", function () {
      state.logits = PRESETS[state.preset].logits.slice();
      buildRows();
      render();
    });
    sampleBtn.addEventListener("click", function () {
      if (!state.result) return;
      var seed = parseInt(seedInput.value, 10);
      if (!isFinite(seed) || seed < 0) seed = 0;
      seed = seed >>> 0;
      var counts = sampleCounts(state.result.final, seed, 100);
      state.counts = { key: key(), counts: counts };
      render();
      var tokens = PRESETS[state.preset].tokens;
      var parts = [];
      counts.forEach(function (c, i) { if (c > 0) parts.push(tokens[i] + " × " + c); });
      sampleOut.textContent = T.result(seed, parts);
      sampleOut.setAttribute("data-seed", String(seed));
      seedInput.value = String((seed + 1) >>> 0);
    });

    buildRows();
    render();
  }

  function start() {
    document.querySelectorAll("[data-hbw='sampling']").forEach(init);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
