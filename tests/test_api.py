"""The public API is small and deliberate: ``__all__`` is the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

import zhclean


def test_public_names() -> None:
    assert sorted(zhclean.__all__) == [
        "Article", "Change", "DecodeError", "DedupSettings", "Fields", "FilterConfig",
        "InputError", "Options", "Repaired", "RunConfig", "ScriptInfo", "SiteChromeSettings",
        "UsageError", "ZhcleanError", "__version__", "apply_changes", "datasets_map", "decode",
        "detect_script", "page", "repair", "run",
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


def test_run_cleans_a_corpus_from_python(tmp_path: Path) -> None:
    """``zhclean.run`` takes the inputs, the output and a configuration; a stage's
    settings are the same dataclass a recipe table fills."""
    import corpus

    from zhclean.stages import stage_settings

    (tmp_path / "in").mkdir()
    for n in range(3):
        (tmp_path / "in" / f"{n}.txt").write_text(corpus.article(n), encoding="utf-8")
    config = zhclean.RunConfig((), Path(), workers=1, format="jsonl", progress=False,
                               stages=stage_settings({"dedup": {"threshold": 0.9}}))
    manifest = zhclean.run([tmp_path / "in"], tmp_path / "out", config)
    assert (manifest["read"], manifest["kept"]) == (3, 3)
    assert manifest["dedup"]["threshold"] == 0.9 and manifest["dedup"]["records"] == 3
    assert manifest["config"]["stages"]["dedup"] == {"threshold": 0.9, "containment": 0.75}
