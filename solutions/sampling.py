"""Temperature, top-k, top-p and min-p, in Hugging Face transformers' order."""

from __future__ import annotations

import numpy as np

from solutions.softmax_ce import softmax


def filter_logits(
    logits: np.ndarray,
    temperature: float = 1.0,
    top_k: int = 0,
    top_p: float = 1.0,
    min_p: float = 0.0,
) -> np.ndarray:
    """logits: (V,) -> sampling probabilities (V,); removed tokens get 0.

    Order: temperature -> top-k -> top-p -> min-p. Each filter sees what
    the previous one left (removed logits become -inf). top_k = 0,
    top_p = 1 and min_p = 0 switch a filter off.
    """
    if temperature <= 0:
        raise ValueError("temperature must be > 0 (greedy is an argmax)")
    z = logits / temperature

    if top_k > 0:  # drop tokens below the k-th largest; ties at k stay
        kth = np.sort(z)[::-1][min(top_k, z.size) - 1]
        z = np.where(z < kth, -np.inf, z)

    if top_p < 1.0:  # drop a token once the mass ranked above it >= top_p
        order = np.argsort(-z, kind="stable")  # descending, ties in order
        p = softmax(z)[order]
        mass_before = np.cumsum(p) - p
        remove = mass_before >= top_p
        remove[0] = False  # the top token always stays (even top_p = 0)
        z[order[remove]] = -np.inf

    if min_p > 0.0:  # drop tokens below min_p times the top probability
        p = softmax(z)
        z = np.where(p < min_p * p.max(), -np.inf, z)

    return softmax(z)


def sample(probs: np.ndarray, rng: np.random.Generator) -> int:
    """Draw one token id from probs (V,)."""
    return int(rng.choice(probs.size, p=probs))
