"""The ``zhclean`` command line.

``zhclean repair FILE|-`` prints the repaired text; ``--explain`` prints the changes as
JSON lines instead. Exit status: 0 on success, 2 on misuse or unreadable input, with a
message on standard error that says what to do.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import InputError, ZhcleanError
from .io.encoding import decode
from .repair import TARGETS, repair

__all__ = ["main"]


def _read(source: str, encoding: str | None) -> str:
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
    return decode(data, hint=encoding)


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
    rep.add_argument("--encoding", help="the input's encoding, when detection is not enough")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = sys.stdout
    try:
        text = _read(args.file, args.encoding)
    except ZhcleanError as err:
        print(f"zhclean: {err}", file=sys.stderr)
        return 2
    result = repair(text, script=args.script, punctuation=args.punctuation)
    if args.explain:
        for change in result.changes:
            out.write(json.dumps(change.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(result.text)
    out.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
