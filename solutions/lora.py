"""A LoRA linear layer: y = x W^T + (alpha / r) x A^T B^T, with merge and unmerge.

Shapes: W (d_out, d_in) frozen, A (r, d_in) random, B (d_out, r) zero at init,
x (..., d_in) -> y (..., d_out).
"""

from __future__ import annotations

import numpy as np


class LoRALinear:
    def __init__(self, weight: np.ndarray, r: int, alpha: float,
                 rng: np.random.Generator) -> None:
        d_out, d_in = weight.shape
        self.weight = weight.copy()  # frozen base W
        self.a = rng.normal(0.0, d_in ** -0.5, (r, d_in))  # trainable, random
        self.b = np.zeros((d_out, r))  # trainable, zero: the layer starts as W
        self.scale = alpha / r
        self.merged = False

    def __call__(self, x: np.ndarray) -> np.ndarray:
        y = x @ self.weight.T
        if not self.merged:  # two thin matmuls: x -> (..., r) -> (..., d_out)
            y = y + self.scale * (x @ self.a.T) @ self.b.T
        return y

    def merge(self) -> None:
        """Fold the update into W: inference then costs exactly one matmul."""
        if not self.merged:
            self.weight += self.scale * self.b @ self.a
            self.merged = True

    def unmerge(self) -> None:
        """Take the update out of W again (to keep training, or swap adapters)."""
        if self.merged:
            self.weight -= self.scale * self.b @ self.a
            self.merged = False

    def trainable_params(self) -> int:
        """r * (d_in + d_out): only A and B are trained."""
        return self.a.size + self.b.size
