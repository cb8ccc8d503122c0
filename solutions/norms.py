"""LayerNorm (forward and backward) and RMSNorm (forward) over the last axis."""

from __future__ import annotations

import numpy as np

Cache = tuple[np.ndarray, np.ndarray, np.ndarray]


def layernorm(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, Cache]:
    """x: (..., D), gamma and beta: (D,).

    Returns y (..., D) and the cache the backward pass needs.
    """
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)  # biased (÷ D), like PyTorch
    rstd = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * rstd
    return x_hat * gamma + beta, (x_hat, rstd, gamma)


def layernorm_backward(
    dy: np.ndarray, cache: Cache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dy: (..., D) = dL/dy. Returns dx (..., D), dgamma (D,), dbeta (D,)."""
    x_hat, rstd, gamma = cache
    rows = tuple(range(dy.ndim - 1))  # every axis but the last
    dgamma = (dy * x_hat).sum(axis=rows)
    dbeta = dy.sum(axis=rows)
    g = dy * gamma  # dL/dx_hat
    dx = rstd * (
        g
        - g.mean(axis=-1, keepdims=True)  # through the mean
        - x_hat * (g * x_hat).mean(axis=-1, keepdims=True)  # the variance
    )
    return dx, dgamma, dbeta


def rmsnorm(x: np.ndarray, gamma: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """x: (..., D), gamma: (D,). No mean subtraction, no beta."""
    rms = np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps)
    return x / rms * gamma
