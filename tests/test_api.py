"""The public API is small and deliberate: ``__all__`` is the contract."""

from __future__ import annotations

import pytest

import zhclean


def test_public_names() -> None:
    assert sorted(zhclean.__all__) == [
        "Article", "Change", "DecodeError", "InputError", "Repaired", "ScriptInfo",
        "UsageError", "ZhcleanError", "__version__", "apply_changes", "decode", "detect_script",
        "page", "repair",
    ]
    for name in zhclean.__all__:
        assert hasattr(zhclean, name), name


def test_errors_share_one_base() -> None:
    for name in ("DecodeError", "InputError", "UsageError"):
        assert issubclass(getattr(zhclean, name), zhclean.ZhcleanError)


def test_unknown_script_target_is_a_usage_error() -> None:
    with pytest.raises(zhclean.UsageError, match="auto, keep, hans, hant"):
        zhclean.repair("文字", script="simplified")  # type: ignore[arg-type]


def test_result_shape() -> None:
    result = zhclean.repair("企業(yè)")
    assert result.script.to_dict()["output"] == "hans"
    assert result.changes[0].to_dict() == {
        "step": "pinyin_glue", "reason": "reading-glued-to-character",
        "start": 2, "end": 6, "before": "(yè)", "after": "",
    }
