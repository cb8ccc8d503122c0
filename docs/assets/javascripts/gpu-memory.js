// GPU-memory calculator: weights, gradients, optimizer states and KV cache (MHA/GQA/MQA or MLA), with the formulas the
// inference and distributed chapters use. Progressive enhancement: without JavaScript the page
// shows the formulas and worked examples. The math is here and only here;
// tests/widget_reference.py is its independent Python twin. Words come from one string table
// per language, chosen by the page's <html lang>.
(function () {
  "use strict";

  var NS = (window.handbook = window.handbook || {});

  var BYTES = { fp32: 4, bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5 };
  var LABEL = { fp32: "FP32", bf16: "BF16", fp16: "FP16", fp8: "FP8", int8: "INT8", int4: "INT4" };
  var NF4 = 0.5;
  var KEEP16 = 2; // bytes of the embeddings and output layer when the rest is quantized
  var GB = 1e9, GIB = 1073741824;
  var HUGE = 1e15; // from here on, integers are no longer exact in a double: scientific notation

  // Published configs (config.json of each model; see the page for the sources). adapter = LoRA
  // parameters for r = 16 on q, k, v, o, gate, up, down of every layer: Σ r·(d_in + d_out).
  // embed = input embeddings + output layer (vocab × hidden, twice unless tied). kvLora, ropeDim =
  // MLA's cached latent (kv_lora_rank) and decoupled RoPE key (qk_rope_head_dim), 0 without MLA;
  // the MLA presets are MoE models without a LoRA preset, and their kvHeads × headDim is the MHA
  // that MLA replaces (n_h = d_h = 128), used only if the attention is switched to MHA/GQA.
  var PRESETS = {
    "llama3.2-1b": { name: "Llama 3.2 1B", params: 1235814400, layers: 16, kvHeads: 8, headDim: 64, adapter: 11272192, embed: 262668288, kvLora: 0, ropeDim: 0 },
    "llama2-7b": { name: "Llama 2 7B", params: 6738415616, layers: 32, kvHeads: 32, headDim: 128, adapter: 39976960, embed: 262144000, kvLora: 0, ropeDim: 0 },
    "llama3-8b": { name: "Llama 3 8B", params: 8030261248, layers: 32, kvHeads: 8, headDim: 128, adapter: 41943040, embed: 1050673152, kvLora: 0, ropeDim: 0 },
    "llama3-70b": { name: "Llama 3 70B", params: 70553706496, layers: 80, kvHeads: 8, headDim: 128, adapter: 207093760, embed: 2101346304, kvLora: 0, ropeDim: 0 },
    "qwen2.5-7b": { name: "Qwen2.5 7B", params: 7615616512, layers: 28, kvHeads: 4, headDim: 128, adapter: 40370176, embed: 1089994752, kvLora: 0, ropeDim: 0 },
    "deepseek-v2": { name: "DeepSeek-V2 (MLA)", params: 235741434880, layers: 60, kvHeads: 128, headDim: 128, adapter: 0, embed: 1048576000, kvLora: 512, ropeDim: 64 },
    "deepseek-v3": { name: "DeepSeek-V3 (MLA)", params: 671026419200, layers: 61, kvHeads: 128, headDim: 128, adapter: 0, embed: 1853358080, kvLora: 512, ropeDim: 64 }
  };

  // ---- math -----------------------------------------------------------------------------------
  // Bytes of each part. mode: "inference" | "full" | "lora" | "qlora". Below 16 bits the
  // embeddings and output layer stay in 16 bits (bitsandbytes quantizes only the nn.Linear layers
  // and leaves lm_head out); embed16 is that share of the weights.
  function compute(c) {
    var w, e16 = 0, g = 0, o = 0, kv = 0;
    if (c.mode === "full") { // BF16 weights 2 + grads 2 + FP32 master 4 + Adam m 4 + v 4
      w = c.params * 2; g = c.params * 2; o = c.params * 12;
    } else if (c.mode === "inference" || c.mode === "lora" || c.mode === "qlora") {
      var base = c.mode === "qlora" ? NF4 : BYTES[c.precision];
      if (base < KEEP16) { e16 = c.embed * KEEP16; w = (c.params - c.embed) * base + e16; }
      else w = c.params * base;
      if (c.mode !== "inference") { w += c.adapter * 2; g = c.adapter * 2; o = c.adapter * 12; }
    } else {
      throw new Error("unknown mode " + c.mode);
    }
    // MLA caches one latent of kv_lora_rank plus one shared RoPE key per token and layer (no K/V pair)
    if (c.mode === "inference" && c.attention === "mla") kv = c.layers * (c.kvLora + c.ropeDim) * c.seqLen * c.batch * BYTES[c.kvPrecision];
    else if (c.mode === "inference") kv = 2 * c.layers * c.kvHeads * c.headDim * c.seqLen * c.batch * BYTES[c.kvPrecision];
    return { weights: w, embed16: e16, gradients: g, optimizer: o, kvCache: kv, total: w + g + o + kv };
  }

  // round half up on the double, then print: tests/widget_reference.py does the same
  function fixed(x, digits) {
    var scale = Math.pow(10, digits);
    var s = (Math.floor(x * scale + 0.5) / scale).toFixed(digits);
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
  }
  // "2.0 × 10³⁰": toExponential rounds the exact value half up, as the Python twin does
  function sci(x) {
    var m = x.toExponential(1).split("e");
    return m[0] + " × 10" + String(parseInt(m[1], 10)).replace(/\d/g, function (d) { return "⁰¹²³⁴⁵⁶⁷⁸⁹"[d]; });
  }
  // thousands separators and `digits` decimals; scientific notation for huge numbers
  function amount(x, digits) {
    if (x >= HUGE) return sci(x);
    var s = fixed(x, digits).split(".");
    return s[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (s[1] ? "." + s[1] : "");
  }
  // a byte or parameter count: no decimals, or one when there is half a byte (INT4, NF4)
  function group(n) { return amount(n, n === Math.floor(n) || n >= HUGE ? 0 : 1); }

  NS.gpuMemory = { presets: PRESETS, bytes: BYTES, compute: compute, fixed: fixed, group: group, amount: amount };

  // ---- words ----------------------------------------------------------------------------------
  var TEXT = {
    zh: {
      bytes: function (b) { return "（" + b + " 字节）"; }, paren: function (s) { return "（" + s + "）"; },
      colon: "：", space: "",
      custom: "自定义", mode: "模式",
      modes: { inference: "推理", full: "全参数训练（AdamW 混合精度）", lora: "LoRA", qlora: "QLoRA" },
      model: "模型与精度", preset: "预设模型", params: "参数量 P（十亿，B）", precision: "权重精度",
      precisionHint: "推理和 LoRA 时冻结权重的精度", adapter: "LoRA 可训练参数量 A（百万，M）",
      adapterHint: "预设按 r = 16、全部 7 个线性层计算", embed: "嵌入与输出层 E（百万，M）",
      embedHint: "词表 × hidden，不共享时再 × 2；权重低于 16 bit 时它们仍按 16 bit 计",
      kv: "KV cache（仅推理）", layers: "层数 L", kvHeads: "KV 头数 H_kv", headDim: "头维度 d",
      attention: "注意力", attentions: { gqa: "MHA / GQA / MQA", mla: "MLA" },
      kvLora: "MLA 潜向量维度 d_c", ropeDim: "解耦 RoPE 键维度 d_rope",
      seqLen: "序列长度 s（token）", batch: "batch B", kvPrecision: "KV cache 精度",
      caption: "显存分项（GB = 10⁹ 字节，GiB = 2³⁰ 字节）", head: ["项目", "计算", "GB", "GiB"],
      table: "显存分项表",
      rows: { weights: "权重", embed16: "其中：嵌入与输出层", gradients: "梯度", optimizer: "优化器状态", kvCache: "KV cache", total: "合计" },
      frozen: "冻结", adapterBf16: "BF16 适配器", embed16: "嵌入与输出层，16 bit",
      quantized: function (lab) { return "其余按 " + lab; },
      noGrad: "推理不需要梯度", noOptim: "推理没有优化器状态", noKv: "训练时整段序列一次前向，不使用 KV cache",
      fullW: "BF16 权重", fullG: "BF16 梯度", fullO: "FP32 主权重 4 + Adam m 4 + v 4",
      adapterG: "只有适配器有梯度", adapterO: "只有适配器有 AdamW 状态",
      sumInf: "权重 + KV cache", sumTrain: "权重 + 梯度 + 优化器状态", zero: "（0 B）",
      noteInf: "推理：显存 = 权重 + KV cache。KV cache 开头的 2 表示 K 和 V 各存一份。",
      noteMla: "推理：显存 = 权重 + KV cache。MLA 每层每 token 只缓存一个 d_c 维潜向量和一个 d_rope 维解耦 RoPE 键，K、V 都由潜向量还原，所以没有「× 2」。",
      noteFull: "全参数训练（混合精度 AdamW）：每个参数 16 字节，权重精度固定为 BF16，上面的「权重精度」不参与计算。",
      noteLora: "LoRA：冻结的底座按所选精度计，适配器按混合精度 AdamW 计 16 字节/参数（2 + 2 + 12）。",
      noteQlora: "QLoRA：冻结的底座按 NF4 计 0.5 字节/参数（不含量化常数），适配器按混合精度 AdamW 计 16 字节/参数；「权重精度」不参与计算。",
      note16: "权重低于 16 bit 时，嵌入层和输出层（lm_head）仍按 BF16 计：bitsandbytes 只量化线性层，并把输出层留在 16 bit。",
      total: function (gb, gib) { return "合计约 " + gb + " GB（" + gib + " GiB），不含激活、显存碎片、框架开销和 CUDA 上下文。"; },
      invalid: function (label, integer) { return "输入无效（" + label + "）：请填写正数" + (integer ? "整数" : "") + "。下表仍是上一次有效输入的结果。"; },
      embedTooBig: "输入无效：嵌入与输出层 E 不能大于参数量 P。下表仍是上一次有效输入的结果。",
      tooBig: "数值太大，超出了能计算的范围。下表仍是上一次有效输入的结果。"
    },
    en: {
      bytes: function (b) { return " (" + b + (b === 1 ? " byte)" : " bytes)"); }, paren: function (s) { return " (" + s + ")"; },
      colon: ": ", space: " ",
      custom: "Custom", mode: "Mode",
      modes: { inference: "Inference", full: "Full training (mixed-precision AdamW)", lora: "LoRA", qlora: "QLoRA" },
      model: "Model and precision", preset: "Preset model", params: "Parameters P (billions)", precision: "Weight precision",
      precisionHint: "Precision of the frozen weights for inference and LoRA", adapter: "LoRA trainable parameters A (millions)",
      adapterHint: "Presets: r = 16 on all 7 linear layers", embed: "Embeddings + output layer E (millions)",
      embedHint: "vocab × hidden, × 2 if not tied; kept at 16 bits when the weights are quantized",
      kv: "KV cache (inference only)", layers: "Layers L", kvHeads: "KV heads H_kv", headDim: "Head dim d",
      attention: "Attention", attentions: { gqa: "MHA / GQA / MQA", mla: "MLA" },
      kvLora: "MLA latent dim d_c", ropeDim: "Decoupled RoPE key dim d_rope",
      seqLen: "Sequence length s (tokens)", batch: "Batch B", kvPrecision: "KV cache precision",
      caption: "Memory breakdown (GB = 10⁹ bytes, GiB = 2³⁰ bytes)", head: ["Part", "Formula", "GB", "GiB"],
      table: "Memory breakdown",
      rows: { weights: "Weights", embed16: "of which embeddings + output layer", gradients: "Gradients", optimizer: "Optimizer states", kvCache: "KV cache", total: "Total" },
      frozen: "frozen", adapterBf16: "BF16 adapters", embed16: "embeddings + output layer, 16-bit",
      quantized: function (lab) { return "the rest in " + lab; },
      noGrad: "inference needs no gradients", noOptim: "inference has no optimizer states", noKv: "training runs the whole sequence in one forward pass: no KV cache",
      fullW: "BF16 weights", fullG: "BF16 gradients", fullO: "FP32 master weights 4 + Adam m 4 + v 4",
      adapterG: "only the adapters have gradients", adapterO: "only the adapters have AdamW states",
      sumInf: "weights + KV cache", sumTrain: "weights + gradients + optimizer states", zero: " (0 B)",
      noteInf: "Inference: memory = weights + KV cache. The leading 2 of the KV cache is one copy for K and one for V.",
      noteMla: "Inference: memory = weights + KV cache. MLA caches only one d_c-dim latent and one d_rope-dim decoupled RoPE key per token and layer, and rebuilds K and V from the latent: there is no \"× 2\".",
      noteFull: "Full training (mixed-precision AdamW): 16 bytes per parameter; the weights are BF16, so \"Weight precision\" is not used.",
      noteLora: "LoRA: the frozen base at the chosen precision, the adapters at 16 bytes per parameter (mixed-precision AdamW: 2 + 2 + 12).",
      noteQlora: "QLoRA: the frozen base in NF4 at 0.5 bytes per parameter (quantization constants not included), the adapters at 16 bytes per parameter (mixed-precision AdamW); \"Weight precision\" is not used.",
      note16: "Below 16 bits, the embeddings and the output layer (lm_head) are still counted in BF16: bitsandbytes quantizes only the linear layers and leaves the output layer in 16 bits.",
      total: function (gb, gib) { return "Total about " + gb + " GB (" + gib + " GiB), without activations, fragmentation, framework overhead and the CUDA context."; },
      invalid: function (label, integer) { return "Invalid input (" + label + "): enter a positive " + (integer ? "whole number" : "number") + ". The table still shows the last valid input."; },
      embedTooBig: "Invalid input: the embeddings + output layer E cannot exceed the parameters P. The table still shows the last valid input.",
      tooBig: "The number is too large to compute. The table still shows the last valid input."
    }
  };

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

  function init(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    root.textContent = "";
    var T = TEXT[/^en/.test(document.documentElement.lang) ? "en" : "zh"];

    var state = { preset: "llama2-7b", params: 0, precision: "bf16", mode: "inference", adapter: 0, embed: 0,
                  layers: 0, kvHeads: 0, headDim: 0, seqLen: 4096, batch: 1, kvPrecision: "bf16",
                  attention: "gqa", kvLora: 512, ropeDim: 64 };

    function precisionSelect() {
      var s = el("select");
      Object.keys(LABEL).forEach(function (k) { s.appendChild(el("option", { value: k, text: LABEL[k] + T.bytes(BYTES[k]) })); });
      return s;
    }
    var presetSel = el("select");
    presetSel.appendChild(el("option", { value: "custom", text: T.custom }));
    Object.keys(PRESETS).forEach(function (k) { presetSel.appendChild(el("option", { value: k, text: PRESETS[k].name })); });
    var inParams = number({ min: 0, step: "any" });
    var inPrec = precisionSelect();
    var inAdapter = number({ min: 0, step: "any" });
    var inEmbed = number({ min: 0, step: "any" });
    var inLayers = number({ min: 1, step: 1, inputmode: "numeric" });
    var inKvHeads = number({ min: 1, step: 1, inputmode: "numeric" });
    var inHeadDim = number({ min: 1, step: 1, inputmode: "numeric" });
    var inSeq = number({ min: 1, step: 1, inputmode: "numeric", value: state.seqLen });
    var inBatch = number({ min: 1, step: 1, inputmode: "numeric", value: state.batch });
    var inKvPrec = precisionSelect();
    var inAttn = el("select");
    Object.keys(T.attentions).forEach(function (k) { inAttn.appendChild(el("option", { value: k, text: T.attentions[k] })); });
    var inKvLora = number({ min: 0, step: 1, inputmode: "numeric", value: state.kvLora });
    var inRope = number({ min: 0, step: 1, inputmode: "numeric", value: state.ropeDim });

    var modeBox = el("fieldset", { class: "hbw-modes" }, [el("legend", { text: T.mode })]);
    var radios = Object.keys(T.modes).map(function (m) {
      var r = el("input", { type: "radio", name: "gpu-mode", id: "gpu-mode-" + m, value: m });
      if (m === state.mode) r.checked = true;
      modeBox.appendChild(el("label", { class: "hbw-radio", for: "gpu-mode-" + m }, [r, document.createTextNode(T.modes[m])]));
      return r;
    });

    var modelBox = el("fieldset", { class: "hbw-group" }, [el("legend", { text: T.model }),
      field("gpu-preset", T.preset, presetSel),
      field("gpu-params", T.params, inParams),
      field("gpu-precision", T.precision, inPrec, T.precisionHint),
      field("gpu-embed", T.embed, inEmbed, T.embedHint),
      field("gpu-adapter", T.adapter, inAdapter, T.adapterHint)]);
    var kvBox = el("fieldset", { class: "hbw-group hbw-group--grid" }, [el("legend", { text: T.kv }),
      field("gpu-attention", T.attention, inAttn), field("gpu-layers", T.layers, inLayers),
      field("gpu-kv-heads", T.kvHeads, inKvHeads), field("gpu-head-dim", T.headDim, inHeadDim),
      field("gpu-kv-lora", T.kvLora, inKvLora), field("gpu-rope-dim", T.ropeDim, inRope),
      field("gpu-seq", T.seqLen, inSeq),
      field("gpu-batch", T.batch, inBatch), field("gpu-kv-precision", T.kvPrecision, inKvPrec)]);
    inPrec.value = state.precision;
    inKvPrec.value = state.kvPrecision;

    var table = el("table", { class: "hbw-table gpu-table" });
    table.appendChild(el("caption", { text: T.caption }));
    var head = el("tr");
    T.head.forEach(function (h) { head.appendChild(el("th", { scope: "col", text: h })); });
    table.appendChild(el("thead", {}, [head]));
    var tbody = el("tbody");
    table.appendChild(tbody);
    var ROWS = ["weights", "embed16", "gradients", "optimizer", "kvCache", "total"];
    var cells = {}, trs = {};
    ROWS.forEach(function (k) {
      var c = { formula: el("td", { class: "gpu-formula" }), gb: el("td", { class: "gpu-gb" }), gib: el("td", { class: "gpu-gib" }) };
      trs[k] = el("tr", { "data-part": k, class: k === "total" ? "gpu-total-row" : k === "embed16" ? "gpu-sub-row" : "" },
        [el("th", { scope: "row", text: T.rows[k] }), c.formula, c.gb, c.gib]);
      tbody.appendChild(trs[k]);
      cells[k] = c;
    });
    var modeNote = el("p", { class: "hbw-order gpu-mode-note" });
    var total = el("p", { class: "hbw-summary gpu-total", "aria-live": "polite" });

    root.appendChild(modeBox);
    root.appendChild(el("div", { class: "hbw-fieldsets" }, [modelBox, kvBox]));
    root.appendChild(modeNote);
    root.appendChild(total);
    root.appendChild(el("div", { class: "hbw-scroll", tabindex: "0", role: "region", "aria-label": T.table }, [table]));

    function applyPreset(key) {
      var p = PRESETS[key];
      if (!p) return;
      inParams.value = String(p.params / 1e9);
      inAdapter.value = String(p.adapter / 1e6);
      inEmbed.value = String(p.embed / 1e6);
      inLayers.value = String(p.layers); inKvHeads.value = String(p.kvHeads); inHeadDim.value = String(p.headDim);
      // an MLA preset brings its dimensions; the others keep whatever the MLA fields hold
      state.attention = inAttn.value = p.kvLora ? "mla" : "gqa";
      if (p.kvLora) { inKvLora.value = String(p.kvLora); inRope.value = String(p.ropeDim); }
    }

    // [input, state key, scale, integer only, minimum, describes the model]
    var NUMBERS = [[inParams, "params", 1e9, false, 0, true], [inAdapter, "adapter", 1e6, false, 0, false],
      [inEmbed, "embed", 1e6, false, 0, true], [inLayers, "layers", 1, true, 1, true],
      [inKvHeads, "kvHeads", 1, true, 1, true], [inHeadDim, "headDim", 1, true, 1, true],
      [inKvLora, "kvLora", 1, true, 0, true], [inRope, "ropeDim", 1, true, 0, true],
      [inSeq, "seqLen", 1, true, 1, false], [inBatch, "batch", 1, true, 1, false]];

    function read(d) {
      var input = d[0], v = parseFloat(input.value);
      var ok = input.value.trim() !== "" && isFinite(v) && isFinite(v * d[2]) && v >= d[4] && (!d[3] || Math.floor(v) === v);
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      return ok ? Math.round(v * d[2]) : null;
    }

    // say what is wrong instead of leaving the last result as if it were current
    function stale(message) {
      total.textContent = message;
      root.classList.add("hbw-stale");
    }

    // read every input, then either show the result or say why not
    function update() {
      var next = Object.assign({}, state), bad = null;
      NUMBERS.forEach(function (d) {
        var v = read(d);
        if (v === null) bad = bad || d;
        else next[d[1]] = v;
      });
      if (bad) return stale(T.invalid(bad[0].labels[0].textContent.trim(), bad[3]));
      inEmbed.setAttribute("aria-invalid", next.embed > next.params ? "true" : "false");
      if (next.embed > next.params) return stale(T.embedTooBig);
      if (!isFinite(compute(next).total)) return stale(T.tooBig);
      state = next;
      root.classList.remove("hbw-stale");
      render();
    }

    function render() {
      var r = compute(state);
      var m = state.mode, b = BYTES[state.precision];
      var P = group(state.params), A = group(state.adapter), E = group(state.embed);
      var f = {};
      var base = m === "qlora" ? NF4 : b, lab = m === "qlora" ? "NF4" : LABEL[state.precision];
      var baseF = r.embed16
        ? "(P − E) × " + base + " B" + T.paren(T.quantized(lab)) + " + E × 2 B" + T.paren(T.embed16)
        : "P × " + base + " B" + T.paren(lab);
      var baseN = r.embed16 ? "(" + P + " − " + E + ") × " + base + " B + " + E + " × 2 B" : P + " × " + base + " B";
      f.embed16 = "E × 2 B = " + E + " × 2 B";
      if (m === "inference") {
        f.weights = baseF + " = " + baseN;
        f.gradients = T.noGrad;
        f.optimizer = T.noOptim;
        f.kvCache = (state.attention === "mla"
          ? "L × (d_c + d_rope) × s × B × b = " + state.layers + " × (" + state.kvLora + " + " + state.ropeDim + ") × " + [group(state.seqLen), state.batch].join(" × ")
          : "2 × L × H_kv × d × s × B × b = 2 × " + [state.layers, state.kvHeads, state.headDim, group(state.seqLen), state.batch].join(" × ")) +
          " × " + BYTES[state.kvPrecision] + " B" + T.paren(LABEL[state.kvPrecision]);
        modeNote.textContent = state.attention === "mla" ? T.noteMla : T.noteInf;
      } else if (m === "full") {
        f.weights = "P × 2 B" + T.paren(T.fullW) + " = " + P + " × 2 B";
        f.gradients = "P × 2 B" + T.paren(T.fullG) + " = " + P + " × 2 B";
        f.optimizer = "P × 12 B" + T.paren(T.fullO) + " = " + P + " × 12 B";
        f.kvCache = T.noKv;
        modeNote.textContent = T.noteFull;
      } else {
        f.weights = baseF + " + A × 2 B" + T.paren(T.adapterBf16) + " = " + baseN + " + " + A + " × 2 B";
        f.gradients = T.adapterG + T.colon + "A × 2 B = " + A + " × 2 B";
        f.optimizer = T.adapterO + T.colon + "A × 12 B = " + A + " × 12 B";
        f.kvCache = T.noKv;
        modeNote.textContent = m === "qlora" ? T.noteQlora : T.noteLora;
      }
      if (r.embed16) modeNote.textContent += T.space + T.note16;
      f.total = m === "inference" ? T.sumInf : T.sumTrain;
      ROWS.forEach(function (k) {
        var bytes = r[k], c = cells[k];
        c.formula.textContent = f[k] + (k === "total" || bytes ? " = " + group(bytes) + " B" : T.zero);
        c.gb.textContent = amount(bytes / GB, 2);
        c.gib.textContent = amount(bytes / GIB, 2);
      });
      trs.embed16.hidden = !r.embed16;
      total.textContent = T.total(amount(r.total / GB, 2), amount(r.total / GIB, 2));

      inPrec.disabled = m === "full" || m === "qlora";
      inAdapter.disabled = !(m === "lora" || m === "qlora");
      inEmbed.disabled = m === "full";
      kvBox.disabled = m !== "inference";
      var mla = state.attention === "mla";
      inKvHeads.disabled = inHeadDim.disabled = mla;
      inKvLora.disabled = inRope.disabled = !mla;
      root.setAttribute("data-mode", m);
    }

    presetSel.addEventListener("change", function () {
      state.preset = presetSel.value;
      applyPreset(state.preset);
      update();
    });
    radios.forEach(function (r) {
      r.addEventListener("change", function () { if (r.checked) { state.mode = r.value; update(); } });
    });
    inPrec.addEventListener("change", function () { state.precision = inPrec.value; update(); });
    inKvPrec.addEventListener("change", function () { state.kvPrecision = inKvPrec.value; update(); });
    inAttn.addEventListener("change", function () {
      state.attention = inAttn.value;
      if (state.preset !== "custom") { state.preset = "custom"; presetSel.value = "custom"; } // another architecture
      update();
    });
    NUMBERS.forEach(function (d) {
      d[0].addEventListener("input", function () {
        // a preset describes a model: editing its architecture makes it a custom one
        if (d[5] && state.preset !== "custom") { state.preset = "custom"; presetSel.value = "custom"; }
        update();
      });
    });

    presetSel.value = state.preset;
    applyPreset(state.preset);
    update();
  }

  function start() {
    document.querySelectorAll("[data-hbw='gpu-memory']").forEach(init);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
