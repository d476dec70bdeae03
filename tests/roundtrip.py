"""Round-trip restoration: Simplified text → a converter → a restorer → compare.

Shared by the evaluation gate (``test_restoration.py``) and the benchmark script.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable
from functools import cache

from conftest import gold_pages, paragraphs, shared_dir

from zhclean import detect_script, repair

Convert = Callable[[str], str]


@cache
def simplified_documents() -> tuple[str, ...]:
    """The Simplified gold texts of ``bench/html-zh`` and the project's own prose."""
    pages = [p["content"] for p in gold_pages() if detect_script(p["content"]).input == "hans"]
    return (*pages, "\n".join(paragraphs("simplified.txt")))


def converters() -> dict[str, Convert]:
    """The Simplified → Traditional converters seen on content farms."""
    import hanziconv
    import opencc
    import opencc_pyo3
    import zhconv

    found: dict[str, Convert] = {}
    for config in ("s2t", "s2tw", "s2hk"):
        found[f"opencc-{config}"] = opencc.OpenCC(config).convert
        found[f"opencc-pyo3-{config}"] = opencc_pyo3.OpenCC(config).convert
    found["zhconv-zh-tw"] = lambda text: zhconv.convert(text, "zh-tw")
    found["zhconv-zh-hant"] = lambda text: zhconv.convert(text, "zh-hant")
    found["hanziconv"] = hanziconv.HanziConv.toTraditional
    return found


def restorers() -> dict[str, Convert]:
    """zhclean (forced to Simplified) and the peers it must beat."""
    import opencc
    import opencc_pyo3
    import zhconv

    return {
        "zhclean": lambda text: repair(text, script="hans").text,
        "opencc-t2s": opencc.OpenCC("t2s").convert,
        "opencc-pyo3-t2s": opencc_pyo3.OpenCC("t2s").convert,
        "zhconv-zh-cn": lambda text: zhconv.convert(text, "zh-cn"),
    }


def char_errors(original: str, restored: str) -> int:
    """Characters that differ after alignment (a replaced word counts its longer side)."""
    matcher = difflib.SequenceMatcher(None, original, restored, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1)
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    )


def normalised(text: str) -> str:
    """What repair does besides the script, so only script errors are counted."""
    return repair(text, script="keep").text


def error_table() -> dict[str, dict[str, int]]:
    """errors[restorer][converter] over all documents."""
    docs = [normalised(d) for d in simplified_documents()]
    table: dict[str, dict[str, int]] = {}
    convs = converters()
    converted = {name: [convert(d) for d in docs] for name, convert in convs.items()}
    for rname, restore in restorers().items():
        table[rname] = {
            cname: sum(char_errors(d, restore(t)) for d, t in zip(docs, texts, strict=True))
            for cname, texts in converted.items()
        }
    return table


def detection_table() -> dict[str, float]:
    """Share of each converter's outputs that ``auto`` detects as converted."""
    docs = simplified_documents()
    return {
        name: sum(detect_script(convert(d)).input == "hant-converted" for d in docs) / len(docs)
        for name, convert in converters().items()
    }


LENGTHS = (300, 1000, 3000)  # characters, as the issue measures detection


def _dev(name: str) -> list[dict[str, object]]:
    path = shared_dir() / "dev" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@cache
def long_simplified_documents() -> tuple[str, ...]:
    """Simplified text to cut to each of :data:`LENGTHS`: the documents above and the
    clean articles of ``dev/clean.jsonl``."""
    clean = [str(row["text"]) for row in _dev("clean.jsonl")]
    return (*simplified_documents(), *clean)


def detection_by_length() -> dict[str, dict[int, tuple[int, int]]]:
    """(detected, documents) for each converter and each length: the beginning of every
    document at least that long, converted, judged by ``--script auto``."""
    docs = long_simplified_documents()
    table: dict[str, dict[int, tuple[int, int]]] = {}
    for name, convert in converters().items():
        table[name] = {}
        for length in LENGTHS:
            cut = [convert(d[:length]) for d in docs if len(d) >= length]
            found = sum(detect_script(t).input == "hant-converted" for t in cut)
            table[name][length] = (found, len(cut))
    return table


def dev_natives_converted() -> list[str]:
    """The native Traditional pages of ``dev/`` that ``--script auto`` would convert."""
    return [str(row["id"]) for row in _dev("native_traditional.jsonl")
            if detect_script(str(row["text"])).input == "hant-converted"]


def dev_farms_detected() -> tuple[int, int]:
    """(detected, pages): content-farm pages of ``dev/damaged.jsonl`` labelled converted
    (by converters in the wild, glue and all), judged as ``repair`` judges them."""
    rows = [row for row in _dev("damaged.jsonl") if "converted_traditional" in row["labels"]]  # type: ignore[operator]
    found = sum(repair(str(row["text"])).script.input == "hant-converted" for row in rows)
    return found, len(rows)


def dev_digest() -> str:
    """A digest of the dev files the detection figures are measured on."""
    sha = hashlib.sha256()
    for name in ("clean.jsonl", "native_traditional.jsonl", "damaged.jsonl"):
        sha.update((shared_dir() / "dev" / name).read_bytes())
    for page in simplified_documents():
        sha.update(page.encode("utf-8"))
    return sha.hexdigest()[:16]
