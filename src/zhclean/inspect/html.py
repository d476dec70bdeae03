"""The HTML the inspector and the report share: escaping, the page around a body, the
style sheet and bar charts.

Pages are built as strings from escaped parts: every value that comes from a crawled
page goes through :func:`escape`. The style sheet is inline and the charts are plain
HTML bars (no script, no picture): a page needs nothing but itself, so the report opens
with no network and the inspector's Content-Security-Policy can forbid all the rest.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

__all__ = ["POLICY", "STYLE", "Markup", "bar_chart", "escape", "layout", "link", "table"]

STYLE = """
:root { --ink: #1d2430; --muted: #667085; --line: #d9dee7; --accent: #2f6fdf;
        --drop: #b42318; --keep: #067647; --bg: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
       system-ui, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
nav { background: #1d2430; padding: 8px 24px; }
nav a { color: #e4e7ec; margin-right: 18px; text-decoration: none; font-weight: 600; }
nav a.here { color: #fff; border-bottom: 2px solid #8fb3ff; }
h1 { font-size: 22px; margin: 12px 0 16px; }
h2 { font-size: 17px; margin: 24px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; color: var(--muted); }
a { color: var(--accent); }
table { border-collapse: collapse; background: #fff; margin: 4px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left;
         vertical-align: top; }
th { background: #eef1f6; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px;
        padding: 10px 16px; min-width: 130px; }
.card .n { font-size: 24px; font-weight: 700; display: block; }
.card .what { color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr));
        gap: 8px 32px; }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px;
         padding: 8px 12px; margin: 4px 0 12px; }
.chart .row { display: grid; grid-template-columns: 11em 1fr 5em; gap: 8px;
              align-items: center; margin: 3px 0; }
.chart .key { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chart .bar { background: #eef1f6; height: 14px; border-radius: 3px; }
.chart .bar span { display: block; height: 100%; background: var(--accent);
                   border-radius: 3px; }
.chart .value { text-align: right; font-variant-numeric: tabular-nums; }
.note, .preview, .reason { color: var(--muted); }
.preview { font-size: 13px; }
form.search { display: flex; flex-wrap: wrap; gap: 8px; align-items: center;
              margin-bottom: 12px; }
form.search input[type=search] { width: 30em; padding: 4px 8px; }
table.records { width: 100%; }
tr.rejected td:first-child { color: var(--drop); }
tr.failed td:first-child { color: var(--drop); font-weight: 700; }
table.meta th { width: 10em; }
ol { padding-left: 2em; }
li.block { background: #fff; border: 1px solid var(--line); border-left: 4px solid
           var(--keep); margin: 4px 0; padding: 4px 8px; }
li.block.dropped { border-left-color: var(--drop); background: #fff6f5; }
li.block .label { font-weight: 700; }
li.block.dropped .label { color: var(--drop); }
li.block .text { white-space: pre-wrap; }
.marked { background: #fff; border: 1px solid var(--line); padding: 8px; max-height: 28em;
          overflow: auto; white-space: pre-wrap; }
del { background: #fde2e1; color: var(--drop); }
ins { background: #dcfae6; color: var(--keep); text-decoration: none; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px;
         align-items: start; }
p.facts { color: var(--muted); margin-top: -8px; }
.side pre { background: #fff; border: 1px solid var(--line); padding: 8px;
            white-space: pre-wrap; word-break: break-all; max-height: 40em; overflow: auto;
            font-size: 13px; }
"""


class Markup(str):
    """Text that is HTML already, made of escaped parts: :func:`escape` leaves it."""


def escape(value: object) -> str:
    """``value`` as HTML text and attribute value: nothing in it is markup (unless it
    is :class:`Markup`)."""
    if isinstance(value, Markup):
        return value
    return html.escape("" if value is None else str(value), quote=True)


# The policy a page carries in itself, for where no server sends one (the report, opened
# from a file): nothing runs and nothing loads, whatever a crawled value holds.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"


def layout(title: str, body: str, *, nav: str = "") -> str:
    """A whole page: ``body`` (already HTML) under ``nav``, with the style sheet."""
    return (f"<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{nav}<main>{body}</main></body></html>")


def bar_chart(items: Iterable[tuple[str, int]], *, title: str,
              href: Callable[[str], str] | None = None) -> str:
    """Horizontal bars, one per ``(name, count)``, the longest the largest count;
    ``href`` links each name."""
    rows = list(items)
    if not rows:
        return (f"<div class=\"chart\"><h3>{escape(title)}</h3>"
                f"<p class=\"note\">none</p></div>")
    top = max(n for _, n in rows) or 1
    bars = "".join(
        f"<div class=\"row\"><span class=\"key\" title=\"{escape(name)}\">"
        f"{link(name, href(name) if href else None)}</span><span class=\"bar\">"
        f"<span style=\"width:{100 * n / top:.1f}%\"></span></span>"
        f"<span class=\"value\">{n:,}</span></div>"
        for name, n in rows)
    return f"<div class=\"chart\"><h3>{escape(title)}</h3>{bars}</div>"


def link(text: str, href: str | None) -> Markup:
    """``text`` as a link to ``href``, or as plain text when there is none."""
    if href is None:
        return Markup(escape(text))
    return Markup(f"<a href=\"{escape(href)}\">{escape(text)}</a>")


def table(head: Iterable[str], rows: Iterable[Iterable[object]], *, css: str = "") -> str:
    """A table of escaped cells; whole numbers are right-aligned."""
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(
            f"<td class=\"n\">{cell:,}</td>" if isinstance(cell, int)
            and not isinstance(cell, bool) else f"<td>{escape(cell)}</td>" for cell in row)
        + "</tr>" for row in rows)
    klass = f" class=\"{escape(css)}\"" if css else ""
    return f"<table{klass}><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
