"""A test corpus the tests build themselves, in every input format and every kind of
damage a crawl holds: GBK and Big5 pages, a truncated gzip, a truncated WARC record,
invalid UTF-8, binary junk, an empty record, a very large record."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from conftest import paragraphs

PROSE = paragraphs("simplified.txt")
TAIWAN = paragraphs("taiwan_news.txt")


def article(n: int) -> str:
    """A page of the project's own prose: title, byline, four paragraphs, chrome."""
    body = [PROSE[(n + k) % len(PROSE)] for k in range(4)]
    return "\n".join([f"第{n}号新闻标题在这里", f"某某网 来源：某某社 2024-03-{n % 28 + 1:02d}",
                      *body, "转载请注明出处。", "网友评论"])


def html(n: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in [PROSE[(n + k) % len(PROSE)] for k in range(3)])
    return (f"<html><head><title>网页{n}_某网</title></head><body><div class=nav>"
            f"<a href=/>首页</a></div><h1>网页{n}</h1><div class=article>{body}</div>"
            "</body></html>")


def _warc(records: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for url, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=gbk")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=headers))
    return out.getvalue()


def build(root: Path, size: int = 40, huge_mb: int = 0) -> dict[str, int]:
    """Write the corpus under ``root``; returns the expected number of read records."""
    root.mkdir(parents=True, exist_ok=True)
    pages = root / "pages"
    pages.mkdir()
    for n in range(size):
        (pages / f"p{n:03d}.txt").write_text(article(n), encoding="utf-8")
    (pages / "gbk.txt").write_bytes(article(1).encode("gbk"))
    (pages / "big5.html").write_bytes(
        f"<html><body><h1>新聞</h1><div>{''.join(f'<p>{t}</p>' for t in TAIWAN)}</div>"
        "</body></html>".encode("big5hkscs"))
    (pages / "invalid-utf8.txt").write_bytes(b"\x80" * 300)  # no encoding reads it
    (pages / "binary.html").write_bytes(bytes(range(256)) * 40)
    (pages / "empty.txt").write_bytes(b"")
    rows = [{"id": f"j{n}", "url": f"http://example.com/{n}", "text": article(n)}
            for n in range(size)]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (root / "records.jsonl").write_text(lines + "not json\n" + '{"id": "no-text"}\n',
                                        encoding="utf-8")
    (root / "records.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    truncated = gzip.compress(lines.encode())
    (root / "truncated.jsonl.gz").write_bytes(truncated[: len(truncated) // 2])
    import zstandard

    (root / "records.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines.encode()))
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), root / "records.parquet")
    warc = _warc([(f"http://example.com/w{n}", html(n).encode("gbk")) for n in range(size)])
    (root / "crawl.warc.gz").write_bytes(warc)
    (root / "truncated.warc.gz").write_bytes(warc[: len(warc) * 2 // 3])
    if huge_mb:
        sentence = "这是一个非常长的句子，用来测试很大的记录。"
        big = {"id": "huge", "text": sentence * (huge_mb * 50_000)}
        (root / "huge.jsonl").write_text(json.dumps(big, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    return {"pages": size + 5}
