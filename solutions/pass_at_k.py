"""The unbiased pass@k estimator of Chen et al. (2021).

n samples per problem, c of them correct, k <= n:
pass@k = 1 - C(n - c, k) / C(n, k) = 1 - prod_{i = n-c+1}^{n} (1 - k / i).
"""

from __future__ import annotations

import numpy as np


def pass_at_k(n: int, c: int, k: int) -> float:
    """P(k samples drawn without replacement from n include a correct one)."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n, 1 <= k <= n; got {n=} {c=} {k=}")
    if n - c < k:  # fewer than k wrong samples: any k include a correct one
        return 1.0
    # C(n-c, k) / C(n, k) as a product of c factors, each in (0, 1): no overflow
    return 1.0 - float(np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def mean_pass_at_k(n: list[int], c: list[int], k: int) -> float:
    """The benchmark score: the estimator averaged over problems."""
    scores = [pass_at_k(ni, ci, k) for ni, ci in zip(n, c, strict=True)]
    return float(np.mean(scores))
