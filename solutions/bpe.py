"""Byte-pair encoding (Sennrich et al., 2016): learn merges, then encode.

Words are tuples of symbols ending in the end-of-word marker "</w>": a merge
never crosses a word boundary, and "est</w>" (word-final) differs from "est".
"""

from __future__ import annotations

from itertools import pairwise

END = "</w>"
Pair = tuple[str, str]


def count_pairs(words: dict[tuple[str, ...], int]) -> dict[Pair, int]:
    """Adjacent symbol pairs, each weighted by its word's frequency."""
    counts: dict[Pair, int] = {}
    for symbols, freq in words.items():
        for pair in pairwise(symbols):
            counts[pair] = counts.get(pair, 0) + freq
    return counts


def merge_word(symbols: tuple[str, ...], pair: Pair) -> tuple[str, ...]:
    """Replace every occurrence of `pair`, scanning left to right."""
    out: list[str] = []
    i = 0
    while i < len(symbols):
        if symbols[i:i + 2] == pair:
            out.append(pair[0] + pair[1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def train_bpe(word_freqs: dict[str, int], num_merges: int) -> list[Pair]:
    """The merges in learned order, each the most frequent pair at its step.

    Ties go to the pair seen first (words in the given order, left to right):
    what `max` over an insertion-ordered dict does.
    """
    words = {(*word, END): freq for word, freq in word_freqs.items()}
    merges: list[Pair] = []
    for _ in range(num_merges):
        counts = count_pairs(words)
        if not counts:  # every word is a single symbol
            break
        best = max(counts, key=counts.__getitem__)
        merges.append(best)
        words = {merge_word(symbols, best): f for symbols, f in words.items()}
    return merges


def encode(word: str, merges: list[Pair]) -> list[str]:
    """Split into characters + END, then apply the merges in learned order."""
    symbols: tuple[str, ...] = (*word, END)
    for pair in merges:
        symbols = merge_word(symbols, pair)
    return list(symbols)
