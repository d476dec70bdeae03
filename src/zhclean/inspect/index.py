"""The inspector's index of a run's output: one SQLite file beside it
(``OUT/inspect/index.sqlite``), built in one pass over the kept, rejected and failed
records and reused while the output is unchanged.

Every record is a row of ``records`` (what the list shows and filters on). The kept
records' titles and texts are in an FTS5 table with the trigram tokenizer: Chinese is
searched by substring, with no word segmentation. The table is contentless (the texts
stay in the kept shards, read back for the record shown), so the index holds the
trigram postings and not a second copy of the corpus. A word of two characters (most
Chinese words) is below one trigram: it is searched as any of the trigrams it begins,
found in the index's own term list (every title and text ends with a line break, so its
last two characters begin one too). A single character, or a word so common that
hundreds of trigrams begin with it, is matched against titles and first lines instead.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DAMAGE",
    "PER_PAGE",
    "Query",
    "Results",
    "connect",
    "ensure_index",
    "kept_row",
    "record",
    "rows",
    "search",
    "values_of",
]

FORMAT = 3  # raised whenever the tables below change
PER_PAGE = 50
PREVIEW = 160  # characters of a kept record's text shown in the list
# A damage filter's name, and the condition on a record's row that selects it.
DAMAGE = {"glue": "glue > 0", "symbols": "symbols > 0", "invisible": "invisible > 0",
          "script": "script_changes > 0", "decode": "decode_errors > 0"}
_BATCH = 2048  # kept rows read at a time from a Parquet shard
_MOST_TERMS = 400  # trigrams a two-character search may ask for (a common word has 100)
_POSTINGS = 64 << 20  # bytes of postings the index build holds before writing them
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE records (
    rowid INTEGER PRIMARY KEY, key TEXT UNIQUE, status TEXT, id TEXT, url TEXT,
    title TEXT, site TEXT, category TEXT, tags TEXT, reason TEXT, detail TEXT,
    script_in TEXT, script_out TEXT, glue INT, symbols INT, invisible INT,
    script_changes INT, decode_errors INT, dropped TEXT, cluster_id TEXT,
    is_canonical INT, joined TEXT, join_score REAL, duplicate_of TEXT, input TEXT,
    preview TEXT, length INT);
CREATE TABLE tags (rowid INTEGER, tag TEXT);
CREATE VIRTUAL TABLE texts USING fts5(title, text, content='', tokenize='trigram');
"""
_INDEXES = """
CREATE INDEX by_site ON records (site);
CREATE INDEX by_status ON records (status, reason);
CREATE INDEX by_cluster ON records (cluster_id);
CREATE INDEX by_id ON records (id);
CREATE INDEX by_tag ON tags (tag);
"""
_COLUMNS = ("key", "status", "id", "url", "title", "site", "category", "tags", "reason",
            "detail", "script_in", "script_out", "glue", "symbols", "invisible",
            "script_changes", "decode_errors", "dropped", "cluster_id", "is_canonical",
            "joined", "join_score", "duplicate_of", "input", "preview", "length")
_KEPT_COLUMNS = ["id", "url", "title", "site", "category", "tags", "text", "script",
                 "decode_errors", "repairs", "dropped", "input", "cluster_id",
                 "is_canonical", "joined", "join_score", "duplicate_of"]


def index_path(out: Path) -> Path:
    return out / "inspect" / "index.sqlite"


def ensure_index(out: Path) -> Path:
    """The index of ``out``, built unless one of the output as it is now exists."""
    path = index_path(out)
    stamp = _stamp(out)
    if path.exists():
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                found = db.execute("SELECT value FROM meta WHERE name = 'stamp'").fetchone()
            if found and found[0] == stamp:
                return path
        except sqlite3.DatabaseError:
            pass  # a file cut short by a kill: built again
    build_index(out, path, stamp)
    return path


def build_index(out: Path, path: Path, stamp: str) -> None:
    """Build the index in one pass, under a temporary name renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        # FTS5 writes its postings out whenever they pass ``hashsize`` (1 MB by default)
        # and merges what it wrote: a larger buffer builds the index three times faster
        db.execute("INSERT INTO texts (texts, rank) VALUES ('hashsize', ?)", (_POSTINGS,))
        insert = (f"INSERT INTO records ({', '.join(_COLUMNS)}) VALUES"
                  f" ({', '.join('?' * len(_COLUMNS))})")
        for row, text in rows(out):
            rowid = db.execute(insert, [row.get(c) for c in _COLUMNS]).lastrowid
            db.executemany("INSERT INTO tags VALUES (?, ?)",
                           [(rowid, tag) for tag in dict.fromkeys(json.loads(row["tags"]))])
            if text is not None or row.get("title"):
                # each ends with a line break, so that its last two characters begin
                # a trigram too, and a two-character search finds them
                db.execute("INSERT INTO texts (rowid, title, text) VALUES (?, ?, ?)",
                           (rowid, (row.get("title") or "") + "\n", (text or "") + "\n"))
        db.executescript(_INDEXES)
        db.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
        db.commit()
    finally:
        db.close()
    os.replace(partial, path)


def _stamp(out: Path) -> str:
    """What the index was built from: its format and every record file's name, size
    and time (an index of an older format is built again)."""
    files: list[Any] = [FORMAT]
    for kind in ("kept", "rejected", "failed"):
        folder = out / kind
        for file in sorted(folder.iterdir()) if folder.is_dir() else []:
            status = file.stat()
            files.append([f"{kind}/{file.name}", status.st_size, status.st_mtime_ns])
    return json.dumps(files)


def rows(out: Path) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Every record's row of ``records``, with a kept record's text."""
    folder = out / "kept"
    for shard in sorted(folder.iterdir()) if folder.is_dir() else []:
        if shard.suffix in (".parquet", ".jsonl"):
            for number, kept in enumerate(_kept_rows(shard)):
                yield _kept(f"kept/{shard.stem}:{number}", kept), kept.get("text") or ""
    for status in ("rejected", "failed"):
        folder = out / status
        for file in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
            with file.open("rb") as lines:
                for number, line in enumerate(lines):
                    if line.strip():
                        yield _other(status, f"{status}/{file.stem}:{number}",
                                     json.loads(line)), None


def _kept_rows(shard: Path, every_column: bool = False) -> Iterator[dict[str, Any]]:
    """A kept shard's rows in order, read a batch at a time: the columns the index
    holds, or ``every_column``."""
    if shard.suffix == ".jsonl":
        with shard.open("rb") as lines:
            for line in lines:
                if line.strip():
                    yield json.loads(line)
        return
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(shard)
    columns = None if every_column else [c for c in _KEPT_COLUMNS
                                         if c in parquet.schema_arrow.names]
    for batch in parquet.iter_batches(batch_size=_BATCH, columns=columns):
        yield from batch.to_pylist()


def kept_row(shard: Path, number: int) -> dict[str, Any] | None:
    """Row ``number`` of a kept shard, every column, read up to it and no further."""
    return next(itertools.islice(_kept_rows(shard, every_column=True), number, None), None)


def _kept(key: str, row: dict[str, Any]) -> dict[str, Any]:
    script = row.get("script") or {}
    repairs = row.get("repairs") or {}
    text = row.get("text") or ""
    return {"key": key, "status": "kept", "id": row.get("id"), "url": row.get("url"),
            "title": row.get("title"), "site": row.get("site"),
            "category": row.get("category"),
            "tags": json.dumps(row.get("tags") or [], ensure_ascii=False),
            "script_in": script.get("input"), "script_out": script.get("output"),
            "glue": repairs.get("glue") or 0, "symbols": repairs.get("symbols") or 0,
            "invisible": repairs.get("invisible") or 0,
            "script_changes": repairs.get("script") or 0,
            "decode_errors": row.get("decode_errors") or 0,
            "dropped": json.dumps(row.get("dropped") or []),
            "cluster_id": row.get("cluster_id"),
            "is_canonical": None if row.get("is_canonical") is None
            else int(row["is_canonical"]),
            "joined": row.get("joined"), "join_score": row.get("join_score"),
            "duplicate_of": row.get("duplicate_of"), "input": row.get("input"),
            "preview": text[:PREVIEW], "length": len(text)}


def _other(status: str, key: str, row: dict[str, Any]) -> dict[str, Any]:
    """A rejected record (its reason code) or a failed one (its error's kind)."""
    error = row.get("error")
    reason = row.get("reason") if status == "rejected" else str(error or "").split(":")[0]
    return {"key": key, "status": status, "id": row.get("id"), "url": row.get("url"),
            "title": row.get("title"), "reason": reason,
            "detail": json.dumps(row.get("detail"), ensure_ascii=False)
            if status == "rejected" else error, "input": row.get("input"),
            "tags": "[]", "dropped": "[]"}


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection (the server never writes the index)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    db.row_factory = sqlite3.Row
    # the index's terms (trigrams) in order, to find those a two-character word begins
    db.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, texts, 'row')")
    return db


@dataclass(frozen=True, slots=True)
class Query:
    """What the list shows: a search and filters, all optional, and the page."""

    q: str = ""
    status: str = ""
    site: str = ""
    category: str = ""
    tag: str = ""
    reason: str = ""
    script: str = ""  # "IN>OUT", as the list shows it (hant>hans: restored)
    damage: str = ""  # a key of DAMAGE
    cluster: str = ""
    page: int = 1


@dataclass(frozen=True, slots=True)
class Results:
    rows: list[dict[str, Any]]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def search(db: sqlite3.Connection, query: Query) -> Results:
    """One page of the records that match (in output order), and how many match."""
    where, args = _where(db, query)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = db.execute(f"SELECT count(*) FROM records{clause}", args).fetchone()[0]
    rows = db.execute(f"SELECT * FROM records{clause} ORDER BY rowid LIMIT ? OFFSET ?",
                      [*args, PER_PAGE, (query.page - 1) * PER_PAGE]).fetchall()
    return Results([dict(r) for r in rows], int(total), query.page)


def _where(db: sqlite3.Connection, query: Query) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    text = query.q.strip()
    terms = _terms_beginning(db, text) if len(text) == 2 else None
    if len(text) >= 3 or terms is not None:
        # a phrase of three characters or more; a word of two: any trigram it begins
        where.append("rowid IN (SELECT rowid FROM texts WHERE texts MATCH ?)")
        args.append(" OR ".join(_phrase(t) for t in terms) if terms is not None
                    else _phrase(text))
        if terms == []:
            where.append("0")  # no trigram begins with it: nothing holds it
    elif text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        where.append("(title LIKE ? ESCAPE '\\' OR preview LIKE ? ESCAPE '\\')")
        args += [pattern, pattern]
    for name in ("status", "site", "category", "reason"):
        value = getattr(query, name)
        if value:
            where.append(f"{name} = ?")
            args.append(value)
    if query.tag:
        where.append("rowid IN (SELECT rowid FROM tags WHERE tag = ?)")
        args.append(query.tag)
    if query.script:
        source, _, target = query.script.partition(">")
        where.append("script_in = ? AND script_out = ?")
        args += [source, target]
    if query.damage:
        where.append(DAMAGE[query.damage])
    if query.cluster:
        where.append("cluster_id = ?")
        args.append(query.cluster)
    return where, args


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'  # one phrase: its quotes are text


def _terms_beginning(db: sqlite3.Connection, word: str) -> list[str] | None:
    """The trigrams of the index that begin with ``word``, or None when there are too
    many to ask for at once (the word is too common to search the texts for)."""
    found = [term for (term,) in db.execute(
        "SELECT term FROM terms WHERE term >= ? AND term < ? LIMIT ?",
        (word.lower(), word.lower() + "\U0010ffff", _MOST_TERMS + 1))]
    return found if len(found) <= _MOST_TERMS else None


def record(db: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    found = db.execute("SELECT * FROM records WHERE key = ?", (key,)).fetchone()
    return dict(found) if found else None


def values_of(db: sqlite3.Connection, column: str, limit: int = 200
              ) -> list[tuple[str, int]]:
    """A filter's choices: the column's values by how many records hold them."""
    if column not in ("site", "category", "reason", "status"):
        raise ValueError(f"no filter on {column!r}")
    rows = db.execute(f"SELECT {column}, count(*) AS n FROM records WHERE {column} IS NOT"
                      f" NULL GROUP BY {column} ORDER BY n DESC LIMIT ?", (limit,))
    return [(str(value), int(n)) for value, n in rows]
