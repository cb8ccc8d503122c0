"""Rotary position embedding (RoPE), rotate-half layout (Hugging Face Llama)."""

from __future__ import annotations

import numpy as np


def rope_cos_sin(
    positions: np.ndarray, head_dim: int, base: float = 10000.0
) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of m·θ_i for positions m of shape (T,); each (T, head_dim).

    θ_i = base^(-2i / head_dim) for i < head_dim / 2. Dimension i pairs
    with dimension i + head_dim / 2, so the angles appear twice:
    [θ_0 … θ_{d/2-1}, θ_0 … θ_{d/2-1}].
    """
    inv_freq = base ** (-np.arange(0, head_dim, 2) / head_dim)  # (hd/2,)
    angles = np.outer(positions, inv_freq)  # (T, hd/2)
    angles = np.concatenate([angles, angles], axis=-1)  # (T, hd)
    return np.cos(angles), np.sin(angles)


def rotate_half(x: np.ndarray) -> np.ndarray:
    """(x1, x2) -> (-x2, x1), halves taken along the last axis."""
    x1, x2 = np.split(x, 2, axis=-1)
    return np.concatenate([-x2, x1], axis=-1)


def apply_rope(
    x: np.ndarray, positions: np.ndarray, base: float = 10000.0
) -> np.ndarray:
    """Rotate q or k (never v). x: (..., T, hd), positions: (T,).

    Returns an array of x's shape.
    """
    cos, sin = rope_cos_sin(positions, x.shape[-1], base)
    return x * cos + rotate_half(x) * sin
