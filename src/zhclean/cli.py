"""The ``zhclean`` command line.

``zhclean repair FILE|-`` prints the repaired text; ``--explain`` prints the changes as
JSON lines instead. ``zhclean page FILE|-`` prints the article record as one JSON
object; ``--explain`` adds each block's label and the reason for it. ``zhclean run
INPUT... -o OUT`` cleans a corpus (then drops site chrome and deduplicates);
``zhclean dedup OUT`` reruns the dedup stage. Exit status: 0 done; 1 done, but not
everything was there (``run``: the inputs held no record; ``page`` on a record file:
some record could not be read); 2 misuse or unreadable input; 3 the output could not be
written; 130 interrupted. Each error is one line on standard error that says what to do.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .article import page
from .engines import ENGINES
from .errors import EXIT_CODES, InputError, UsageError, ZhcleanError
from .io.encoding import check_encoding, decode_report
from .repair import TARGETS, repair
from .stages import STAGES, stage_named
from .stages.dedup import Dedup, DedupSettings

__all__ = ["main"]


def _read_bytes(source: str) -> bytes:
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(source)
        if path.is_dir():
            raise InputError(f"{source} is a directory; give a file, or - for standard input")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"cannot read {source}: {err.strerror or err}") from err
    return data


_ENCODING_HELP = "decode the input with this codec, bad bytes as U+FFFD (default: detect)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhclean", description="Repair and structure damaged Chinese web text."
    )
    parser.add_argument("--version", action="version", version=f"zhclean {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    rep = commands.add_parser("repair", help="print the repaired text of a page")
    rep.add_argument("file", help="a text file in any common Chinese encoding, or - for stdin")
    rep.add_argument("--explain", action="store_true", help="print the changes as JSON lines")
    rep.add_argument("--script", choices=TARGETS, default="auto",
                     help="auto: restore machine-converted Traditional (default); keep: no"
                          " script change; hans/hant: convert everything")
    rep.add_argument("--punctuation", action="store_true",
                     help="widen ASCII punctuation inside Chinese prose (off by default)")
    rep.add_argument("--encoding", help=_ENCODING_HELP)
    art = commands.add_parser("page", help="print a page's article record as JSON")
    art.add_argument("file", help="a text or HTML page in any common Chinese encoding, or -")
    art.add_argument("--url", help="the page's address, recorded in the output")
    art.add_argument("--explain", action="store_true", help="include each block's label")
    art.add_argument("--script", choices=TARGETS, default="auto", help="as for repair")
    art.add_argument("--encoding", help=_ENCODING_HELP)
    art.add_argument("--indent", type=int, default=None, help="pretty-print the JSON")
    job = commands.add_parser(
        "run", help="clean a corpus: files, folders, JSONL, Parquet, WARC",
        description="Clean a corpus into OUT/kept, OUT/rejected and OUT/failed, then drop\n"
                    "site chrome and deduplicate. Each option can also be set in a TOML\n"
                    "recipe (--recipe): its key is given in brackets; a flag overrides it.",
        epilog=_EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter)
    job.add_argument("inputs", nargs="+",
                     help="files or folders, local or fsspec URLs (s3://bucket/crawl/)")
    job.add_argument("-o", "--out", required=True, help="output folder (new, or --resume)")
    job.add_argument("--recipe", help="a TOML recipe; flags override its values")
    job.add_argument("--workers", type=int,
                     help=f"processes (default: all cores, {os.cpu_count()}) [run] workers")
    job.add_argument("--format", choices=("parquet", "jsonl"),
                     help="kept records' format (default: parquet) [run] format")
    job.add_argument("--shard-size", type=int,
                     help="records per shard, the unit of resume (default: 500)"
                          " [run] shard_size")
    job.add_argument("--text-field", dest="text_fields", action="append",
                     help="JSONL/Parquet field holding the page, repeatable (default: text,"
                          " content, html, raw_content) [read] text_fields")
    job.add_argument("--id-field", help="JSONL/Parquet field holding the id (default: id)"
                                        " [read] id_field")
    job.add_argument("--url-field", help="JSONL/Parquet field holding the url (default: url)"
                                         " [read] url_field")
    job.add_argument("--encoding", help="decode every page's bytes with this codec, bad"
                                        " bytes as U+FFFD (default: detect each page's)"
                                        " [read] encoding")
    job.add_argument("--script", choices=TARGETS,
                     help="as for repair (default: auto) [page] script")
    job.add_argument("--changes", action="store_true", default=None,
                     help="also write every repair change, for audits (default: off)"
                          " [page] changes")
    job.add_argument("--engine", choices=ENGINES,
                     help="local: a process pool here; ray: Ray tasks on a local Ray or the"
                          " cluster of --address (default: local) [run] engine")
    job.add_argument("--address", help="the Ray cluster to run on, e.g. auto or"
                                       " ray://head:10001 [run] address")
    job.add_argument("--resume", action="store_true",
                     help="finish an interrupted run (same inputs and options)")
    for stage in STAGES:  # each corpus stage can be turned off
        job.add_argument(f"--no-{stage.name.replace('_', '-')}", action="append_const",
                         dest="skip", const=stage.name,
                         help=f"skip the stage that would {stage.help} [{stage.name}] enabled")
    job.add_argument("--quiet", action="store_true", help="no progress bars")
    dup = commands.add_parser("dedup", help="cluster the copies in a run's output folder",
                              formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    dup.add_argument("out", help="a zhclean run output folder")
    dup.add_argument("--threshold", type=float, default=DedupSettings().threshold,
                     help="Jaccard of near-duplicates")
    dup.add_argument("--containment", type=float, default=DedupSettings().containment,
                     help="share of a copy inside a fuller one that makes it a duplicate"
                          " (an excerpt, a copy cut short)")
    dup.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                     help="processes that sketch and rewrite the shards")
    ins = commands.add_parser("inspect", help="browse a run's output in a local web app",
                              formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ins.add_argument("out", help="a zhclean run output folder")
    ins.add_argument("--host", default="127.0.0.1",
                     help="the address to listen on (another than 127.0.0.1 lets other"
                          " machines read the corpus)")
    ins.add_argument("--port", type=int, default=8765, help="the port (0: any free one)")
    rpt = commands.add_parser("report", help="write a run's overview as one HTML file")
    rpt.add_argument("out", help="a zhclean run output folder")
    rpt.add_argument("-o", "--output", default="report.html",
                     help="the HTML file to write (self-contained: opens with no network)")
    return parser


_EXIT_STATUS = """exit status:
  0    done
  1    done, but the inputs held no record
  2    misuse: a bad option, recipe or input path, or an output folder in use
  3    the output could not be written (full disk, no permission, a worker died):
       finished shards are kept, --resume goes on
  130  interrupted (Ctrl-C): --resume goes on"""


def _fail(err: ZhcleanError) -> int:
    """One line on standard error, and the exit status of the error's kind."""
    print(f"zhclean: {err}", file=sys.stderr)
    return next(code for kind, code in EXIT_CODES.items() if isinstance(err, kind))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _command(args)
    except KeyboardInterrupt:  # run and dedup say how to resume; the rest just stop
        print("zhclean: interrupted", file=sys.stderr)
        return 130


def _command(args: argparse.Namespace) -> int:
    if args.command == "run":
        return _run(args)
    if args.command == "dedup":
        settings = DedupSettings(args.threshold, args.containment)
        try:
            settings.check()
        except UsageError as err:
            return _fail(err)
        return _dedup(Path(args.out), settings, args.workers)
    if args.command == "inspect":
        return _inspect(Path(args.out), args.host, args.port)
    if args.command == "report":
        return _report(Path(args.out), Path(args.output))
    if args.command == "page" and args.file != "-" and _holds_records(Path(args.file)):
        return _page_records(Path(args.file), args)
    try:
        if args.encoding:  # before reading standard input: the message names the fix
            check_encoding(args.encoding)
        decoded = decode_report(_read_bytes(args.file), encoding=args.encoding)
        if decoded.errors:  # the page record counts them too; repair prints only text
            print(f"zhclean: {decoded.errors} undecodable byte sequences (read as"
                  f" {decoded.encoding}) became U+FFFD", file=sys.stderr)
        if args.command == "page":
            article = page(decoded, url=args.url, script=args.script, explain=args.explain)
            return _write(article.to_json(indent=args.indent) + "\n")
        result = repair(decoded.text, script=args.script, punctuation=args.punctuation)
    except ZhcleanError as err:
        return _fail(err)
    if args.explain:
        return _write("".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n"
                              for c in result.changes))
    return _write(result.text)


def _holds_records(path: Path) -> bool:
    """A JSONL, Parquet or WARC file (or a compressed page) is read as the run reads it,
    not as one page of text."""
    from .io.compressed import compression
    from .io.inputs import kind

    return kind(path) in ("jsonl", "parquet", "warc") or compression(path) is not None


def _page_records(path: Path, args: argparse.Namespace) -> int:
    """``zhclean page dump.jsonl``: one article record per line, in input order; a record
    that cannot be read is reported on standard error and the rest go on."""
    from .io.readers import JsonLine, parse_line, read_input
    from .io.records import Failure
    from .process import page_input

    if not path.is_file():
        return _fail(InputError(f"cannot read {path}: not a file"))
    if args.encoding:
        try:
            check_encoding(args.encoding)
        except ZhcleanError as err:
            return _fail(err)
    failed = 0
    for item in read_input(path):
        record = parse_line(item) if isinstance(item, JsonLine) else item
        if isinstance(record, Failure):
            failed += 1
            print(f"zhclean: {record.id}: {record.error}", file=sys.stderr)
            continue
        try:
            data = page_input(record, args.encoding)
        except ZhcleanError as err:  # undecodable bytes: this record, not the rest
            failed += 1
            print(f"zhclean: {record.id}: {err}", file=sys.stderr)
            continue
        article = page(data, url=args.url or record.url, id=record.id, script=args.script,
                       explain=args.explain)
        _write(article.to_json(indent=args.indent) + "\n")
    return 1 if failed else 0


def _run(args: argparse.Namespace) -> int:
    from .job import run
    from .recipe import build_config

    out = Path(args.out)

    def say(stage: str, section: dict[str, Any]) -> None:
        """Each stage's summary as soon as it ends (the stages after it take a while)."""
        said = _say_main(section, out) if stage == "main" else \
            stage_named(stage).summary(section, out)
        print(said, file=sys.stderr, flush=True)

    try:
        config = build_config(
            args.inputs, args.out, args.recipe, workers=args.workers, format=args.format,
            shard_size=args.shard_size, text_fields=args.text_fields, id_field=args.id_field,
            url_field=args.url_field, encoding=args.encoding, script=args.script,
            changes=args.changes, engine=args.engine, address=args.address,
            skip=frozenset(args.skip or ()), resume=args.resume,
            quiet=args.quiet)
        manifest = run(config, report=say)
    except ZhcleanError as err:
        return _fail(err)
    if manifest["read"] == 0:
        print(f"zhclean: the inputs held no record ({', '.join(args.inputs)})", file=sys.stderr)
        return 1
    return 0


def _say_main(manifest: dict[str, Any], out: Path) -> str:
    reasons = ", ".join(f"{k} {v}" for k, v in manifest["reasons"].items()) or "none"
    skipped = manifest.get("skipped") or {}
    files = (f"; skipped {sum(skipped.values())} files in folders"
             f" ({', '.join(f'{why} {n}' for why, n in skipped.items())})" if skipped else "")
    return (f"read {manifest['read']}: kept {manifest['kept']}, rejected"
            f" {manifest['rejected']} ({reasons}), failed {manifest['failed']} in"
            f" {manifest['timings']['seconds']} s{files} -> {out}/manifest.json")


def _dedup(out: Path, settings: DedupSettings, workers: int) -> int:
    from .engines.local import LocalEngine
    from .io.outfolder import guarded, locked

    try:
        with guarded(out):
            if not (out / "kept").is_dir():  # before the lock creates the folder
                raise UsageError(f"{out} holds no run output (no kept/ folder); run"
                                 " zhclean run first")
            with locked(out), LocalEngine(workers) as engine:
                section = Dedup().run(out, settings, engine, progress=True)
    except ZhcleanError as err:
        return _fail(err)
    print(Dedup().summary(section, out), file=sys.stderr)
    return 0


def _run_output(out: Path) -> UsageError | None:
    if (out / "kept").is_dir() and (out / "run.json").exists():
        return None
    return UsageError(f"{out} holds no run output (no kept/ folder or run.json);"
                      " run zhclean run first")


def _inspect(out: Path, host: str, port: int) -> int:
    if (missing := _run_output(out)) is not None:
        return _fail(missing)
    from .inspect.server import Inspector, serve

    print(f"zhclean inspect: indexing {out} (once; reused while the output is unchanged)",
          file=sys.stderr, flush=True)
    try:
        inspector = Inspector(out)
    except OSError as err:  # an output folder it cannot write its index into
        return _fail(UsageError(f"cannot index {out}: {err.strerror or err}"))
    try:
        serve(inspector, host, port)
    except OSError as err:  # the port is taken, the address is not this machine's
        return _fail(UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}"))
    return 0


def _report(out: Path, target: Path) -> int:
    if (missing := _run_output(out)) is not None:
        return _fail(missing)
    from .inspect.report import write_report

    try:
        write_report(out, target)
    except OSError as err:
        return _fail(UsageError(f"cannot write {target}: {err.strerror or err}"))
    print(f"zhclean report: {target} (one file; open it in any browser)", file=sys.stderr)
    return 0


def _write(text: str) -> int:
    """UTF-8 whatever the locale; a reader that goes away (``| head``) is not an error."""
    try:
        sys.stdout.buffer.write(text.encode("utf-8", "replace"))
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
