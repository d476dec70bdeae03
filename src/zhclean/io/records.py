"""What readers yield: a raw record to process, or a failure to report; and whether a
payload is text at all.

A crawl holds images, PDFs and archives beside its pages (a WARC response for
``logo.png``, a folder with ``report.pdf`` renamed ``report``). Run through the page
pipeline they come out as "a page with no body"; :func:`not_text` names them instead.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Failure", "RawRecord", "binary_signature", "looks_like_text", "not_text"]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One page as it came: bytes or text, with the id, url, charset and content type the
    input gave."""

    id: str
    data: bytes | str
    url: str | None = None
    charset: str | None = None  # from an HTTP header, when the input had one
    content_type: str | None = None  # HTTP (or WARC) Content-Type, when the input had one
    fetched: str | None = None  # when the page was fetched (ISO 8601), when the input says


@dataclass(frozen=True, slots=True)
class Failure:
    """A record (or the rest of a file) that could not be read, and why."""

    id: str
    error: str


# File signatures of the binary formats a crawl or a folder of pages holds most often.
# Each is long enough that no text (least of all Chinese prose or HTML) starts with it.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b\x08", "gzip data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (doc, xls, ppt)"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"OggS\x00", "Ogg media"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Types that say "the server did not know": the bytes decide (many servers send HTML
# pages as application/octet-stream).
_VAGUE = frozenset({"application/octet-stream", "binary/octet-stream", "application/unknown",
                    "unknown/unknown", "application/x-unknown", "*/*"})
_TEXT_SUBTYPES = frozenset({"html", "xhtml+xml", "xml", "json", "javascript", "ecmascript",
                            "x-javascript", "plain"})


def binary_signature(head: bytes) -> str | None:
    """The binary format ``head`` (the first bytes of a payload) starts with, if any.

    >>> binary_signature(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    'PNG image'
    >>> binary_signature("<html>".encode()) is None
    True
    """
    for magic, name in _SIGNATURES:
        if head.startswith(magic):
            return name
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return f"RIFF {head[8:12].decode().strip()} media"
    if head[4:8] == b"ftyp" and head[:2] == b"\x00\x00":  # a box size, then the box type
        return "MP4/QuickTime media"
    return None


def looks_like_text(head: bytes) -> bool:
    """Whether the first bytes of a file of unknown type look like text or HTML: a byte
    order mark, or no NUL byte and no binary signature. (UTF-16 without a BOM fails: it
    is rare in files and cannot be told from binary by one test.)

    >>> looks_like_text("<!DOCTYPE html><title>新闻</title>".encode("gbk"))
    True
    >>> looks_like_text(b"\\x00\\x01\\x02 binary")
    False
    """
    if head.startswith(_BOMS):
        return True
    return b"\x00" not in head and binary_signature(head) is None


def not_text(record: RawRecord) -> str | None:
    """Why a record's payload cannot be a page (its declared type, or the binary format its
    bytes start with), or None when it may be text. Text types: ``text/*``, HTML, XHTML,
    XML, JSON and JavaScript types, and a missing type.

    >>> not_text(RawRecord("r", b"\\x89PNG\\r\\n\\x1a\\n...", content_type="image/png"))
    'content type image/png'
    >>> not_text(RawRecord("r", b"%PDF-1.7 ...")) is None
    False
    >>> not_text(RawRecord("r", b"<p>ok</p>", content_type="text/html; charset=gbk")) is None
    True
    """
    head = record.data[:1024] if isinstance(record.data, bytes) else b""
    declared = _media_type(record.content_type)
    vague_but_text = declared in _VAGUE and looks_like_text(head)
    if declared is not None and not _is_text_type(declared) and not vague_but_text:
        return f"content type {declared}"
    signature = binary_signature(head)
    if signature is not None:
        # a script that serves an image with a text type, or bytes with no type at all
        return f"{signature} data" + (f" (declared {declared})" if declared else "")
    return None


def _media_type(header: str | None) -> str | None:
    """``type/subtype`` of a Content-Type header, lower-cased; None when missing or not a
    media type at all (a header that says nothing does not make a page binary)."""
    if not header:
        return None
    media = header.split(";", 1)[0].strip().lower()
    return media if "/" in media else None


def _is_text_type(media: str) -> bool:
    main, _, sub = media.partition("/")
    return (main == "text" or sub in _TEXT_SUBTYPES or sub.endswith(("+xml", "+json")))
