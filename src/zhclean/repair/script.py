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
from typing import Literal

import ahocorasick_rs
import numpy as np

from .._data import rows
from ..changes import Change

__all__ = [
    "ScriptName",
    "ScriptReport",
    "Target",
    "detect_script",
    "repair_script",
    "to_simplified",
    "to_traditional",
    "traditional_only_chars",
    "variant_chars",
]

STEP = "script"
WORD_STEP = "script_words"
SWAP_EVIDENCE = 3  # Taiwan words it takes (mainland authors write a few, such as 飛彈)
ScriptName = Literal["hans", "hant", "hant-converted", "mixed", "none"]
Target = Literal["auto", "keep", "hans", "hant"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_QUOTES = {"「": "“", "」": "”"}
_NESTED_QUOTES = {"『": "‘", "』": "’"}
_TRADITIONAL, _SIMPLIFIED = 1, 2


@dataclass(frozen=True, slots=True)
class ScriptReport:
    """Which script a document is written in, and the evidence for it."""

    input: ScriptName
    evidence: dict[str, int] = field(default_factory=dict)


class _Tables:
    """The conversion tables, loaded once on first use."""

    def __init__(self) -> None:
        chars = {t: s for t, s in rows("t2s_chars.tsv")}
        self.t2s_keep_quotes = {ord(t): s for t, s in chars.items()}
        self.t2s = self.t2s_keep_quotes | {ord(q): s for q, s in _QUOTES.items()}
        phrases = rows("t2s_phrases.tsv")
        # Word swaps (智慧型手機 for 智能手机) apply first, longest-first, and only on pages
        # that show a vocabulary-swapping converter.
        swaps = {t: s for t, s, kind, _ in phrases if kind == "word"}
        self.swap_keys, self.swap_values = list(swaps), list(swaps.values())
        self.swaps = _matcher(self.swap_keys, overlapping=False)
        # Character phrases and guards vote on the characters they cover; each speaks
        # for the characters it changes (a guard: for all of its characters).
        self.votes: list[tuple[int, list[tuple[int, str]]]] = []
        for t, s, kind, freq in phrases:
            if kind == "word":
                continue
            default = t.translate(self.t2s_keep_quotes)
            spoken = [(i, b) for i, (a, b) in enumerate(zip(default, s, strict=True))
                      if a != b or kind == "guard"]
            self.votes.append((int(freq), spoken))
        self.voters = _matcher([t for t, _, kind, _ in phrases if kind != "word"],
                               overlapping=True)
        simplified_only = {s for (s,) in rows("simplified_only.tsv")}
        traditional_only = set(chars) - set(chars.values())
        self.variants = frozenset(traditional_only | simplified_only)
        self.traditional_only = frozenset(traditional_only)
        # One byte per code point: which script a character belongs to, for counting
        # a whole document in one vectorised pass.
        classes = np.zeros(0x110000, dtype=np.uint8)
        classes[[ord(c) for c in traditional_only]] = _TRADITIONAL
        classes[[ord(c) for c in simplified_only]] = _SIMPLIFIED
        self.classes = classes
        self.converter_forms = frozenset(c for (c,) in rows("converter_forms.tsv"))
        mainland = rows("mainland_words.tsv")
        self.mainland_words = _matcher([cn for cn, _ in mainland])
        self.taiwan_words = _matcher([tw for _, tw in mainland])
        s2t: dict[int, str] = {}
        for t, s in chars.items():
            s2t.setdefault(ord(s), t)
        self.s2t = s2t


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
    if text.isascii():
        return ScriptReport("none")
    tables = _tables()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = np.bincount(tables.classes[codes], minlength=3)
    traditional, simplified = int(counts[_TRADITIONAL]), int(counts[_SIMPLIFIED])
    if not traditional:
        return ScriptReport("hans" if _HAN.search(text) else "none")
    evidence = {"traditional": traditional, "simplified": simplified}
    if traditional <= 9 * simplified:
        share = traditional / (traditional + simplified)
        return ScriptReport("hans" if share < 0.1 else "mixed", evidence)
    evidence.update(
        glue=glue,
        converter_forms=sum(text.count(c) for c in tables.converter_forms),
        mainland_words=len(tables.mainland_words.find_matches_as_indexes(text)),
        taiwan_words=len(tables.taiwan_words.find_matches_as_indexes(text)),
        mainland_quotes=text.count("“") + text.count("”"),
        corner_quotes=text.count("「") + text.count("」"),
    )
    converted = (
        3 * evidence["glue"]
        + evidence["converter_forms"]
        + evidence["mainland_words"]
        + (evidence["mainland_quotes"] > 0) * 2
    )
    native = evidence["taiwan_words"] + (evidence["corner_quotes"] > 0) * 2
    # One mainland word or one OpenCC form proves little in a sentence of native text.
    is_converted = converted > native and converted >= 2
    return ScriptReport("hant-converted" if is_converted else "hant", evidence)


def to_simplified(text: str) -> tuple[str, list[Change]]:
    """Restore Traditional text to Simplified; returns the text and its changes.

    First, on pages where a converter swapped words for Taiwan ones, the swaps are
    undone (step ``script_words``). Then each character takes its likeliest origin,
    except where phrases around it vote otherwise (顯著 → 显著, 乾坤, 甚麼 → 什么): the
    most frequent phrase covering a character decides (step ``script``).
    """
    tables = _tables()
    changes: list[Change] = []
    quotes = _quotes_were_converted(text, tables)  # judged before the evidence is undone
    if _words_were_swapped(text, tables):
        text, changes = _undo_swaps(text, tables)
    source = _restore_nested_quotes(text) if quotes and "『" in text else text
    converted = list(source.translate(tables.t2s if quotes else tables.t2s_keep_quotes))
    best: dict[int, tuple[int, str]] = {}
    for index, start, _ in tables.voters.find_matches_as_indexes(source, overlapping=True):
        freq, spoken = tables.votes[index]
        for offset, char in spoken:
            pos = start + offset
            if pos not in best or best[pos][0] < freq:
                best[pos] = (freq, char)
    for pos, (_, char) in best.items():
        converted[pos] = char
    out = "".join(converted)
    return out, changes + _diff_runs(text, out)


def _undo_swaps(text: str, tables: _Tables) -> tuple[str, list[Change]]:
    parts: list[str] = []
    changes: list[Change] = []
    pos = 0
    for index, start, end in tables.swaps.find_matches_as_indexes(text):
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
    """Apply the script choice; returns the text, its changes and the output script."""
    source = report.input
    if target == "keep" or source == "none":
        return text, [], source
    if target == "auto":
        if source != "hant-converted":
            return text, [], source
        target = "hans"
    if target == "hans" and source != "hans":
        out, changes = to_simplified(text)
        return out, changes, "hans"
    if target == "hant" and source in ("hans", "mixed"):
        out, changes = to_traditional(text)
        return out, changes, "hant"
    return text, [], source


def _taiwan_words(text: str, tables: _Tables) -> int:
    return len(tables.taiwan_words.find_matches_as_indexes(text))


def _words_were_swapped(text: str, tables: _Tables) -> bool:
    """Whether a converter replaced mainland words with Taiwan ones (zhconv zh-tw)."""
    return _taiwan_words(text, tables) >= SWAP_EVIDENCE


def _quotes_were_converted(text: str, tables: _Tables) -> bool:
    """Whether a converter turned the text's “” into 「」.

    Converters that rewrite quotes (MediaWiki's tables, as in zhconv) also bring Taiwan
    vocabulary; OpenCC and hanziconv do neither. Without that trace, 「」 are taken as
    the author's (some mainland pages use them).
    """
    if "“" in text or "「" not in text:
        return False
    return _taiwan_words(text, tables) >= 1


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
    before: str, after: str, offset: int = 0, reason: str = "t2s", gap: int = 3
) -> list[Change]:
    """Changes for the characters that differ between two equal-length texts.

    Runs closer than ``gap`` unchanged characters merge into one change, so a converted
    sentence explains itself in a few changes rather than one per character.
    """
    if before == after:
        return []
    a = np.frombuffer(before.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    b = np.frombuffer(after.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    changed = np.flatnonzero(a != b)
    breaks = np.flatnonzero(np.diff(changed) > gap)
    starts = np.concatenate(([changed[0]], changed[breaks + 1])).tolist()
    ends = (np.concatenate((changed[breaks], [changed[-1]])) + 1).tolist()
    return [
        Change(STEP, reason, offset + s, offset + e, before[s:e], after[s:e])
        for s, e in zip(starts, ends, strict=True)
    ]
