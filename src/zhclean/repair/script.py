"""Script: tell native Traditional from machine-converted text, and restore the latter.

Damage: a Simplified page sent through a converter (OpenCC, zhconv, hanziconv) comes out
Traditional, with the converter's mistakes: ``着眼`` becomes ``著眼``, ``了`` becomes
``瞭``, ``“”`` becomes ``「」``, ``软件`` becomes ``軟體``. Restoring it is not plain
T→S conversion: one Traditional form can come from several Simplified ones (``著`` from
着 or 著, ``乾`` from 干 or 乾), and the phrases around a character vote for its origin.

>>> to_simplified("他著眼長遠，顯著提高，瞭解乾坤。")[0]
'他着眼长远，显著提高，了解乾坤。'

Native Traditional (Taiwan, Hong Kong) is left alone unless the caller asks otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import Any, Literal

import ahocorasick_rs
import numpy as np

from .._data import rows
from ..changes import Change
from ._chars import HAN, code_points, replace_surrogates

__all__ = [
    "ScriptName",
    "ScriptReport",
    "Target",
    "detect_script",
    "repair_script",
    "simplified_view",
    "to_simplified",
    "to_traditional",
    "traditional_only_chars",
    "variant_chars",
]

STEP = "script"
WORD_STEP = "script_words"
# Taiwan words it takes to undo word swaps: mainland authors write a few (飛彈) too.
SWAP_EVIDENCE = 3
ScriptName = Literal["hans", "hant", "hant-converted", "mixed", "none"]
Target = Literal["auto", "keep", "hans", "hant"]

_HAN = re.compile(f"[{HAN}]")
_QUOTES = {"「": "“", "」": "”"}
_NESTED_QUOTES = {"『": "‘", "』": "’"}
_TRADITIONAL, _SIMPLIFIED, _CONVERTER_FORM = 1, 2, 3
_QUOTE_PAIRS = 6  # most pairs of 「」 counted as native evidence


@dataclass(frozen=True, slots=True)
class ScriptReport:
    """Which script a document is written in, and the evidence for it."""

    input: ScriptName
    evidence: dict[str, int] = field(default_factory=dict)


class _Tables:
    """The conversion tables, loaded once on first use."""

    def __init__(self) -> None:
        chars = {t: s for t, s in rows("t2s_chars.tsv")}
        self.t2s = {ord(t): s for t, s in chars.items()}
        # the same mapping as a code-point table, to convert a page in one numpy gather
        self.t2s_lut = np.arange(0x110000, dtype=np.uint32)
        self.t2s_lut[list(self.t2s)] = [ord(s) for s in self.t2s.values()]
        phrases = rows("t2s_phrases.tsv")
        # Word swaps (智慧型手機 for 智能手机) apply first, longest-first, and only on pages
        # that show a vocabulary-swapping converter.
        swaps = {t: s for t, s, kind, _ in phrases if kind == "word"}
        self.swap_keys, self.swap_values = list(swaps), list(swaps.values())
        self.swaps = _matcher(self.swap_keys, overlapping=False)
        # Character phrases and guards vote on the characters they cover; each speaks
        # for the characters it changes (a guard: for all of its characters). The votes
        # are flat arrays so that a page's matches are counted in one vectorised pass.
        keys, freqs, offsets, chars_, counts = [], [], [], [], []
        for t, s, kind, freq in phrases:
            if kind == "word":
                continue
            default = t.translate(self.t2s)
            spoken = [(i, b) for i, (a, b) in enumerate(zip(default, s, strict=True))
                      if a != b or kind == "guard"]
            keys.append(t)
            freqs.append(int(freq))
            counts.append(len(spoken))
            offsets += [i for i, _ in spoken]
            chars_ += [ord(b) for _, b in spoken]
        self.voters = _matcher(keys, overlapping=True)
        self.vote_freq = np.array(freqs, dtype=np.int64)
        self.vote_count = np.array(counts, dtype=np.int64)
        self.vote_first = np.cumsum(self.vote_count) - self.vote_count
        self.vote_offset = np.array(offsets, dtype=np.int64)
        self.vote_char = np.array(chars_, dtype=np.uint32)
        simplified_only = {s for (s,) in rows("simplified_only.tsv")}
        traditional_only = set(chars) - set(chars.values())
        self.variants = frozenset(traditional_only | simplified_only)
        self.traditional_only = frozenset(traditional_only)
        # One byte per code point: which script a character belongs to, for counting
        # a whole document in one vectorised pass.
        classes = np.zeros(0x110000, dtype=np.uint8)
        classes[[ord(c) for c in traditional_only]] = _TRADITIONAL
        classes[[ord(c) for c in simplified_only]] = _SIMPLIFIED
        # Traditional-only OpenCC standard forms (爲, 衆) count as converter evidence too
        forms = {c for (c,) in rows("converter_forms.tsv")} & traditional_only
        classes[[ord(c) for c in forms]] = _CONVERTER_FORM
        self.classes = classes
        # Mainland and Taiwan vocabulary in one automaton: one pass counts both.
        pairs = rows("mainland_words.tsv")
        mainland, taiwan = {cn for cn, _ in pairs}, {tw for _, tw in pairs}
        words = sorted(mainland | taiwan)
        self.vocabulary = _matcher(words)
        self.is_mainland = np.array([w in mainland for w in words], dtype=np.int64)
        self.is_taiwan = np.array([w in taiwan for w in words], dtype=np.int64)
        self.s2t = {ord(s): t for s, t in rows("s2t_chars.tsv")}


def _matcher(words: list[str], overlapping: bool = False) -> ahocorasick_rs.AhoCorasick:
    kind = ahocorasick_rs.MatchKind
    return ahocorasick_rs.AhoCorasick(
        words, matchkind=kind.Standard if overlapping else kind.LeftmostLongest
    )


@cache
def _tables() -> _Tables:
    return _Tables()


def variant_chars() -> frozenset[str]:
    """Characters written differently in Simplified and Traditional (業 and 业, not 的)."""
    return _tables().variants


def simplified_view(text: str) -> str:
    """Text with each Traditional character mapped to its likeliest Simplified one.

    For matching Simplified patterns against either script (``網友點評`` → ``网友点评``);
    no context, no changes recorded: not a restoration.
    """
    return text.translate(_tables().t2s)


def traditional_only_chars() -> frozenset[str]:
    """Characters only Traditional writing uses (業, not 业 or 的)."""
    return _tables().traditional_only


def detect_script(text: str, glue: int = 0) -> ScriptReport:
    """Classify a document's script.

    ``hant-converted`` needs positive evidence of a converter: ``glue`` (the number of
    readings the glue repair removed from Traditional-only forms), OpenCC standard
    forms that neither Taiwan nor Hong Kong writes (``爲``, ``衆``), mainland vocabulary
    (``軟件``, ``視頻``), mainland quotes ``“”``. Without it, Traditional text is taken
    as native.

    >>> detect_script("这是简体中文。").input
    'hans'
    >>> detect_script("這是臺灣的新聞，「我們」都知道。").input
    'hant'
    >>> detect_script("企業認爲，網絡視頻的質量很重要。", glue=1).input
    'hant-converted'
    """
    return detect_in_code_points(text, code_points(text), glue)


def detect_in_code_points(text: str, codes: np.ndarray[Any, np.dtype[np.uint32]], glue: int = 0
                          ) -> ScriptReport:
    """:func:`detect_script`, given the text's code points already (the repair pipeline
    has them)."""
    if text.isascii():
        return ScriptReport("none")
    tables = _tables()
    counts = np.bincount(tables.classes[codes], minlength=4)
    forms = int(counts[_CONVERTER_FORM])
    traditional, simplified = int(counts[_TRADITIONAL]) + forms, int(counts[_SIMPLIFIED])
    if not traditional:
        return ScriptReport("hans" if _HAN.search(text) else "none")
    evidence = {"traditional": traditional, "simplified": simplified}
    if traditional <= 9 * simplified:
        share = traditional / (traditional + simplified)
        return ScriptReport("hans" if share < 0.1 else "mixed", evidence)
    mainland, taiwan = _vocabulary(text, tables)
    evidence.update(
        glue=glue,
        converter_forms=forms,
        mainland_words=mainland,
        taiwan_words=taiwan,
        mainland_quotes=text.count("“") + text.count("”"),
        corner_quotes=text.count("「") + text.count("」"),
    )
    converted = (
        3 * evidence["glue"]
        + evidence["converter_forms"]
        + evidence["mainland_words"]
        + evidence["mainland_quotes"] // 2
    )
    # Quotes count per pair: a Hong Kong page full of 「」 outweighs the mainland words
    # Hong Kong writing shares (網絡, 信息).
    native = evidence["taiwan_words"] + min(evidence["corner_quotes"] // 2, _QUOTE_PAIRS)
    # One mainland word or one OpenCC form proves little in a sentence of native text.
    is_converted = converted > native and converted >= 2
    return ScriptReport("hant-converted" if is_converted else "hant", evidence)


def to_simplified(text: str, taiwan_words: int | None = None) -> tuple[str, list[Change]]:
    """Restore Traditional text to Simplified; returns the text and its changes.

    First, on pages where a converter swapped words for Taiwan ones, the swaps are
    undone (step ``script_words``). Then each character takes its likeliest origin,
    except where phrases around it vote otherwise (顯著 → 显著, 乾坤, 甚麼 → 什么): the
    most frequent phrase covering a character decides (step ``script``).
    """
    tables = _tables()
    changes: list[Change] = []
    if taiwan_words is None:  # detect_script counted them already, when it ran on text
        _, taiwan_words = _vocabulary(text, tables)
    quotes = _quotes_were_converted(text, taiwan_words)  # judged before swaps are undone
    if taiwan_words >= SWAP_EVIDENCE:
        text, changes = _undo_swaps(text, tables)
    source = _restore_nested_quotes(text) if quotes and "『" in text else text
    before = code_points(text)
    codes = tables.t2s_lut[code_points(source)]
    if quotes:
        for corner, curly in _QUOTES.items():
            codes[before == ord(corner)] = ord(curly)
    _apply_votes(source, codes, tables)
    out = codes.tobytes().decode("utf-32-le", "surrogatepass")
    return out, changes + _diff_runs(text, out, before, codes)


def _apply_votes(source: str, codes: np.ndarray[Any, np.dtype[np.uint32]], tables: _Tables) -> None:
    """Let the phrases covering each character vote; the most frequent phrase wins."""
    found = tables.voters.find_matches_as_indexes(replace_surrogates(source), overlapping=True)
    if not found:
        return
    matches = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found))
    index, start = matches[0::3], matches[1::3]
    counts = tables.vote_count[index]
    row = np.repeat(np.arange(len(index)), counts)  # one entry per (match, spoken char)
    within = np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
    spoken = tables.vote_first[index][row] + within
    pos = start[row] + tables.vote_offset[spoken]
    order = np.lexsort((tables.vote_freq[index][row], pos))  # by position, then frequency
    pos, char = pos[order], tables.vote_char[spoken][order]
    winner = np.append(pos[1:] != pos[:-1], True)  # the most frequent vote per position
    codes[pos[winner]] = char[winner]


def _undo_swaps(text: str, tables: _Tables) -> tuple[str, list[Change]]:
    parts: list[str] = []
    changes: list[Change] = []
    pos = 0
    for index, start, end in tables.swaps.find_matches_as_indexes(replace_surrogates(text)):
        key, value = tables.swap_keys[index], tables.swap_values[index]
        parts += (text[pos:start], value)
        changes.append(Change(WORD_STEP, "t2s-word", start, end, key, value))
        pos = end
    parts.append(text[pos:])
    return "".join(parts), changes


def to_traditional(text: str) -> tuple[str, list[Change]]:
    """Convert Simplified text to Traditional, character by character.

    The mapping takes each Simplified character's most common Traditional form; it does
    not resolve one-to-many cases such as 发 → 發/髮 (use OpenCC for publishing-grade
    output). It exists for ``--script hant`` on corpora that must be uniform.
    """
    converted = text.translate(_tables().s2t)
    return converted, _diff_runs(text, converted, reason="s2t")


def repair_script(
    text: str, report: ScriptReport, target: Target = "auto"
) -> tuple[str, list[Change], ScriptName]:
    """Apply the script choice; returns the text, its changes and the output script.

    ``report`` is :func:`detect_script`'s for this same text (its counts are reused)."""
    source = report.input
    if target == "keep" or source == "none":
        return text, [], source
    if target == "auto":
        if source != "hant-converted":
            return text, [], source
        target = "hans"
    if target == "hans" and source != "hans":
        out, changes = to_simplified(text, report.evidence.get("taiwan_words"))
        return out, changes, "hans"
    if target == "hant" and source in ("hans", "mixed"):
        out, changes = to_traditional(text)
        return out, changes, "hant"
    return text, [], source


def _vocabulary(text: str, tables: _Tables) -> tuple[int, int]:
    """How many mainland words (軟件) and Taiwan words (軟體) the text holds."""
    found = [index for index, _, _ in
             tables.vocabulary.find_matches_as_indexes(replace_surrogates(text))]
    if not found:
        return 0, 0
    return int(tables.is_mainland[found].sum()), int(tables.is_taiwan[found].sum())


def _quotes_were_converted(text: str, taiwan_words: int) -> bool:
    """Whether a converter turned the text's “” into 「」.

    Converters that rewrite quotes (MediaWiki's tables, as in zhconv) also bring Taiwan
    vocabulary; OpenCC and hanziconv do neither. Without that trace, 「」 are taken as
    the author's (some mainland pages use them).
    """
    return "“" not in text and "「" in text and taiwan_words >= 1


def _restore_nested_quotes(text: str) -> str:
    """『』 inside 「」 were ‘’ (converters nest them so); elsewhere they are the author's."""
    out = list(text)
    depth = 0
    for match in re.finditer("[「」『』]", text):
        mark = match.group()
        if mark == "「":
            depth += 1
        elif mark == "」":
            depth = max(0, depth - 1)
        elif depth:
            out[match.start()] = _NESTED_QUOTES[mark]
    return "".join(out)


def _diff_runs(
    before: str,
    after: str,
    a: np.ndarray[Any, np.dtype[np.uint32]] | None = None,
    b: np.ndarray[Any, np.dtype[np.uint32]] | None = None,
    reason: str = "t2s",
    gap: int = 6,
) -> list[Change]:
    """Changes for the characters that differ between two equal-length texts.

    Runs closer than ``gap`` unchanged characters merge into one change, so a converted
    sentence explains itself in a few changes rather than one per character. ``a`` and
    ``b`` are the texts' code points when the caller has them already.
    """
    if before == after:
        return []
    a = code_points(before) if a is None else a
    b = code_points(after) if b is None else b
    changed = np.flatnonzero(a != b)
    breaks = np.flatnonzero(np.diff(changed) > gap)
    starts = np.concatenate(([changed[0]], changed[breaks + 1])).tolist()
    ends = (np.concatenate((changed[breaks], [changed[-1]])) + 1).tolist()
    return [
        Change(STEP, reason, s, e, before[s:e], after[s:e])
        for s, e in zip(starts, ends, strict=True)
    ]
