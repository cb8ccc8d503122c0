"""A top-k mixture-of-experts router and the Switch Transformer balancing loss.

Shapes: T tokens, d width, E experts, k experts per token.
x (T, d), w_gate (d, E), expert weights (E, d, d) for the toy linear experts.
"""

from __future__ import annotations

import numpy as np

from solutions.softmax_ce import softmax


def route(x: np.ndarray, w_gate: np.ndarray, k: int,
          renormalize: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns experts (T, k), gate weights (T, k), router probabilities (T, E).

    renormalize=True: the k weights sum to 1 (Mixtral: softmax of top-k logits).
    renormalize=False: raw softmax probabilities (Switch, k = 1).
    """
    probs = softmax(x @ w_gate)
    experts = np.argsort(-probs, axis=-1, kind="stable")[:, :k]
    gates = np.take_along_axis(probs, experts, axis=-1)
    if renormalize:
        gates = gates / gates.sum(axis=-1, keepdims=True)
    return experts, gates, probs


def load_balancing_loss(probs: np.ndarray, experts: np.ndarray) -> float:
    """E * sum_i f_i * P_i; equals 1 when f is uniform.

    f_i: share of the T*k assignments that went to expert i;
    P_i: mean router probability of expert i.
    """
    n_experts = probs.shape[1]
    f = np.bincount(experts.ravel(), minlength=n_experts) / experts.size
    p = probs.mean(axis=0)
    return float(n_experts * np.sum(f * p))


def moe_layer(x: np.ndarray, w_gate: np.ndarray, expert_w: np.ndarray,
              k: int) -> np.ndarray:
    """y_t = sum over its k experts e of gate * (x_t @ W_e).

    Each expert runs once, on the tokens dispatched to it.
    """
    experts, gates, _ = route(x, w_gate, k)
    y = np.zeros_like(x)
    for e in range(expert_w.shape[0]):
        token, slot = np.nonzero(experts == e)  # tokens sent to expert e
        y[token] += gates[token, slot, None] * (x[token] @ expert_w[e])
    return y
