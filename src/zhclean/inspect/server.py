"""``zhclean inspect OUT``: a local web app over a run's output.

Pages: ``/`` the overview, ``/records`` the searchable list (kept, rejected and failed
records, filtered and paginated), ``/record?key=...`` one record: its raw page beside its
article, every block with its label and reason, every repair marked, its cluster.

Crawled text is hostile. Everything shown is escaped, and every response carries a
Content-Security-Policy that allows no script, no frame, no object, no form target
elsewhere and nothing loaded from anywhere (styles are inline): a page's ``<script>``,
``onerror=`` or ``javascript:`` link is shown as text and can never run. No parameter
names a file: records are found by their key in the index, and the files read are those
the index lists, and those only if ``run.json`` lists them as the run's inputs. A
parameter that is unknown, repeated or malformed is a 400. The server listens on
127.0.0.1 unless told otherwise, and answers only under its own name: a request whose
Host is another name (a page elsewhere that rebinds its own name to 127.0.0.1) is a 421.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import fields, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from ..article import Article, repair_input
from ..changes import Change, apply_step
from . import index as ix
from .html import escape, layout
from .overview import summarise
from .raw import Cleaned, clean_again
from .report import overview_body, records_href

__all__ = ["CSP", "BadRequest", "Inspector", "serve"]

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self';"
       " base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
           "Cache-Control": "no-store"}
SHOWN = 200_000  # characters of a raw page or a text shown at most
_KEY = re.compile(r"(kept|rejected|failed)/[0-9A-Za-z_.-]+:[0-9]{1,9}")
_SCRIPT = re.compile(r"[a-z?-]{1,20}>[a-z?-]{1,20}")  # hant-converted>hans
_CHOICES = {"status": ("kept", "rejected", "failed"), "damage": tuple(ix.DAMAGE)}
_LONGEST = 500  # characters of a parameter's value
_STEPS = {"pinyin_glue": "glue removed", "script": "characters restored",
          "symbols": "symbols removed", "invisible": "invisible characters removed",
          "whitespace": "spaces mended", "punctuation": "punctuation widened"}


class BadRequest(ValueError):
    """A request the inspector refuses with a 400, saying why."""


class NotFound(LookupError):
    """A record or a page that is not there: a 404, saying what."""


class Inspector:
    """The pages, made from one output folder and its index."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.index = ix.ensure_index(out)
        self.run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        self._local = threading.local()  # a connection per thread: no request waits
        self._overview: str | None = None
        self._choices: dict[str, list[tuple[str, int]]] | None = None
        saved = out / "site_chrome" / "lines.json"
        lines = json.loads(saved.read_text(encoding="utf-8"))["lines"] if saved.exists() \
            else {}
        self.chrome = {site: set(found) for site, found in lines.items()}

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's read-only connection to the index."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = ix.connect(self.index)
        return db

    # -- routing

    def respond(self, target: str) -> tuple[int, str]:
        """The status and the HTML page for a request's target."""
        parts = urlsplit(target)
        routes: dict[str, Callable[[dict[str, str]], str]] = {
            "/": self.overview_page, "/records": self.list_page, "/record": self.record_page}
        handler = routes.get(parts.path)
        if handler is None:
            return HTTPStatus.NOT_FOUND, self._message("Not found", "No such page.")
        try:
            return HTTPStatus.OK, handler(_params(parts.query))
        except BadRequest as err:
            return HTTPStatus.BAD_REQUEST, self._message("Bad request", str(err))
        except NotFound as err:
            return HTTPStatus.NOT_FOUND, self._message("Not found", str(err))
        except Exception:  # a bug: one page fails, the server goes on, and says so
            traceback.print_exc(file=sys.stderr)
            return HTTPStatus.INTERNAL_SERVER_ERROR, self._message(
                "Internal error", "This page failed; the error is on the server's terminal.")

    def _message(self, title: str, text: str) -> str:
        return layout(title, f"<h1>{escape(title)}</h1><p>{escape(text)}</p>", nav=_nav())

    # -- pages

    def overview_page(self, params: dict[str, str]) -> str:
        _allow(params, set())
        if self._overview is None:  # made once: the output does not change under it
            rows = (dict(r) for r in self.db.execute("SELECT * FROM records"))
            self._overview = overview_body(summarise(rows, self.out), records_href)
        return layout("zhclean: overview", self._overview, nav=_nav("overview"))

    def list_page(self, params: dict[str, str]) -> str:
        names = {f.name for f in fields(ix.Query)}
        _allow(params, names)
        query = _query(params)
        results = ix.search(self.db, query)
        if query.page > results.pages:
            raise NotFound(f"page {query.page} is past the last ({results.pages})")
        rows = "".join(_list_row(r) for r in results.rows)
        if self._choices is None:  # one count per filter, once: the output is fixed
            self._choices = {name: ix.values_of(self.db, name)
                             for name in ("status", "site", "category", "reason")}
        form = _search_form(query, self._choices)
        pager = _pager(query, results)
        body = (f"<h1>Records</h1>{form}<p class=\"count\">{results.total:,} records"
                f" · page {results.page} of {results.pages}</p>"
                f"<table class=\"records\"><thead><tr><th>status</th><th>title</th>"
                f"<th>site</th><th>reason / repairs</th><th>cluster</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>{pager}")
        return layout("zhclean: records", body, nav=_nav("records"))

    def record_page(self, params: dict[str, str]) -> str:
        _allow(params, {"key"})
        key = params.get("key", "")
        if not _KEY.fullmatch(key):
            raise BadRequest("key must be STATUS/SHARD:ROW, as the list links it")
        row = ix.record(self.db, key)
        if row is None:
            raise NotFound(f"no record {key} in this output")
        kept = self._kept_row(row) if row["status"] == "kept" else None
        cleaned = clean_again(self.run, row["input"], row["id"]) if row.get("input") \
            else None
        sections = [_facts(row), self._cluster(row)]
        if cleaned is None:
            sections.append(_note(
                "No page was read from this record: its error is in the metadata below."
                if row["status"] == "failed" else
                "The raw page is not found: its input is gone, or no longer holds it."))
        else:
            if cleaned.stale:
                sections.append(_note("Its input changed since the run: what follows is"
                                      " cleaned from the input as it is now."))
            if cleaned.article is None:
                sections.append(_note(f"The page does not decode: {cleaned.error}"))
            else:
                chrome = self.chrome.get(row.get("site") or "", set())
                sections.append(f"<div class=\"sides\">{_blocks(cleaned.article, chrome)}"
                                f"{_repairs(cleaned.article, cleaned.text)}</div>")
            sections.append(_side_by_side(cleaned, kept))
        sections.append(_metadata(row, kept))
        title = row.get("title") or row.get("id") or key
        return layout(f"zhclean: {title}",
                      f"<h1>{escape(title)}</h1>{''.join(sections)}", nav=_nav("records"))

    def _kept_row(self, row: dict[str, Any]) -> dict[str, Any] | None:
        shard, number = row["key"].removeprefix("kept/").rsplit(":", 1)
        for suffix in (".parquet", ".jsonl"):
            path = self.out / "kept" / f"{shard}{suffix}"
            if path.exists():
                return ix.kept_row(path, int(number))
        return None

    def _cluster(self, row: dict[str, Any]) -> str:
        cluster = row.get("cluster_id")
        if not cluster:
            return ""
        members = self.db.execute(
            "SELECT key, id, title, site, is_canonical, joined, join_score FROM records"
            " WHERE cluster_id = ? ORDER BY is_canonical DESC, rowid LIMIT 50",
            (cluster,)).fetchall()
        if len(members) < 2:
            return "<p class=\"cluster\">No copy of this record was found.</p>"
        def member(m: Any) -> str:
            kind = "canonical" if m["is_canonical"] else "copy"
            name = escape(m["title"] or m["id"])
            shown = (f"<strong>{name}</strong> (this record)" if m["key"] == row["key"]
                     else f"<a href=\"/record?{urlencode({'key': m['key']})}\""
                          f" class=\"{kind}\">{name}</a>")
            score = "" if m["join_score"] is None else f" {m['join_score']:.2f}"
            how = "canonical" if m["is_canonical"] else f"{escape(m['joined'])}{score}"
            return f"<li class=\"{kind}\">{shown} · {escape(m['site'] or '')} · {how}</li>"

        items = "".join(member(m) for m in members)
        link = f"/records?{urlencode({'cluster': cluster})}"
        return (f"<section class=\"cluster\"><h2>Copies ({len(members)})</h2>"
                f"<ul>{items}</ul><p><a href=\"{escape(link)}\">the whole cluster in the"
                f" list</a></p></section>")


# -- parameters

def _params(query: str) -> dict[str, str]:
    try:
        parsed = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query),
                          errors="strict", max_num_fields=32)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadRequest(f"malformed query string: {err}") from None
    found = {}
    for name, values in parsed.items():
        if len(values) != 1:
            raise BadRequest(f"{name} is given {len(values)} times")
        if len(values[0]) > _LONGEST or "\x00" in values[0]:
            raise BadRequest(f"{name} is too long or holds a NUL")
        found[name] = values[0]
    return found


def _allow(params: dict[str, str], names: set[str]) -> None:
    unknown = set(params) - names
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(sorted(unknown))}")


def _query(params: dict[str, str]) -> ix.Query:
    values: dict[str, Any] = {k: v for k, v in params.items() if v != ""}
    for name, choices in _CHOICES.items():
        if name in values and values[name] not in choices:
            raise BadRequest(f"{name} must be one of {', '.join(choices)}")
    if "script" in values and not _SCRIPT.fullmatch(values["script"]):
        raise BadRequest("script must be IN>OUT, e.g. hant>hans")
    if "page" in values:
        if not values["page"].isascii() or not values["page"].isdigit() \
                or not 1 <= int(values["page"]) <= 1_000_000:
            raise BadRequest("page must be a whole number from 1")
        values["page"] = int(values["page"])
    return ix.Query(**values)


def _link(query: ix.Query, **changed: Any) -> str:
    chosen = replace(query, **changed)
    shown = {f.name: getattr(chosen, f.name) for f in fields(chosen)}
    shown = {k: v for k, v in shown.items() if v and not (k == "page" and v == 1)}
    return "/records" + (f"?{urlencode(shown)}" if shown else "")


# -- fragments

def _nav(current: str = "") -> str:
    here = ' class="here"'
    links = (("overview", "/"), ("records", "/records"))
    return "<nav>" + " ".join(
        f"<a href=\"{href}\"{here if name == current else ''}>{name}</a>"
        for name, href in links) + "</nav>"


def _search_form(query: ix.Query, choices: dict[str, list[tuple[str, int]]]) -> str:
    def select(name: str, options: list[tuple[str, int | None]]) -> str:
        chosen = getattr(query, name)
        if chosen and chosen not in {v for v, _ in options}:
            options = [(chosen, None), *options]  # beyond the commonest: kept all the same
        items = "".join(
            f"<option value=\"{escape(v)}\"{' selected' if v == chosen else ''}>"
            f"{escape(v)}{'' if n is None else f' ({n:,})'}</option>" for v, n in options)
        return (f"<label>{name} <select name=\"{name}\"><option value=\"\">any</option>"
                f"{items}</select></label>")

    # filters the list links to but the form does not show ride along unseen
    kept = "".join(f"<input type=\"hidden\" name=\"{name}\" value=\"{escape(value)}\">"
                   for name in ("script", "cluster") if (value := getattr(query, name)))
    counted: dict[str, list[tuple[str, int | None]]] = {
        name: list(options) for name, options in choices.items()}
    return (f"<form method=\"get\" action=\"/records\" class=\"search\">"
            f"<input type=\"search\" name=\"q\" value=\"{escape(query.q)}\""
            f" placeholder=\"search titles and texts (one character: titles and first"
            f" lines)\" aria-label=\"search\">"
            f"{''.join(select(n, c) for n, c in counted.items())}"
            f"{select('damage', [(name, None) for name in ix.DAMAGE])}"
            f"<label>tag <input name=\"tag\" value=\"{escape(query.tag)}\"></label>{kept}"
            f"<button type=\"submit\">search</button></form>")


def _list_row(row: dict[str, Any]) -> str:
    link = f"/record?{urlencode({'key': row['key']})}"
    if row["status"] == "kept":
        repairs = [f"{name} {row[column]}" for name, column in
                   (("glue", "glue"), ("symbols", "symbols"), ("invisible", "invisible"),
                    ("script", "script_changes")) if row.get(column)]
        what = ", ".join(repairs) or "—"
    else:
        what = row.get("reason") or ""
    cluster = ""
    if row.get("cluster_id"):
        cluster_link = f"/records?{urlencode({'cluster': row['cluster_id']})}"
        kind = "canonical" if row.get("is_canonical") else row.get("joined") or ""
        cluster = f"<a href=\"{escape(cluster_link)}\">{escape(kind)}</a>"
    return (f"<tr class=\"{row['status']}\"><td>{row['status']}</td>"
            f"<td><a href=\"{escape(link)}\">{escape(row.get('title') or row.get('id'))}"
            f"</a><div class=\"preview\">{escape(row.get('preview') or '')}</div></td>"
            f"<td>{escape(row.get('site') or '')}</td><td>{escape(what)}</td>"
            f"<td>{cluster}</td></tr>")


def _pager(query: ix.Query, results: ix.Results) -> str:
    links = []
    if results.page > 1:
        links.append(f"<a href=\"{escape(_link(query, page=results.page - 1))}\""
                     f" rel=\"prev\">previous</a>")
    if results.page < results.pages:
        links.append(f"<a href=\"{escape(_link(query, page=results.page + 1))}\""
                     f" rel=\"next\">next</a>")
    return f"<p class=\"pager\">{' · '.join(links)}</p>"


def _metadata(row: dict[str, Any], kept: dict[str, Any] | None) -> str:
    shown = [("status", row["status"]), ("id", row.get("id")), ("url", row.get("url")),
             ("input", row.get("input"))]
    if row["status"] != "kept":
        shown += [("reason", row.get("reason")), ("detail", row.get("detail"))]
    if kept:
        shown += [(name, kept.get(name)) for name in
                  ("site", "source", "published", "author", "category", "summary",
                   "reprint_notice", "encoding", "decode_errors")]
        shown += [("tags", ", ".join(kept.get("tags") or [])),
                  ("script", "{input} → {output}".format(**(kept.get("script") or
                                                           {"input": "", "output": ""})))]
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>"
                    for k, v in shown if v not in (None, ""))
    return f"<section><h2>Metadata</h2><table class=\"meta\">{cells}</table></section>"


def _note(text: str) -> str:
    return f"<p class=\"note\">{escape(text)}</p>"


def _facts(row: dict[str, Any]) -> str:
    """The record in one line: its fate, site and repairs (the metadata is below)."""
    facts = [row["status"] + (f": {row['reason']}" if row.get("reason") else "")]
    facts += [row[name] for name in ("site", "url") if row.get(name)]
    if row.get("script_in"):
        facts.append(f"script {row['script_in']} → {row['script_out']}")
    facts += [f"{name} {row[column]}" for name, column in
              (("glue", "glue"), ("symbols", "symbols"), ("invisible", "invisible"),
               ("undecodable", "decode_errors"))
              if row.get(column)]
    return f"<p class=\"facts\">{' · '.join(escape(f) for f in facts)}</p>"


def _blocks(article: Article, chrome: set[str]) -> str:
    items = []
    dropped = 0
    for block in article.blocks or []:
        label = block["label"]
        if label in ("body", "caption") and block["text"] in chrome:
            label, reason = "site chrome", "a line its site repeats on its pages"
        else:
            reason = block["reason"]
        kept = label in ("body", "caption")
        dropped += not kept
        items.append(f"<li class=\"block {'kept' if kept else 'dropped'}\""
                     f" data-label=\"{escape(label)}\"><span class=\"label\">"
                     f"{escape(label)}</span> <span class=\"reason\">{escape(reason)}</span>"
                     f"<div class=\"text\">{escape(block['text'][:SHOWN])}</div></li>")
    return (f"<section class=\"blocks\"><h2>Blocks ({len(items)}, {dropped} dropped)</h2>"
            f"<ol>{''.join(items)}</ol></section>")


def _repairs(article: Article, page: str) -> str:
    """Each repair step that changed something: the text it received, its changes
    marked (a removal struck through, a replacement beside what it replaced, each
    character a conversion restored highlighted)."""
    changes = [Change(**c) for c in article.changes or []]
    if not changes:
        return "<section class=\"repairs\"><h2>Repairs</h2><p>None.</p></section>"
    text = repair_input(page)
    sections = []
    for step in dict.fromkeys(c.step for c in changes):
        mine = sorted((c for c in changes if c.step == step), key=lambda c: c.start)
        try:
            after = apply_step(text, mine)
        except ValueError:  # made on another text than the one rebuilt here: a bug
            sections.append(_note(f"The {step} changes do not fall on the page's text;"
                                  " they are not marked."))
            break
        marks = sum(sum(a != b for a, b in zip(c.before, c.after, strict=True))
                    if _converted(c) else 1 for c in mine)
        sections.append(f"<h3>{escape(_STEPS.get(step, step))} ({marks})</h3>"
                        f"<div class=\"marked\">{_marked(text, mine)}</div>")
        text = after
    return f"<section class=\"repairs\"><h2>Repairs</h2>{''.join(sections)}</section>"


def _marked(text: str, changes: list[Change]) -> str:
    parts, pos = [], 0
    for change in changes:
        if change.start < pos or change.start > SHOWN:
            continue
        parts.append(escape(text[pos:change.start]))
        title = escape(f"{change.reason}: {change.before!r} → {change.after!r}")
        step = escape(change.step)
        if _converted(change):
            # one span holds a run of converted characters and those between them: each
            # character it changed is marked, with what it was
            parts.extend(escape(new) if new == old else _restored(step, change.reason, old, new)
                         for old, new in zip(change.before, change.after, strict=True))
        else:
            if change.before:
                parts.append(f"<del class=\"{step}\" title=\"{title}\">"
                             f"{escape(change.before)}</del>")
            if change.after:
                parts.append(f"<ins class=\"{step}\" title=\"{title}\">"
                             f"{escape(change.after)}</ins>")
        pos = change.end
    parts.append(escape(text[pos:SHOWN]))
    return "".join(parts)


def _converted(change: Change) -> bool:
    """A script conversion, character for character (shown by what it restored)."""
    return change.step == "script" and len(change.before) == len(change.after)


def _restored(step: str, reason: str, old: str, new: str) -> str:
    return (f"<ins class=\"{step}\" title=\"{escape(f'{reason}: {old} → {new}')}\">"
            f"{escape(new)}</ins>")


def _side_by_side(cleaned: Cleaned, kept: dict[str, Any] | None) -> str:
    shown = cleaned.text
    article = "\n\n".join(kept.get("paragraphs") or []) if kept else \
        cleaned.article.text if cleaned.article else ""
    cut = "<p class=\"note\">(cut short)</p>" if len(shown) > SHOWN else ""
    return (f"<section class=\"sides\"><div class=\"side raw\"><h2>Raw page</h2>"
            f"<pre>{escape(shown[:SHOWN])}</pre>{cut}</div><div class=\"side clean\">"
            f"<h2>Article</h2><pre>{escape(article[:SHOWN])}</pre></div></section>")


# -- the server

class _Handler(BaseHTTPRequestHandler):
    inspector: Inspector
    hosts: frozenset[str] | None  # the Host headers answered (None: any)
    server_version = "zhclean-inspect"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        host = self.headers.get("Host")
        if self.hosts is not None and host is not None and host.lower() not in self.hosts:
            # DNS rebinding: a page elsewhere that names this port under its own host
            # name must not read the corpus through the visitor's browser
            self._send(HTTPStatus.MISDIRECTED_REQUEST, layout(
                "Misdirected", "<h1>Misdirected request</h1><p>This server answers only"
                " under the address it listens on.</p>"), body)
            return
        self._send(*self.inspector.respond(self.path), body=body)

    def _refuse(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, layout("Method not allowed",
                                                         "<h1>Method not allowed</h1>"))

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def end_headers(self) -> None:
        # every response, http.server's own error pages too, carries the policy
        for name, value in HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def _send(self, status: int, page: str, body: bool = True) -> None:
        data = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a line per request would bury the URL the command printed


def _hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host headers a server on ``host:port`` answers: its own names for the
    loopback (or the address given); any, when it listens on every address."""
    if host in ("", "0.0.0.0", "::"):
        return None  # told to serve every network: the names it is reached by are many
    names = {f"[{host}]" if ":" in host else host}  # an IPv6 address is bracketed
    if host in ("127.0.0.1", "localhost", "::1"):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    return frozenset(f"{name.lower()}:{port}" for name in names)


def make_server(out: Path | Inspector, host: str = "127.0.0.1", port: int = 8765
                ) -> ThreadingHTTPServer:
    """The server over an output (or an inspector made of one), bound (``port`` 0: any
    free port), not yet serving."""
    inspector = out if isinstance(out, Inspector) else Inspector(out)
    handler: type[_Handler] = type("Handler", (_Handler,),
                                   {"inspector": inspector, "hosts": None})
    server = ThreadingHTTPServer((host, port), handler)
    handler.hosts = _hosts(host, int(server.server_address[1]))
    server.daemon_threads = True
    return server


def serve(out: Path | Inspector, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve until Ctrl-C, printing the URL first."""
    server = make_server(out, host, port)
    bound_host, bound_port = server.server_address[:2]
    print(f"zhclean inspect: http://{bound_host!s}:{bound_port}/ (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
