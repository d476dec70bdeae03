"""Pinyin glue: a character's own reading pasted after it by a content farm.

Damage: ``企業(yè)新聞`` for ``企業新聞``; also toneless ``中(zhong)``, capitalised
``(Yè)``, with inner spaces ``院(yuàn )``, full-width ``（yè）`` and repeated
``國(guo)(guo)``. An annotation is removed only when the syllable is a valid reading of
the character before it, and only when the page's own evidence says the annotations
are damage: the glue model (``glue_evidence.py``) weighs how many there are, how dense,
on how common and how polyphonic characters, doubled or toneless, in a row, quoted or
glossed. Farms gloss common characters mechanically, on Simplified and Traditional
pages alike; teaching pages, poems annotated character by character and place-name
guides (``亳(bó)州``) gloss for readers. A headword glossed inside brackets
(「應(yìng)」) keeps its reading even on a glued page.

>>> remove_pinyin_glue("企業(yè)新聞強(qiáng)調(diào)")[0]
'企業新聞強調'
>>> remove_pinyin_glue("亳(bó)州在安徽")[0]
'亳(bó)州在安徽'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from itertools import accumulate

from .._data import rows
from ..changes import Change
from ._chars import HAN
from .glue_evidence import Found, glue_probability, marks

__all__ = ["TRIGGERS", "glue_changes", "is_valid_reading", "reader_notes",
           "reading_annotations", "remove_pinyin_glue", "strip_glue"]

STEP = "pinyin_glue"
REASON = "reading-glued-to-character"
TRIGGERS = "(（"  # without one of these, the step has nothing to do
# Starting with the parenthesis keeps the scan fast on clean text (the regex engine
# looks for a literal first character); the character before is checked afterwards.
_SPACE = r"[^\S\n]*"  # spaces inside the parentheses, as in 院(yuàn ); never a line break
_SYLLABLE = r"[A-Za-z\u00c0-\u01dc\u0300-\u036f:]{1,7}"
_ONE_RAW = rf"[(（]{_SPACE}{_SYLLABLE}{_SPACE}[)）]"
_ANNOTATION = re.compile(rf"{_ONE_RAW}(?:{_SPACE}{_ONE_RAW})*")  # starts with a class: fast
_SPLIT = re.compile(f"({_ANNOTATION.pattern})")
# Spaces before the parenthesis belong to the damage: the whitespace repair would remove
# them (a space before （ in prose) and reveal the glue on a second run.
_LEADING = " \t\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_ONE = re.compile(rf"[(（]{_SPACE}({_SYLLABLE}){_SPACE}[)）]")
_HAN_CHAR = re.compile(f"[{HAN}]")
# A page's annotations are glue when the glue model (glue_evidence.py) says so more
# likely than not; the threshold is the model's, not tuned.
GLUE_ABOVE = 0.5
_MEMO_LIMIT = 200_000


@cache
def _readings() -> frozenset[str]:
    """``字yè`` and ``字ye`` for every reading of every character."""
    found: set[str] = set()
    for char, readings in rows("readings.tsv"):
        for reading in readings.split(" "):
            found.add(char + reading)
            found.add(char + _toneless(reading))
    return frozenset(found)


def _toneless(reading: str) -> str:
    # ü decomposes into u + diaeresis (+ tone); toneless pinyin writes it v (or u:)
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("u:", "v")


def is_valid_reading(char: str, syllable: str) -> bool:
    """Whether ``syllable`` (toned or toneless, any case) is a reading of ``char``.

    >>> is_valid_reading("業", "yè"), is_valid_reading("業", "YE"), is_valid_reading("接", "URL")
    (True, True, False)
    """
    readings = _readings()
    syllable = unicodedata.normalize("NFC", syllable.strip().lower())
    return char + syllable in readings or char + _toneless(syllable) in readings


def remove_pinyin_glue(
    text: str, is_variant: Callable[[str], bool] | None = None
) -> tuple[str, list[Change]]:
    """Remove glued readings when the page's evidence says they are damage.

    ``is_variant`` tells whether a character differs between Simplified and
    Traditional; by default the shipped conversion tables decide.
    """
    out, removed = strip_glue(text, is_variant)
    return out, glue_changes(removed)


def strip_glue(text: str, is_variant: Callable[[str], bool] | None = None
               ) -> tuple[str, Found]:
    """:func:`remove_pinyin_glue` without making its changes: the text, and the
    annotations removed (each span with its character and annotation), from which
    :func:`glue_changes` makes the changes when someone reads them. A farm page holds
    thousands, and a run that keeps no changes never needs them."""
    found = reading_annotations(text)
    if not found:
        return text, []
    if glue_probability(text, found, is_variant) < GLUE_ABOVE:
        return text, []
    # A reader's note inside a glued page keeps its reading: each is judged by its own
    # context alone, so a second run, which sees only the notes, keeps them too.
    notes = reader_notes(text, found)
    if notes:
        found = [(span, key) for span, key in found if span not in notes]
        if not found:
            return text, []
    ends = [0] + [e for (_, e), _ in found]
    starts = [s for (s, _), _ in found] + [len(text)]
    return "".join([text[e:s] for e, s in zip(ends, starts, strict=True)]), found


def glue_changes(removed: Found) -> list[Change]:
    """The changes of the annotations :func:`strip_glue` removed."""
    return [Change(STEP, REASON, s, e, key[1:], "") for (s, e), key in removed]


def reading_annotations(text: str) -> Found:
    """Every annotation whose syllables are readings of the character before it.

    Each comes as its span (with the spaces before it; the character is not in it) and
    the character with its annotation. Damage or not is for the caller to judge.

    >>> reading_annotations("亳(bó)州 接(URL)")
    [((1, 5), '亳(bó)')]
    """
    if not any(mark in text for mark in TRIGGERS):
        return []
    # Per-match work is kept to comprehensions: a farm page holds one glue in every
    # dozen characters, and the same few hundred pairs repeat.
    # One split gives every annotation and the text before it as strings; their lengths,
    # summed, give the spans (a match object per annotation costs more than the rest).
    pieces = _SPLIT.split(text)
    ends = list(accumulate(map(len, pieces)))
    spans = [(start - len(before) + len(before.rstrip(_LEADING)), end)
             for before, start, end in zip(pieces[0:-1:2], ends[0:-1:2], ends[1::2],
                                           strict=True)]
    spans = [(s, e) for s, e in spans if s]
    if len(valid := _valid_annotations()) > _MEMO_LIMIT:
        valid.clear()
    keys = [text[s - 1:e] for s, e in spans]  # the character and its annotation
    for key in set(keys).difference(valid):
        char = key[0]
        valid[key] = bool(_HAN_CHAR.match(char)) and all(
            is_valid_reading(char, s) for s in _ONE.findall(key, 1))
    return [(span, key) for span, key in zip(spans, keys, strict=True) if valid[key]]


def reader_notes(text: str, found: Found) -> set[tuple[int, int]]:
    """The spans of the annotations a reader's note makes and farms do not: a headword
    in brackets or quotes, glossed inside them (「應(yìng)」, “说(shuō)”). They are found by
    where the brackets stand, not by asking of each annotation (a farm page holds
    thousands). (A headword glossed after a colon, ``绦(tāo)：``, looks the same as a
    farm's glued field label, ``時(shí)間:``, and is left to the glue model.)"""
    _, openings, closings = marks(text)
    if not openings:
        return set()
    opened = {position + 2 for position in openings}
    return {span for span, _ in found if span[0] in opened and span[1] in closings}


@cache
def _valid_annotations() -> dict[str, bool]:
    """Memo of ``char + annotation`` → valid: farms glue the same few thousand pairs.
    Cleared when it passes ``_MEMO_LIMIT`` entries, so a long run's memory stays flat."""
    return {}
