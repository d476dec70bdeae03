"""The overview as HTML: the inspector's first page, and ``zhclean report OUT -o FILE``,
one self-contained file to share (inline style, charts drawn in HTML, no script: it
opens anywhere with no network).

In the inspector each figure links to the list of its records; the report has no list
to link to, so it shows the same figures unlinked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from .html import Markup, bar_chart, escape, layout, link, table
from .overview import Overview, overview

__all__ = ["overview_body", "render_report", "write_report"]

Href = Callable[[str, str], str]  # (filter, value) -> the list's URL for it


def records_href(name: str, value: str) -> str:
    """The inspector's list filtered on ``name`` = ``value`` (a script as the overview
    names it, ``IN → OUT``, is the list's ``IN>OUT``)."""
    if name == "script":
        value = value.replace(" → ", ">")
    return "/records?" + urlencode({name: value})


def overview_body(view: Overview, href: Href | None = None) -> str:
    """The overview's HTML (no page around it); ``href`` links figures to records."""
    def linked(name: str, value: str, text: str) -> Markup:
        return link(text, href(name, value) if href else None)

    def chart(items: list[tuple[str, int]], title: str, name: str = "") -> str:
        return bar_chart(items, title=title,
                         href=(lambda v: href(name, v)) if href and name else None)

    cards = [("read", view.read, ""), ("kept", view.kept, "kept"),
             ("rejected", view.rejected, "rejected"), ("failed", view.failed, "failed"),
             ("duplicates", view.duplicates, ""), ("sites", view.site_count, "")]
    cells = "".join(
        f"<div class=\"card\"><span class=\"n\">{n:,}</span><span class=\"what\">"
        f"{linked('status', status, what) if status else escape(what)}</span></div>"
        for what, n, status in cards)
    damage = table(("damage", "records", "repairs", "what"), [
        (linked("damage", d.kind, d.kind), d.records, d.count, d.meaning)
        for d in view.damage])
    chrome = view.chrome
    sections = [
        f"<h1>zhclean run: {escape(view.out)}</h1><div class=\"cards\">{cells}</div>",
        f"<p class=\"note\">{_took(view)}</p>",
        "<div class=\"grid\"><section><h2>Rejected and failed</h2>",
        chart(view.reasons, "rejected, by reason", "reason"),
        chart(view.errors, "failed, by error", "reason"),
        "</section><section><h2>Damage repaired</h2>", damage,
        chart([(d.kind, d.records) for d in view.damage], "kept records, by damage", "damage"),
        "</section><section><h2>Scripts</h2>",
        chart(view.scripts, "kept records, script in → out", "script"),
        "</section><section><h2>Chrome removed</h2>",
        chart(view.dropped, "blocks left out of kept texts, by label (titles become the title)"),
        f"<p>Site chrome: {chrome['lines']:,} lines repeated on {chrome['sites']:,} sites,"
        f" removed from {chrome['records_changed']:,} records;"
        f" {view.refiltered:,} records rejected once it was gone.</p>",
        "</section><section><h2>Sites</h2>",
        chart(view.sites, f"kept records, the top {len(view.sites)} of"
                          f" {view.site_count:,} sites", "site"),
        f"<p class=\"note\">{view.siteless:,} kept records name no site.</p>"
        if view.siteless else "",
        chart(view.categories, "kept records, by category", "category"),
        "</section><section><h2>Reprints</h2>",
        f"<p>{view.duplicates:,} kept records are copies of another, in"
        f" {view.clusters:,} clusters of two or more.</p>",
        chart(view.joined, "copies, by how they were joined"),
        "</section></div>"]
    return "".join(sections)


def _took(view: Overview) -> str:
    took = f" in {view.seconds:,.1f} s" if view.seconds is not None else ""
    return escape(f"{view.read:,} records read{took}.")


def render_report(view: Overview) -> str:
    """The overview as one whole, self-contained HTML page."""
    return layout(f"zhclean report: {view.out}", overview_body(view))


def write_report(out: Path, target: Path) -> Path:
    """Write the report of the output ``out`` to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_report(overview(out)), encoding="utf-8")
    return target
