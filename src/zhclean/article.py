"""The article record: what ``zhclean page`` prints, the public JSON contract.

A page (text or HTML, bytes in any common Chinese encoding) is repaired, cut into
blocks and labelled by the rules; on a text page the block model (``blocks/model.py``)
then overrules the rules' body where it is sure; the metadata is read from the labels.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from .blocks import Block
from .blocks.labels import label_blocks, mark_repeats
from .blocks.model import apply_model
from .blocks.text import text_blocks
from .errors import DecodeError
from .io.encoding import Decoded, decode_report
from .meta.byline import (
    credited_author,
    name_under_title,
    parse_byline,
    person_name,
    plausible_person,
)
from .meta.dates import date_in_url, find_date, relative_date
from .meta.site import site_of
from .meta.tags import split_tags
from .repair import Repaired, repair
from .repair.script import Target, simplified_view

__all__ = ["Article", "page", "repair_input"]


@dataclass(slots=True)
class Article:
    """One page as a clean record; ``to_json`` gives the documented JSON object."""

    id: str
    title: str | None = None
    site: str | None = None
    source: str | None = None
    published: str | None = None
    author: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    reprint_notice: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    text: str = ""
    script: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    decode_errors: int = 0  # undecodable byte sequences of the input, now U+FFFD
    encoding: str | None = None  # the codec that read the input bytes; None for text
    site_from: str | None = None  # where ``site`` came from: byline, meta or url (its host)
    empty_reason: str | None = None  # why ``paragraphs`` is empty, when it is
    # what was done to the page: each kind of repair's count of changes (REPAIRS), and
    # the label of every block left out of its text (a title or a byline fills its field;
    # nav, comment, related... are the page's chrome)
    repairs: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    blocks: list[dict[str, Any]] | None = None  # with explain: each block's label and reason
    changes: list[dict[str, Any]] | None = None  # with changes: every repair, for audits

    def to_dict(self) -> dict[str, Any]:
        # Fields hold strings, lists of strings and flat dicts: a shallow copy of each
        # container is a full copy (dataclasses.asdict recursed into every string, at a
        # tenth of a corpus run's time).
        data = {name: (value.copy() if isinstance(value, list | dict) else value)
                for name, value in ((f, getattr(self, f)) for f in _FIELDS)}
        for optional in ("empty_reason", "blocks", "changes"):
            if data[optional] is None:
                del data[optional]
        return data

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


_FIELDS = tuple(f.name for f in fields(Article))
_KEPT = frozenset({"body", "caption", "blank"})  # labels of the article's blocks (and gaps)
_HTML_TAG = re.compile(r"<(?:!doctype|html|head|body|meta|title|div|p|script|table|span|br)\b",
                       re.IGNORECASE)
_MARKUP_START = re.compile(r"<[!?a-zA-Z]")


def _is_html(text: str) -> bool:
    """HTML starts with markup and holds a known tag, or holds several known tags early."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    tags = len(_HTML_TAG.findall(head))
    return (bool(_MARKUP_START.match(head)) and tags >= 1) or tags >= 3


def page(
    data: str | bytes | Decoded,
    *,
    url: str | None = None,
    id: str | None = None,
    fetched: str | None = None,
    script: Target = "auto",
    explain: bool = False,
    changes: bool = False,
    encoding: str | None = None,
) -> Article:
    """Turn one page into an :class:`Article`. Never raises on any text or bytes (only
    on an ``encoding`` Python does not know, which forces the codec of bytes).

    ``fetched`` (ISO 8601, as a WARC-Date) is when the page was fetched: a relative time
    it prints (``3天前``) is counted back from it.

    Bytes are decoded by :func:`~zhclean.io.encoding.decode_report`, or given already
    decoded as its :class:`~zhclean.io.encoding.Decoded`; the record says which codec
    read them and how many undecodable byte sequences became U+FFFD.

    >>> a = page("企业新闻\\n标题在这里\\n来源：某网 2021-10-18\\n正文第一段。")
    >>> a.title, a.category, a.source, a.published, a.paragraphs
    ('标题在这里', '企业新闻', '某网', '2021-10-18', ['正文第一段。'])
    >>> b = page("标题在这里\\n正文".encode("gbk") + b"\\xff" + "第一段。".encode("gbk"))
    >>> b.paragraphs, b.encoding, b.decode_errors
    (['正文\ufffd第一段。'], 'gb18030', 1)
    """
    if isinstance(data, bytes):
        undecoded = data
        try:
            data = decode_report(undecoded, encoding=encoding)
        except DecodeError as err:
            digest = hashlib.sha256(f"{url or ''}\n".encode() + undecoded)
            return Article(id=id or digest.hexdigest()[:32], url=url,
                           script={"input": "none", "output": "none"},
                           empty_reason=f"undecodable: {err}")
    raw = data if isinstance(data, str) else data.text
    digest = hashlib.sha256(f"{url or ''}\n{raw}".encode("utf-8", "surrogatepass"))
    article = Article(id=id or digest.hexdigest()[:32], url=url)
    if not isinstance(data, str):
        article.decode_errors, article.encoding = data.errors, data.encoding
    structure = labelled_blocks(raw, script)
    blocks, repaired = structure.blocks, structure.repaired
    apply_model(blocks, html=structure.html, thread=structure.thread,
                prose_page=structure.prose_page)
    mark_repeats(blocks)
    article.script = {"input": repaired.script.input, "output": repaired.script.output}
    article.repairs = dict(repaired.counts)
    _fill(article, blocks, structure.meta, fetched)
    article.dropped = [b.label for b in blocks if b.label not in _KEPT]
    if changes:  # spans index the page's text (HTML: its blocks' text, one per line)
        article.changes = [c.to_dict() for c in repaired.changes]
    if explain:
        article.blocks = [{"index": b.index, "label": b.label, "reason": b.reason, "tag": b.tag,
                           "text": b.text} for b in blocks if b.label != "blank"]
    return article


@dataclass(slots=True)
class Structure:
    """A page cut into blocks, repaired and labelled by the rules."""

    blocks: list[Block]
    meta: dict[str, str]  # the HTML's meta tags and <title>; none for text
    repaired: Repaired  # the repair of the whole page
    html: bool
    prose_page: bool  # False: an HTML page whose main container holds no prose
    thread: bool  # an HTML comments page or forum thread


def labelled_blocks(raw: str, script: Target = "auto") -> Structure:
    """The page's blocks, repaired and labelled by the rules."""
    meta: dict[str, str] = {}
    prose_page, thread = True, False
    html_page = _is_html(raw)
    if html_page:
        from .blocks.html import html_blocks

        html = html_blocks(raw)
        blocks, meta, prose_page, thread = html.blocks, html.meta, html.prose, html.thread
        # One repair of the whole page (blocks hold no line breaks), so the script is
        # judged and restored once for the page, as for text input.
        repaired = repair("\n".join(b.text for b in blocks), script=script)
        lines = repaired.text.split("\n") if blocks else []  # "" is one line, not none
        for block, line in zip(blocks, lines, strict=True):
            block.text = line
    else:
        repaired = repair(raw, script=script)
        blocks = text_blocks(repaired.text)
    label_blocks(blocks, prose_page=prose_page, thread=thread)
    return Structure(blocks, meta, repaired, html_page, prose_page, thread)


def repair_input(raw: str) -> str:
    """The text :func:`labelled_blocks` gives to ``repair()``, whose changes' offsets
    point into it: a text page itself, an HTML page's blocks one per line."""
    if not _is_html(raw):
        return raw
    from .blocks.html import html_blocks

    return "\n".join(b.text for b in html_blocks(raw).blocks)


def _first(blocks: list[Block], label: str) -> str | None:
    return next((b.text for b in blocks if b.label == label), None)


def _fill(article: Article, blocks: list[Block], meta: dict[str, str],
          fetched: str | None = None) -> None:
    article.paragraphs = [b.text for b in blocks if b.label in ("body", "caption") and b.text]
    article.text = "\n".join(article.paragraphs)
    article.title = _first(blocks, "title") or meta.get("title")
    article.category = _first(blocks, "category")
    article.summary = _first(blocks, "lead")
    article.reprint_notice = _first(blocks, "reprint")
    found: dict[str, str] = {}
    for block in blocks:
        if block.label == "byline":
            for key, value in parse_byline(block.text).items():
                found.setdefault(key, value)
    article.site, article.site_from = _site(found, meta, article.url)
    article.source = found.get("source")
    meta_author = meta.get("author")
    # the writer first (a byline's, one the body credits or signs after it, a name alone
    # under the headline), then the editor, then a meta tag that names a person, then a
    # source that is a person's name (来源: 周婷: small sites credit their writers so)
    source = article.source
    article.author = (found.get("author")
                      or credited_author(article.paragraphs, after=_lines_after_body(blocks))
                      or name_under_title(_lines_under_title(blocks)) or found.get("editor")
                      or (meta_author if plausible_person(meta_author) else None)
                      or (source if person_name(source) else None))
    # the page's own dates first, then a time it prints relative to the fetch (3天前),
    # then the date its url files it under
    article.published = (found.get("published") or meta.get("published")
                         or _date_above_body(blocks) or _date_after_body(blocks)
                         or _date_above_body(blocks, lambda t: relative_date(t, fetched))
                         or date_in_url(article.url))
    tags = _first(blocks, "tags")
    article.tags = split_tags(tags, article.text) if tags else _meta_tags(meta)
    if not article.paragraphs:
        article.empty_reason = ("no prose found: the page holds only chrome"
                                if any(b.text for b in blocks) else "the page is empty")


_AFTER_BODY = 3  # the lines after the body searched for a signature


def _lines_after_body(blocks: list[Block]) -> list[str]:
    last = max((i for i, b in enumerate(blocks) if b.label == "body"), default=None)
    if last is None:
        return []
    return [b.text for b in blocks[last + 1:] if b.text][:_AFTER_BODY]


def _lines_under_title(blocks: list[Block]) -> list[str]:
    """The lines between the headline and the body, when the headline is above it."""
    title = next((i for i, b in enumerate(blocks) if b.label == "title"), None)
    first = next((i for i, b in enumerate(blocks) if b.label == "body"), None)
    if title is None or first is None or first < title:
        return []
    return [b.text for b in blocks[title + 1:first] if b.text]


_DATE_LOOKBACK = 12  # lines above the body searched for an unlabelled date line
_DATE_LINE = 100  # a date line is short; a long one is prose that mentions a date


def _date_above_body(blocks: list[Block], find: Callable[[str], str | None] = find_date
                     ) -> str | None:
    """The date (by ``find``) on the nearest short line above the body, when no byline
    or meta gives one: old templates print it outside any byline (``http://www.example.net
    2005年03月21日 11:21 《某某周刊》``), often outside the main container."""
    first = next((i for i, b in enumerate(blocks) if b.label == "body"), None)
    if first is None:
        return None
    above = [b for b in blocks[:first] if b.text][-_DATE_LOOKBACK:]
    for block in reversed(above):
        if len(block.text) <= _DATE_LINE and (found := find(block.text)):
            return found
    return None


# A post or a column often prints its time at its foot: 发布时间 2005/05/17 22:11:42 by 某.
_TIME_FIELD = re.compile(r"发布时间|发表时间|发表于|发布于|更新时间|posted", re.IGNORECASE)


def _date_after_body(blocks: list[Block]) -> str | None:
    """The date on a short line just after the body that names a time field, when
    nothing above the body gives one."""
    for line in _lines_after_body(blocks):
        if len(line) <= _DATE_LINE and _TIME_FIELD.search(simplified_view(line)):
            found = find_date(line)
            if found:
                return found
    return None


def _site(found: dict[str, str], meta: dict[str, str], url: str | None
          ) -> tuple[str | None, str | None]:
    """The site's name as the page prints it, else its url's host (most crawled pages
    name no site in a byline), with where it came from."""
    for origin, name in (("byline", found.get("site")), ("meta", meta.get("site")),
                         ("url", site_of(url))):
        if name:
            return name, origin
    return None, None


def _meta_tags(meta: dict[str, str]) -> list[str]:
    keywords = meta.get("keywords", "")
    return split_tags(keywords) if keywords else []
