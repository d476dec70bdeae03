"""Print what ``make demo`` did, for someone seeing the project for the first time.

The Makefile runs the commands (``zhclean repair``, ``repair --explain``, ``page`` on
each page of ``examples/``, then ``zhclean run`` over the folder); this script only
reads their output files and prints one line per page, then the corpus run's outcome
with every rejected and failed record and its reason. It reads the documented output
(the article JSON, ``manifest.json``) and the record files under ``kept/``,
``rejected/`` and ``failed/``.

    python scripts/demo_summary.py examples out/demo
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

Record = dict[str, Any]


def title_words(article: Record, repaired: str) -> str:
    """The title, or why there is none, in words.

    A page whose first line is already its first paragraph has no headline to find;
    otherwise the labeller missed one, and ``--explain`` shows why.

    >>> title_words({"title": "静夜思", "paragraphs": ["床前明月光。"]}, "静夜思\\n床前明月光。")
    '静夜思'
    >>> title_words({"title": None, "paragraphs": ["正文。"]}, "\\n正文。")
    'none (no headline: the page opens with its first paragraph)'
    """
    if article["title"]:
        return str(article["title"])
    first_line = next((line.strip() for line in repaired.splitlines() if line.strip()), "")
    if article["paragraphs"] and first_line == article["paragraphs"][0]:
        return "none (no headline: the page opens with its first paragraph)"
    return "none found (zhclean page --explain shows how each line was labelled)"


def page_line(name: str, out: Path, fates: dict[str, str]) -> str:
    """One example page: repairs, title, paragraphs, tags, its fate in the corpus run."""
    article = json.loads((out / f"{name}.article.json").read_text(encoding="utf-8"))
    repaired = (out / f"{name}.repaired.txt").read_text(encoding="utf-8")
    with (out / f"{name}.changes.jsonl").open(encoding="utf-8") as lines:
        changes = sum(1 for line in lines if line.strip())
    tags = ", ".join(article["tags"]) if article["tags"] else "none"
    fate = fates.get(f"{name}.txt", "not in the run")
    return (f"  {name + '.txt':<26} {changes:>3} changes {len(article['paragraphs']):>3} paragraphs"
            f"  run: {fate:<27}  title: {title_words(article, repaired)}  tags: {tags}")


def read_records(folder: Path) -> list[Record]:
    """Every JSON line of the record files in one output folder (none when it is absent)."""
    return [json.loads(line) for path in sorted(folder.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def file_fates(kept: list[Record], rejected: list[Record], failed: list[Record]) -> dict[str, str]:
    """What became of each one-record input (a page file), by file name: kept, a reprint,
    or the reason.

    >>> kept = [{"input": "/x/d.jsonl", "id": "d-1"}, {"input": "/x/p.txt", "duplicate_of": "d-1"}]
    >>> file_fates(kept, [{"input": "/x/q.txt", "reason": "low_cjk"}], [])
    {'d.jsonl': 'kept', 'p.txt': 'kept, repeats d.jsonl', 'q.txt': 'low_cjk'}
    """
    # duplicate_of names the cluster's canonical record by its id
    canonical = {str(r.get("id")): Path(r["input"]).name for r in kept
                 if not r.get("duplicate_of")}
    fates: dict[str, str] = {}
    for record in kept:
        original = record.get("duplicate_of")
        fates[Path(record["input"]).name] = (
            "kept" if not original else
            f"kept, repeats {canonical.get(str(original), 'another record')}")
    for record in rejected:
        fates[Path(record["input"]).name] = str(record["reason"])
    for record in failed:
        fates[Path(record["input"]).name] = "failed"
    return fates


def describe_inputs(inputs: list[str]) -> str:
    """``4 pages, a WARC crawl, a JSONL dump`` from the run's input files."""
    kinds = Counter("WARC crawl" if name.endswith((".warc", ".warc.gz")) else
                    "JSONL dump" if name.endswith(".jsonl") else "page" for name in inputs)
    parts = [f"{n} {kind}s" if n > 1 else f"a {kind}" for kind, n in kinds.most_common()]
    return ", ".join(parts)


def where(record: Record) -> str:
    """The input file, and the record's url or id inside it when there is one.

    >>> where({"input": "a.jsonl", "id": "a.jsonl:5"}), where({"input": "b.txt", "id": "b.txt"})
    ('a.jsonl:5', 'b.txt')
    """
    inside = str(record.get("url") or record.get("id") or "")
    if inside.startswith(record["input"]):  # an id made of the path: say it once
        return os.path.relpath(record["input"]) + inside[len(record["input"]):]
    return f"{os.path.relpath(record['input'])} {inside}"


def run_lines(run: Path) -> list[str]:
    """The corpus run: counts by outcome, then each rejected and failed record."""
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    kept, rejected, failed = (read_records(run / kind) for kind in ("kept", "rejected", "failed"))
    reasons = ", ".join(f"{r} {n}" for r, n in sorted(manifest.get("reasons", {}).items()))
    duplicates = sum(1 for r in kept if r.get("duplicate_of"))
    lines = [f"Corpus run over examples/ ({describe_inputs(manifest['inputs'])}) -> {run}/",
             f"  read {manifest['read']}: kept {manifest['kept']}"
             f" ({duplicates} of them reprints of another record, marked duplicate_of),"
             f" rejected {manifest['rejected']}" + (f" ({reasons})" if reasons else "") +
             f", failed {manifest['failed']}"]
    lines += [f"  rejected {r['reason']:<10} {where(r)}: {r.get('detail', '')}" for r in rejected]
    lines += [f"  failed              {where(r)}: {r.get('error', '')}" for r in failed]
    lines.append(f"  records: {run}/kept, rejected, failed (JSONL); counts: {run}/manifest.json")
    if (log := run.parent / "run.log").exists():  # where the Makefile puts the run's stderr
        lines.append(f"  the run's own summary: {log}")
    if (report := run.parent / "report.html").exists():
        lines.append(f"  overview with charts: {report} (one file, opens in any browser)")
    lines.append(f"  browse every record, its repairs and dropped blocks: .venv/bin/zhclean"
                 f" inspect {run}  (then open http://127.0.0.1:8765/)")
    return lines


def main(examples: Path, out: Path) -> int:
    run = out / "run"
    fates = file_fates(*(read_records(run / kind) for kind in ("kept", "rejected", "failed")))
    names = sorted(path.stem for path in examples.glob("*.txt"))
    print(f"Pages in {examples}/ (repaired, changes explained, structured as an article):")
    for name in names:
        print(page_line(name, out, fates))
    print(f"  output per page: {out}/NAME.repaired.txt, NAME.changes.jsonl, NAME.article.json")
    print()
    print("\n".join(run_lines(run)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python scripts/demo_summary.py EXAMPLES_DIR OUT_DIR")
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
