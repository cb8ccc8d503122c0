"""Beam search with a length penalty, over any next-token function."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# prefix -> (V,) log-probabilities of the next token
NextLogProbs = Callable[[tuple[int, ...]], np.ndarray]
Hypothesis = tuple[tuple[int, ...], float]  # (tokens, summed log-prob)


def beam_search(
    next_logprobs: NextLogProbs,
    eos: int,
    beam_width: int,
    max_len: int,
    length_penalty: float = 1.0,
) -> Hypothesis:
    """Best sequence (ending in eos, or max_len long) and its score.

    score(y) = sum_t log p(y_t | y_<t) / |y| ** length_penalty, the form
    of transformers' length_penalty; |y| counts generated tokens, eos
    included. Live beams all have the same length, so they are ranked by
    summed log-prob; the penalty only decides between finished ones.
    """
    beams: list[Hypothesis] = [((), 0.0)]
    finished: list[Hypothesis] = []
    for _ in range(max_len):
        logp = np.stack([next_logprobs(seq) for seq, _ in beams])  # (n, V)
        total = np.array([s for _, s in beams])[:, None] + logp  # (n, V)
        top = np.argsort(-total, axis=None, kind="stable")[:beam_width]
        parents, tokens = np.unravel_index(top, total.shape)
        candidates = [
            ((*beams[b][0], int(t)), float(total[b, t]))
            for b, t in zip(parents, tokens, strict=True)
        ]
        finished += [c for c in candidates if c[0][-1] == eos]
        # a finished beam leaves; it is not replaced by the next candidate
        beams = [c for c in candidates if c[0][-1] != eos]
        if not beams:
            break
    finished += beams  # still running at max_len
    scored = [(seq, s / len(seq) ** length_penalty) for seq, s in finished]
    return max(scored, key=lambda h: h[1])
