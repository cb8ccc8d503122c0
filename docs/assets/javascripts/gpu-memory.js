// GPU-memory calculator: weights, gradients, optimizer states and KV cache, with the formulas the
// inference and distributed chapters use. Progressive enhancement: without JavaScript the page
// shows the formulas and worked examples. The math is here and only here;
// tests/widget_reference.py is its independent Python twin.
(function () {
  "use strict";

  var NS = (window.handbook = window.handbook || {});

  var BYTES = { fp32: 4, bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5 };
  var LABEL = { fp32: "FP32", bf16: "BF16", fp16: "FP16", fp8: "FP8", int8: "INT8", int4: "INT4" };
  var NF4 = 0.5;
  var GB = 1e9, GIB = 1073741824;

  // Published configs (config.json of each model; see the page for the sources). adapter = LoRA
  // parameters for r = 16 on q, k, v, o, gate, up, down of every layer: Σ r·(d_in + d_out).
  var PRESETS = {
    "llama2-7b": { name: "Llama 2 7B", params: 6738415616, layers: 32, kvHeads: 32, headDim: 128, adapter: 39976960 },
    "llama3-8b": { name: "Llama 3 8B", params: 8030261248, layers: 32, kvHeads: 8, headDim: 128, adapter: 41943040 },
    "llama3-70b": { name: "Llama 3 70B", params: 70553706496, layers: 80, kvHeads: 8, headDim: 128, adapter: 207093760 },
    "qwen2.5-7b": { name: "Qwen2.5 7B", params: 7615616512, layers: 28, kvHeads: 4, headDim: 128, adapter: 40370176 }
  };

  // ---- math -----------------------------------------------------------------------------------
  // Bytes of each part. mode: "inference" | "full" | "lora" | "qlora".
  function compute(c) {
    var w, g = 0, o = 0, kv = 0;
    if (c.mode === "inference") {
      w = c.params * BYTES[c.precision];
      kv = 2 * c.layers * c.kvHeads * c.headDim * c.seqLen * c.batch * BYTES[c.kvPrecision];
    } else if (c.mode === "full") { // BF16 weights 2 + grads 2 + FP32 master 4 + Adam m 4 + v 4
      w = c.params * 2; g = c.params * 2; o = c.params * 12;
    } else if (c.mode === "lora" || c.mode === "qlora") {
      var base = c.mode === "qlora" ? NF4 : BYTES[c.precision];
      w = c.params * base + c.adapter * 2; g = c.adapter * 2; o = c.adapter * 12;
    } else {
      throw new Error("unknown mode " + c.mode);
    }
    return { weights: w, gradients: g, optimizer: o, kvCache: kv, total: w + g + o + kv };
  }

  function fixed(x, digits) {
    var scale = Math.pow(10, digits);
    var s = (Math.floor(x * scale + 0.5) / scale).toFixed(digits);
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
  }
  // thousands separators; at most one decimal (INT4 and NF4 give half bytes)
  function group(n) {
    var whole = Math.floor(n), frac = n - whole;
    var s = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return frac ? s + "." + fixed(frac, 1).slice(2) : s;
  }

  NS.gpuMemory = { presets: PRESETS, bytes: BYTES, compute: compute, fixed: fixed, group: group };

  // ---- view -----------------------------------------------------------------------------------
  var el = window.handbook.el; // dom.js
  function field(id, label, input, hint) {
    input.id = id;
    var kids = [el("label", { for: id, text: label }), input];
    if (hint) {
      kids.push(el("span", { class: "hbw-hint", id: id + "-hint", text: hint }));
      input.setAttribute("aria-describedby", id + "-hint");
    }
    return el("div", { class: "hbw-field" }, kids);
  }
  function number(attrs) { return el("input", Object.assign({ type: "number", inputmode: "decimal" }, attrs)); }
  function precisionSelect(withInt4) {
    var s = el("select");
    Object.keys(LABEL).forEach(function (k) {
      if (k === "int4" && !withInt4) return;
      s.appendChild(el("option", { value: k, text: LABEL[k] + "（" + BYTES[k] + " 字节）" }));
    });
    return s;
  }

  function init(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    root.textContent = "";

    var state = { preset: "llama2-7b", params: 0, precision: "bf16", mode: "inference", adapter: 0,
                  layers: 0, kvHeads: 0, headDim: 0, seqLen: 4096, batch: 1, kvPrecision: "bf16" };

    var presetSel = el("select");
    presetSel.appendChild(el("option", { value: "custom", text: "自定义" }));
    Object.keys(PRESETS).forEach(function (k) { presetSel.appendChild(el("option", { value: k, text: PRESETS[k].name })); });
    var inParams = number({ min: 0, step: "any" });
    var inPrec = precisionSelect(true);
    var inAdapter = number({ min: 0, step: "any" });
    var inLayers = number({ min: 1, step: 1, inputmode: "numeric" });
    var inKvHeads = number({ min: 1, step: 1, inputmode: "numeric" });
    var inHeadDim = number({ min: 1, step: 1, inputmode: "numeric" });
    var inSeq = number({ min: 1, step: 1, inputmode: "numeric", value: state.seqLen });
    var inBatch = number({ min: 1, step: 1, inputmode: "numeric", value: state.batch });
    var inKvPrec = precisionSelect(true);

    var modes = [["inference", "推理"], ["full", "全参数训练（AdamW 混合精度）"], ["lora", "LoRA"], ["qlora", "QLoRA"]];
    var modeBox = el("fieldset", { class: "hbw-modes" }, [el("legend", { text: "模式" })]);
    var radios = modes.map(function (m) {
      var r = el("input", { type: "radio", name: "gpu-mode", id: "gpu-mode-" + m[0], value: m[0] });
      if (m[0] === state.mode) r.checked = true;
      modeBox.appendChild(el("label", { class: "hbw-radio", for: "gpu-mode-" + m[0] }, [r, document.createTextNode(m[1])]));
      return r;
    });

    var precHint = "推理和 LoRA 时冻结权重的精度";
    var modelBox = el("fieldset", { class: "hbw-group" }, [el("legend", { text: "模型与精度" }),
      field("gpu-preset", "预设模型", presetSel),
      field("gpu-params", "参数量 P（十亿，B）", inParams),
      field("gpu-precision", "权重精度", inPrec, precHint),
      field("gpu-adapter", "LoRA 可训练参数量 A（百万，M）", inAdapter, "预设按 r = 16、全部 7 个线性层计算")]);
    var kvBox = el("fieldset", { class: "hbw-group hbw-group--grid" }, [el("legend", { text: "KV cache（仅推理）" }),
      field("gpu-layers", "层数 L", inLayers), field("gpu-kv-heads", "KV 头数 H_kv", inKvHeads),
      field("gpu-head-dim", "头维度 d", inHeadDim), field("gpu-seq", "序列长度 s（token）", inSeq),
      field("gpu-batch", "batch B", inBatch), field("gpu-kv-precision", "KV cache 精度", inKvPrec)]);
    inPrec.value = state.precision;
    inKvPrec.value = state.kvPrecision;

    var table = el("table", { class: "hbw-table gpu-table" });
    table.appendChild(el("caption", { text: "显存分项（GB = 10⁹ 字节，GiB = 2³⁰ 字节）" }));
    var head = el("tr");
    ["项目", "计算", "GB", "GiB"].forEach(function (h) { head.appendChild(el("th", { scope: "col", text: h })); });
    table.appendChild(el("thead", {}, [head]));
    var tbody = el("tbody");
    table.appendChild(tbody);
    var ROWS = [["weights", "权重"], ["gradients", "梯度"], ["optimizer", "优化器状态"], ["kvCache", "KV cache"], ["total", "合计"]];
    var cells = {};
    ROWS.forEach(function (r) {
      var c = { formula: el("td", { class: "gpu-formula" }), gb: el("td", { class: "gpu-gb" }), gib: el("td", { class: "gpu-gib" }) };
      tbody.appendChild(el("tr", { "data-part": r[0], class: r[0] === "total" ? "gpu-total-row" : "" },
        [el("th", { scope: "row", text: r[1] }), c.formula, c.gb, c.gib]));
      cells[r[0]] = c;
    });
    var modeNote = el("p", { class: "hbw-order gpu-mode-note" });
    var total = el("p", { class: "hbw-summary gpu-total", "aria-live": "polite" });

    root.appendChild(modeBox);
    root.appendChild(el("div", { class: "hbw-fieldsets" }, [modelBox, kvBox]));
    root.appendChild(modeNote);
    root.appendChild(total);
    root.appendChild(el("div", { class: "hbw-scroll", tabindex: "0", role: "region", "aria-label": "显存分项表" }, [table]));

    function applyPreset(key) {
      var p = PRESETS[key];
      if (!p) return;
      state.params = p.params; state.layers = p.layers; state.kvHeads = p.kvHeads;
      state.headDim = p.headDim; state.adapter = p.adapter;
      inParams.value = String(p.params / 1e9);
      inAdapter.value = String(p.adapter / 1e6);
      inLayers.value = String(p.layers); inKvHeads.value = String(p.kvHeads); inHeadDim.value = String(p.headDim);
    }

    function read(input, scale, integer, min) {
      var v = parseFloat(input.value);
      var ok = input.value.trim() !== "" && isFinite(v) && v >= min && (!integer || Math.floor(v) === v);
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      return ok ? Math.round(v * scale) : null;
    }

    function render() {
      var r = compute(state);
      var m = state.mode, b = BYTES[state.precision];
      var P = group(state.params), A = group(state.adapter);
      var f = {};
      if (m === "inference") {
        f.weights = "P × b = " + P + " × " + b + " B（" + LABEL[state.precision] + "）";
        f.gradients = "推理不需要梯度";
        f.optimizer = "推理没有优化器状态";
        f.kvCache = "2 × L × H_kv × d × s × B × b = 2 × " + [state.layers, state.kvHeads, state.headDim, group(state.seqLen), state.batch].join(" × ") +
          " × " + BYTES[state.kvPrecision] + " B（" + LABEL[state.kvPrecision] + "）";
        modeNote.textContent = "推理：显存 = 权重 + KV cache。KV cache 开头的 2 表示 K 和 V 各存一份。";
      } else if (m === "full") {
        f.weights = "P × 2 B（BF16 权重）= " + P + " × 2 B";
        f.gradients = "P × 2 B（BF16 梯度）= " + P + " × 2 B";
        f.optimizer = "P × 12 B（FP32 主权重 4 + Adam m 4 + v 4）= " + P + " × 12 B";
        f.kvCache = "训练时整段序列一次前向，不使用 KV cache";
        modeNote.textContent = "全参数训练（混合精度 AdamW）：每个参数 16 字节，权重精度固定为 BF16，上面的「权重精度」不参与计算。";
      } else {
        var lab = m === "qlora" ? "NF4，冻结" : LABEL[state.precision] + "，冻结";
        var bb = m === "qlora" ? NF4 : b;
        f.weights = "P × " + bb + " B（" + lab + "）+ A × 2 B（BF16 适配器）= " + P + " × " + bb + " B + " + A + " × 2 B";
        f.gradients = "只有适配器有梯度：A × 2 B = " + A + " × 2 B";
        f.optimizer = "只有适配器有 AdamW 状态：A × 12 B = " + A + " × 12 B";
        f.kvCache = "训练时整段序列一次前向，不使用 KV cache";
        modeNote.textContent = m === "qlora"
          ? "QLoRA：冻结的底座按 NF4 计 0.5 字节/参数（不含量化常数），适配器按混合精度 AdamW 计 16 字节/参数；「权重精度」不参与计算。"
          : "LoRA：冻结的底座按所选精度计，适配器按混合精度 AdamW 计 16 字节/参数（2 + 2 + 12）。";
      }
      f.total = m === "inference" ? "权重 + KV cache" : "权重 + 梯度 + 优化器状态";
      ROWS.forEach(function (row) {
        var k = row[0], bytes = r[k], c = cells[k];
        c.formula.textContent = f[k] + (k === "total" || bytes ? " = " + group(bytes) + " B" : "（0 B）");
        c.gb.textContent = fixed(bytes / GB, 2);
        c.gib.textContent = fixed(bytes / GIB, 2);
      });
      total.textContent = "合计约 " + fixed(r.total / GB, 2) + " GB（" + fixed(r.total / GIB, 2) + " GiB），不含激活、显存碎片、框架开销和 CUDA 上下文。";

      inPrec.disabled = m === "full" || m === "qlora";
      inAdapter.disabled = !(m === "lora" || m === "qlora");
      kvBox.disabled = m !== "inference";
      root.setAttribute("data-mode", m);
    }

    presetSel.addEventListener("change", function () {
      state.preset = presetSel.value;
      applyPreset(state.preset);
      render();
    });
    radios.forEach(function (r) {
      r.addEventListener("change", function () { if (r.checked) { state.mode = r.value; render(); } });
    });
    inPrec.addEventListener("change", function () { state.precision = inPrec.value; render(); });
    inKvPrec.addEventListener("change", function () { state.kvPrecision = inKvPrec.value; render(); });
    [[inParams, "params", 1e9, false, 0, true], [inAdapter, "adapter", 1e6, false, 0, false],
     [inLayers, "layers", 1, true, 1, true], [inKvHeads, "kvHeads", 1, true, 1, true],
     [inHeadDim, "headDim", 1, true, 1, true], [inSeq, "seqLen", 1, true, 1, false],
     [inBatch, "batch", 1, true, 1, false]].forEach(function (d) {
      d[0].addEventListener("input", function () {
        var v = read(d[0], d[2], d[3], d[4]);
        if (v === null) {  // say so instead of leaving the last result as if it were current
          total.textContent = "输入无效（" + d[0].labels[0].textContent.trim() + "）：请填写正数" +
            (d[3] ? "整数" : "") + "。下表仍是上一次有效输入的结果。";
          root.classList.add("hbw-stale");
          return;
        }
        root.classList.remove("hbw-stale");
        state[d[1]] = v;
        // a preset describes a model: editing its architecture makes it a custom one
        if (d[5] && state.preset !== "custom") { state.preset = "custom"; presetSel.value = "custom"; }
        render();
      });
    });

    presetSel.value = state.preset;
    applyPreset(state.preset);
    render();
  }

  function start() {
    document.querySelectorAll("[data-hbw='gpu-memory']").forEach(init);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
