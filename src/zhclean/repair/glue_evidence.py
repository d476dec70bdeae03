"""Whether a page's reading annotations are a content farm's glue: the evidence of the
whole page, weighed by a small logistic model (``_data/glue_model.json``, trained by
``scripts/train_glue_model.py`` and cross-validated by site).

Farms gloss characters mechanically: many of them, densely, common ones (會, 的, 日),
often toneless or doubled (``會(hui)(hui)``), on converted Traditional or on Simplified
pages alike. People gloss for readers: few characters, rare or polyphonic ones (絛, 牘,
说), in notes and dictionary lines (``绦(tāo)：…``), or every character of a poem or a
primer in a row. No single one of these signs decides (the share of annotations on
characters that differ between the scripts, the rule this replaces, missed the farms
that gloss common characters); the model weighs them together.

>>> text = "企業(yè)新聞強(qiáng)調(diào)"
>>> from .pinyin_glue import reading_annotations
>>> glue_probability(text, reading_annotations(text)) > 0.5
True
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

from .._data import rows
from ._chars import code_points, han_table

__all__ = ["GLUE_FEATURES", "GlueModel", "glue_probability", "load_glue_model", "marks",
           "page_features"]

# Found annotations: (span, the character and its annotation), as pinyin_glue finds them.
Found = list[tuple[tuple[int, int], str]]

GLUE_FEATURES = (
    "log_count",  # how many annotations the page holds
    "log_density",  # annotations per hundred Han characters
    "variant",  # share on characters that differ between the scripts
    "toneless",  # share written without tone marks (zhong, hui)
    "repeated",  # share doubled: 會(hui)(hui)
    "common",  # mean commonness of the glossed characters (1 the commonest, 0 rare)
    "top_1000",  # share on the thousand commonest characters
    "polyphonic",  # share on characters with more than one reading
    "distinct",  # distinct glossed characters per annotation
    "log_distinct",  # how many characters are glossed: farms gloss dozens, notes one or two
    "in_a_row",  # share right after another glossed character (poems, primers; farms too)
    "gloss",  # share followed by a colon: a note's or a dictionary's headword
    "quoted",  # share inside quotes or corner brackets: a word under discussion
)
_RANKED = 10_000  # ranks past the table's end count as rare
_TONE_MARKS = re.compile("[\u0300-\u036f]")
_MARK_KIND = dict.fromkeys(":：", 0) | dict.fromkeys("「『“‘\"'《〈【", 1) | dict.fromkeys(
    "」』”’》〉】", 2)  # a straight quote opens and closes: counted as opening
_MARKS = re.compile(f"[{re.escape(''.join(_MARK_KIND))}]")


def page_features(text: str, found: Found, is_variant: Callable[[str], bool] | None = None
                  ) -> list[float]:
    """The page's evidence, one number per name of :data:`GLUE_FEATURES`. None of it
    depends on the page's script (a Traditional form counts as its Simplified one), so
    converting the page, as ``--script hant`` does, leaves the decision as it was."""
    n = len(found)
    if not n:
        return [0.0] * len(GLUE_FEATURES)
    # A farm glues the same few hundred pairs over and over: each distinct one is read once.
    counts = Counter(key for _, key in found)
    own = np.array(list(counts.values()), dtype=np.float64) @ np.array(
        [_own(key, is_variant) for key in counts])
    chars = {key[0] for key in counts}
    # Where annotations start and end, against where colons and quotes stand: set
    # intersections, not a loop over a farm page's thousands of annotations.
    start_of = {span[1]: span[0] for span, _ in found}  # each annotation by its end
    starts, ends = set(start_of.values()), set(start_of)
    in_a_row = len({s - 1 for s in starts} & ends)
    colons, openings, closings = marks(text)
    gloss = len(ends & colons)
    opened = {s + 2 for s in openings} & starts
    closed = {start_of[e] for e in ends & closings}
    quoted = len(opened | closed)
    variant, toneless, repeated, common, top_1000, polyphonic = own / n
    return [
        math.log1p(n),
        math.log1p(100 * n / max(1, _han_count(text))),
        variant, toneless, repeated, common, top_1000, polyphonic,
        len(chars) / n,
        math.log1p(len(chars)),
        in_a_row / n,
        gloss / n,
        quoted / n,
    ]


def _han_count(text: str) -> int:
    return int(np.count_nonzero(han_table()[code_points(text)]))


def marks(text: str) -> tuple[set[int], set[int], set[int]]:
    """Where the colons, the opening and the closing quotes and brackets stand, in one
    scan (for the evidence here and for the readers' notes of ``pinyin_glue``)."""
    found: tuple[set[int], set[int], set[int]] = (set(), set(), set())
    for match in _MARKS.finditer(text):
        found[_MARK_KIND[match.group()]].add(match.start())
    return found


def _own(key: str, is_variant: Callable[[str], bool] | None) -> tuple[float, ...]:
    """One annotation's own evidence (``key`` is the character and its annotation):
    variant, toneless, repeated, commonness, among the thousand commonest, polyphonic."""
    if is_variant is None and (known := _OWN_MEMO.get(key)) is not None:
        return known
    from .script import variant_chars

    char, annotation = key[0], key[1:]
    rank = _ranks().get(char, _RANKED)
    values = (
        float((is_variant or variant_chars().__contains__)(char)),
        float(not _TONE_MARKS.search(unicodedata.normalize("NFD", annotation))),
        float(annotation.count("(") + annotation.count("（") > 1),
        1.0 - math.log(rank) / math.log(_RANKED),
        float(rank <= 1000),
        float(_reading_counts().get(char, 1) > 1),
    )
    if is_variant is None:
        if len(_OWN_MEMO) > _MEMO_LIMIT:
            _OWN_MEMO.clear()
        _OWN_MEMO[key] = values
    return values


_OWN_MEMO: dict[str, tuple[float, ...]] = {}  # cleared past _MEMO_LIMIT: a long run stays flat
_MEMO_LIMIT = 200_000


@dataclass(frozen=True)
class GlueModel:
    """Logistic regression over standardised :data:`GLUE_FEATURES`."""

    features: tuple[str, ...]
    bias: float
    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def probability(self, features: list[float]) -> float:
        margin = self.bias + sum(w * (x - m) / s for x, w, m, s in zip(
            features, self.weights, self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, margin))))


def glue_probability(text: str, found: Found, is_variant: Callable[[str], bool] | None = None
                     ) -> float:
    """How likely the page's annotations are a farm's glue, by the shipped model."""
    return load_glue_model().probability(page_features(text, found, is_variant))


@cache
def load_glue_model() -> GlueModel:
    """The shipped weights; a model trained on other features is refused."""
    stored = json.loads(
        files("zhclean._data").joinpath("glue_model.json").read_text(encoding="utf-8"))
    model = GlueModel(tuple(stored["features"]), float(stored["bias"]),
                      tuple(stored["weights"]), tuple(stored["mean"]), tuple(stored["scale"]))
    if model.features != GLUE_FEATURES:
        raise RuntimeError("glue_model.json was trained on other features; retrain it"
                           " with scripts/train_glue_model.py")
    return model


@cache
def _ranks() -> dict[str, int]:
    return {char: int(rank) for char, rank in rows("char_ranks.tsv")}


@cache
def _reading_counts() -> dict[str, int]:
    """How many readings each character has, tones apart (好 hǎo and hào are two: a
    polyphonic character is one a reader may misread)."""
    return {char: len(set(readings.split(" "))) for char, readings in rows("readings.tsv")}
