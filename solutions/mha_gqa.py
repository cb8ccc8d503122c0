"""Multi-head attention with grouped-query (GQA) and multi-query (MQA) heads."""

from __future__ import annotations

import numpy as np

from solutions.attention import attention


def multi_head_attention(
    x: np.ndarray,
    w_q: np.ndarray,
    w_k: np.ndarray,
    w_v: np.ndarray,
    w_o: np.ndarray,
    n_heads: int,
    n_kv_heads: int,
    causal: bool = True,
) -> np.ndarray:
    """Self-attention, n_heads query heads sharing n_kv_heads K/V heads.

    x: (B, T, D); head dim hd = D // n_heads.
    w_q: (D, n_heads * hd), w_k and w_v: (D, n_kv_heads * hd),
    w_o: (n_heads * hd, D). Returns (B, T, D).
    n_kv_heads == n_heads is MHA, 1 is MQA, anything between is GQA.
    """
    if n_heads % n_kv_heads:
        raise ValueError("n_heads must be a multiple of n_kv_heads")
    b, t, d = x.shape
    hd = d // n_heads
    group = n_heads // n_kv_heads  # query heads per K/V head

    def split(y: np.ndarray, heads: int) -> np.ndarray:
        """(B, T, heads * hd) -> (B, heads, T, hd)"""
        return y.reshape(b, t, heads, hd).transpose(0, 2, 1, 3)

    q = split(x @ w_q, n_heads)
    k = split(x @ w_k, n_kv_heads)
    v = split(x @ w_v, n_kv_heads)
    # query head h reads K/V head h // group: copy each K/V head
    # `group` times in a row -> (B, n_heads, T, hd)
    k = np.repeat(k, group, axis=1)
    v = np.repeat(v, group, axis=1)
    out, _ = attention(q, k, v, causal=causal)  # (B, n_heads, T, hd)
    return out.transpose(0, 2, 1, 3).reshape(b, t, n_heads * hd) @ w_o
