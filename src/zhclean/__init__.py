"""zhclean: repair, structure and deduplicate damaged Chinese web text.

>>> repair("企業(yè)新聞").text
'企业新闻'
"""

from __future__ import annotations

from .article import Article, page
from .changes import Change, apply_changes
from .errors import DecodeError, InputError, UsageError, ZhcleanError
from .io.encoding import decode
from .repair import Repaired, ScriptInfo, repair
from .repair.script import detect_script

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Change",
    "DecodeError",
    "InputError",
    "Repaired",
    "ScriptInfo",
    "UsageError",
    "ZhcleanError",
    "__version__",
    "apply_changes",
    "decode",
    "detect_script",
    "page",
    "repair",
]
