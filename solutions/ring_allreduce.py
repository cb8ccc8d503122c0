"""Ring all-reduce over N simulated ranks: reduce-scatter, then all-gather.

Each rank holds S elements, split into N chunks (their sizes may differ by 1).
Returns every rank's copy of the sum and how many elements each rank sent.
"""

from __future__ import annotations

import numpy as np


def ring_allreduce(
    buffers: list[np.ndarray],
) -> tuple[list[np.ndarray], list[int]]:
    n = len(buffers)
    chunks = [np.array_split(np.array(b, dtype=np.float64), n) for b in buffers]
    sent = [0] * n

    def ring_step(chunk_of: list[int], reduce: bool) -> None:
        # rank r sends chunk_of[r] to rank r + 1. No rank receives the chunk it
        # sends, so going through the ranks in turn equals sending all at once.
        for r in range(n):
            c, dst = chunk_of[r], (r + 1) % n
            data = chunks[r][c]
            chunks[dst][c] = chunks[dst][c] + data if reduce else data.copy()
            sent[r] += data.size

    for s in range(n - 1):  # reduce-scatter: send chunk r - s, receiver adds
        ring_step([(r - s) % n for r in range(n)], reduce=True)
    # now rank r holds the complete sum of chunk r + 1
    for s in range(n - 1):  # all-gather: forward chunk r + 1 - s, receiver copies
        ring_step([(r + 1 - s) % n for r in range(n)], reduce=False)
    return [np.concatenate(c) for c in chunks], sent
