"""Incremental decoding with a KV cache: a tiny pre-norm decoder in NumPy.

Shapes: V vocabulary, d model width, H heads, dh = d // H, T tokens so far.
The cache holds, per layer, K and V of shape (H, T, dh); a step appends a row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Cache = list[dict[str, np.ndarray]]  # one {"k", "v"} per layer


@dataclass
class Decoder:
    tok: np.ndarray  # (V, d) token embeddings
    pos: np.ndarray  # (max_len, d) learned absolute positions
    head: np.ndarray  # (d, V) output projection
    # per layer: wq, wk, wv, wo (d, d); w1 (d, 4d); w2 (4d, d)
    layers: list[dict[str, np.ndarray]]
    n_heads: int


def random_decoder(rng: np.random.Generator, vocab: int, d: int, n_heads: int,
                   n_layers: int, max_len: int) -> Decoder:
    """Fixed random weights, scaled by 1/sqrt(fan_in)."""
    def w(fan_in: int, fan_out: int) -> np.ndarray:
        return rng.normal(0.0, fan_in ** -0.5, (fan_in, fan_out))

    layers = [{"wq": w(d, d), "wk": w(d, d), "wv": w(d, d), "wo": w(d, d),
               "w1": w(d, 4 * d), "w2": w(4 * d, d)} for _ in range(n_layers)]
    return Decoder(rng.normal(size=(vocab, d)), rng.normal(size=(max_len, d)),
                   w(d, vocab), layers, n_heads)


def rms_norm(x: np.ndarray) -> np.ndarray:
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-6)


def forward(m: Decoder, tokens: np.ndarray, cache: Cache) -> np.ndarray:
    """Run new tokens (T_new,) after the cached ones; returns logits (T_new, V).

    Prefill passes the prompt with an empty cache; a decode step passes one token.
    The cache is extended in place.
    """
    start = cache[0]["k"].shape[1] if cache else 0  # positions already cached
    t_new = len(tokens)
    x = m.tok[tokens] + m.pos[start:start + t_new]  # offset positions, not 0
    # query j sits at position start + j and may see keys 0 … start + j
    future = np.arange(start + t_new)[None, :] > start + np.arange(t_new)[:, None]
    for i, p in enumerate(m.layers):
        h = rms_norm(x)
        q, k, v = (  # each (H, T_new, dh)
            (h @ p[n]).reshape(t_new, m.n_heads, -1).transpose(1, 0, 2)
            for n in ("wq", "wk", "wv")
        )
        if i == len(cache):
            cache.append({"k": k, "v": v})
        else:
            cache[i]["k"] = np.concatenate([cache[i]["k"], k], axis=1)
            cache[i]["v"] = np.concatenate([cache[i]["v"], v], axis=1)
        k, v = cache[i]["k"], cache[i]["v"]  # (H, start + T_new, dh)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
        scores = np.where(future, -np.inf, scores)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights /= weights.sum(axis=-1, keepdims=True)
        attn = (weights @ v).transpose(1, 0, 2).reshape(t_new, -1)  # (T_new, d)
        x = x + attn @ p["wo"]
        x = x + np.maximum(rms_norm(x) @ p["w1"], 0.0) @ p["w2"]
    return rms_norm(x) @ m.head


def greedy_generate(m: Decoder, prompt: np.ndarray,
                    steps: int) -> tuple[list[int], list[np.ndarray]]:
    """Prefill the prompt, then decode `steps` tokens one at a time.

    Returns the generated ids and the logits (V,) that chose each of them.
    """
    cache: Cache = []
    logits = forward(m, prompt, cache)[-1]  # prefill: the whole prompt at once
    ids, chosen_by = [], []
    for step in range(steps):
        if step:  # decode: only the newest token goes through the model
            logits = forward(m, np.array([ids[-1]]), cache)[0]
        chosen_by.append(logits)
        ids.append(int(np.argmax(logits)))
    return ids, chosen_by
