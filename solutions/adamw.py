"""One step of AdamW (decoupled weight decay) and, for contrast, Adam with L2
regularization added to the gradient.

Shapes: p, g, m, v all (...,) alike; t is the step number, counted from 1.
Convention of torch.optim.AdamW: the decay is multiplied by the learning rate,
p <- p - lr * wd * p.
"""

from __future__ import annotations

import numpy as np

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]


def adam_direction(g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
                   betas: tuple[float, float], eps: float) -> Arrays:
    """New m, v and the bias-corrected step m_hat / (sqrt(v_hat) + eps)."""
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m / (1 - b1**t)  # bias correction: m and v start at 0
    v_hat = v / (1 - b2**t)
    return m, v, m_hat / (np.sqrt(v_hat) + eps)


def adamw_step(
    p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
    lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8, weight_decay: float = 0.01,
) -> Arrays:
    """Returns the new p, m, v. The decay never enters m or v."""
    m, v, step = adam_direction(g, m, v, t, betas, eps)
    return p - lr * weight_decay * p - lr * step, m, v


def adam_l2_step(
    p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
    lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8, weight_decay: float = 0.01,
) -> Arrays:
    """Adam + L2 (the weight_decay of torch.optim.Adam): g += wd * p."""
    m, v, step = adam_direction(g + weight_decay * p, m, v, t, betas, eps)
    return p - lr * step, m, v


def sgd_step(p: np.ndarray, g: np.ndarray, lr: float, weight_decay: float,
             decoupled: bool) -> np.ndarray:
    """Plain SGD, with L2 in the gradient or with decoupled decay in the paper's
    form (not multiplied by lr). They agree when the L2 coefficient is
    weight_decay / lr: under SGD the two differ only by this rescaling."""
    if decoupled:
        return p - lr * g - weight_decay * p
    return p - lr * (g + weight_decay * p)
