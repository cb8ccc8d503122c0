"""Numerically stable softmax, log-softmax, and cross-entropy with gradient."""

from __future__ import annotations

import numpy as np


def softmax(z: np.ndarray) -> np.ndarray:
    """z: (..., V) -> probabilities (..., V). Minus the max: exp() <= 1."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z: np.ndarray) -> np.ndarray:
    """z: (..., V) -> log-probabilities (..., V) by log-sum-exp; no log(0)."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def cross_entropy(
    logits: np.ndarray, targets: np.ndarray
) -> tuple[float, np.ndarray]:
    """Mean cross-entropy over N rows, and its gradient.

    logits: (N, V), targets: (N,) integer class ids.
    Returns the loss and dL/dlogits (N, V) = (softmax - onehot) / N.
    """
    n = logits.shape[0]
    rows = np.arange(n)
    logp = log_softmax(logits)
    loss = -logp[rows, targets].mean()
    grad = np.exp(logp)
    grad[rows, targets] -= 1.0
    return float(loss), grad / n
