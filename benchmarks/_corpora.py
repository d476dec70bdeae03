"""The two corpora of ``bench_run.py``, built in memory from ``../shared`` (read in
place, never copied into the repository) and written as JSONL into a temporary folder.

* html: the real pages of ``bench/html-zh``, ``bench/news-zh-2`` and ``bench/forum-zh``,
  decoded as their declared charset (news-zh-2 is partly GB2312) with bad bytes replaced;
* text: the dev set's damaged texts as they are and its clean Simplified texts, plus
  ``bench_repair``'s clean documents and their damaged twins.

Each corpus cycles through its documents, in order, until it holds the size asked for.
Sizes are UTF-8 bytes of the documents (the JSONL files are larger by JSON escaping).
"""

from __future__ import annotations

import codecs
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_repair import clean_documents, damage  # noqa: E402
from conftest import shared_dir  # noqa: E402

from zhclean.io.encoding import declared_charset  # noqa: E402

__all__ = ["Corpus", "decode_page", "html_sources", "text_sources", "write_corpus"]

HTML_SETS = ("html-zh", "news-zh-2", "forum-zh")
RECORDS_PER_FILE = 2000  # several input files, so that workers share the job
# Browsers read these declarations as their superset; so do we.
WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}


@dataclass(frozen=True, slots=True)
class Corpus:
    """One corpus as written: its folder, its documents in order (repeats included, for
    the in-process peers), the UTF-8 bytes of those documents and of the files."""

    name: str
    folder: Path
    docs: list[str]
    text_bytes: int
    file_bytes: int


def decode_page(data: bytes) -> str:
    """A page's bytes as text: UTF-8, else its declared charset (else GB18030), with
    undecodable bytes replaced, so that a JSONL record can carry every page.

    >>> decode_page('<meta charset="gb2312">中文'.encode("gbk"))
    '<meta charset="gb2312">中文'
    >>> decode_page("无声明".encode("gbk") + b"\\xff")
    '无声明\\ufffd'
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        codec = codecs.lookup(declared_charset(data) or "gb18030").name
    except LookupError:  # an unknown name: a misdeclared Chinese page is most often GB
        codec = "gb18030"
    return data.decode(WIDER.get(codec, codec), "replace")


def html_sources() -> dict[str, list[str]]:
    """The real HTML pages, per benchmark set, in a stable order."""
    bench = shared_dir() / "bench"
    return {name: [decode_page(path.read_bytes())
                   for path in sorted((bench / name / "pages").glob("*.html"))]
            for name in HTML_SETS}


def _dev_texts(name: str) -> list[str]:
    path = shared_dir() / "dev" / f"{name}.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def text_sources() -> dict[str, list[str]]:
    """Text pages: real damaged and clean ones (dev set), and the benchmark's own."""
    clean = clean_documents()
    return {"dev damaged": _dev_texts("damaged"), "dev clean": _dev_texts("clean"),
            "bench damaged": [damage(d) for d in clean], "bench clean": clean}


def write_corpus(name: str, sources: dict[str, list[str]], folder: Path,
                 mb: float) -> Corpus:
    """JSONL files in ``folder`` cycling through the sources' documents until they hold
    ``mb`` MB of text (at least one record)."""
    folder.mkdir(parents=True)
    pool = [doc for docs in sources.values() for doc in docs]
    docs: list[str] = []
    text_bytes = file_bytes = 0
    while not docs or text_bytes < mb * 1e6:
        docs.append(pool[len(docs) % len(pool)])
        text_bytes += len(docs[-1].encode())
    for start in range(0, len(docs), RECORDS_PER_FILE):
        lines = [json.dumps({"id": f"{name}-{start + k}", "text": doc}, ensure_ascii=False)
                 for k, doc in enumerate(docs[start:start + RECORDS_PER_FILE])]
        data = "".join(line + "\n" for line in lines).encode()
        (folder / f"part-{start // RECORDS_PER_FILE:05d}.jsonl").write_bytes(data)
        file_bytes += len(data)
    return Corpus(name, folder, docs, text_bytes, file_bytes)
