"""Beam search with a length penalty over any next-token function."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

NextLogProbs = Callable[[tuple[int, ...]], np.ndarray]  # prefix -> (V,) log-probabilities


def beam_search(next_logprobs: NextLogProbs, eos: int, beam_width: int, max_len: int,
                length_penalty: float = 1.0) -> tuple[tuple[int, ...], float]:
    """Best sequence (ending in eos, or max_len tokens long) and its score.

    score(y) = sum_t log p(y_t | y_<t) / |y| ** length_penalty, the form of transformers'
    length_penalty (|y| counts the generated tokens, eos included). Live beams all have the
    same length, so they are ranked by summed log-probability; the penalty only matters when
    finished sequences of different lengths are compared.
    """
    beams: list[tuple[tuple[int, ...], float]] = [((), 0.0)]  # (tokens, summed log-prob)
    finished: list[tuple[tuple[int, ...], float]] = []
    for _ in range(max_len):
        logp = np.stack([next_logprobs(tokens) for tokens, _ in beams])  # (n_beams, V)
        total = np.array([s for _, s in beams])[:, None] + logp  # (n_beams, V)
        top = np.argsort(-total, axis=None, kind="stable")[:beam_width]  # flat indices
        parents, tokens = np.unravel_index(top, total.shape)
        candidates = [(beams[b][0] + (int(t),), float(total[b, t]))
                      for b, t in zip(parents, tokens, strict=True)]
        finished += [c for c in candidates if c[0][-1] == eos]
        beams = [c for c in candidates if c[0][-1] != eos]  # a finished beam is not replaced
        if not beams:
            break
    finished += beams  # still running at max_len
    scored = [(seq, s / len(seq) ** length_penalty) for seq, s in finished]
    return max(scored, key=lambda item: item[1])
