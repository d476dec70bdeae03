"""Would a small statistical model label text blocks better than the rules? (issue 9)

An experiment, not part of the package: it labels every line of the development text
pages (the HTML sets flattened by resiliparse and by a tag strip, and ``dev/body_gold``)
as body or not from the gold text, describes each line by features (the rules' own
label and reason, length, punctuation, Chinese function characters, position,
neighbours, repetition), and fits a logistic regression in numpy. It reports, by
cross-validation grouped by site (a held-out fold's sites are never seen in fitting),
each page's bigram F1 of the predicted body beside the rules' (``page().text``) on the
same pages.

``python scripts/block_model_cv.py [--folds 5]``
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import evaluation as ev  # noqa: E402

from zhclean import page  # noqa: E402
from zhclean.blocks.labels import LABELS  # noqa: E402

_HAN = re.compile(r"[\u3400-\u9fff]")
_END = re.compile(r"[。！？!?…]\s*[”’」』）)]?$")
_PUNCT = re.compile(r"[。！？；，、：]")
_FUNCTION = re.compile(r"[的了是在和有也就都而及与着把被这那]")
_LIST = re.compile(r"^\s*(?:[•·●○◆■▪▶►\-–—*+]|\d{1,2}[.、)）])")
_REASONS = ("prose", "short", "heading", "outside the main content", "before the article",
            "after the article", "no prose on the page")


def block_features(blocks: list[dict[str, Any]]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """One row of features per block of a page (``page(..., explain=True).blocks``)."""
    texts = [b["text"] for b in blocks]
    repeats = Counter(texts)
    n = len(blocks)
    rows = []
    for k, block in enumerate(blocks):
        text = block["text"]
        size = max(1, len(text))
        han = len(_HAN.findall(text))
        row = [np.log1p(len(text)), han / size, len(_PUNCT.findall(text)) / size,
               len(_FUNCTION.findall(text)) / max(1, han), float(bool(_END.search(text))),
               float(bool(_LIST.match(text))), sum(c.isdigit() for c in text) / size,
               sum(c.isascii() and c.isalpha() for c in text) / size, k / max(1, n - 1),
               float(repeats[text] > 1)]
        row += [float(block["label"] == label) for label in LABELS]
        row += [float(block["reason"] == reason) for reason in _REASONS]
        for step in (-1, 1):
            other = blocks[k + step] if 0 <= k + step < n else None
            row += [float(other is not None and other["label"] == "body"),
                    float(other is not None and other["reason"] == "prose"),
                    np.log1p(len(other["text"])) if other else 0.0]
        rows.append(row)
    return np.array(rows, dtype=np.float64)


def gold_labels(blocks: list[dict[str, Any]], gold: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """1 for a block whose character bigrams lie mostly in the gold text."""
    reference = ev.bigrams(gold)
    labels = []
    for block in blocks:
        grams = ev.bigrams(block["text"])
        total = sum(grams.values())
        labels.append(float(total >= 3 and sum((grams & reference).values()) / total >= 0.7))
    return np.array(labels)


Array = np.ndarray[Any, Any]


def fit(x: Array, y: Array, l2: float = 1e-2, steps: int = 600) -> tuple[Array, Array, Array]:
    """Logistic regression by gradient descent on standardised features."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    w = np.zeros(z.shape[1] + 1)
    zb = np.hstack([z, np.ones((len(z), 1))])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-zb @ w))
        grad = zb.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0]
        w -= 1.0 * grad
    return w, mean, std


def predict(model: tuple[Array, Array, Array], x: Array) -> Array:
    w, mean, std = model
    zb = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    return np.asarray(1 / (1 + np.exp(-zb @ w)))


def decode(p: Array, keep: float = 0.3) -> list[bool]:
    """The body is one stretch: the span whose blocks' log-odds sum highest (a maximum
    subarray), and in it the blocks the model does not clearly reject."""
    logit = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))
    best, best_span, start, total = -np.inf, (0, -1), 0, 0.0
    for k, value in enumerate(logit):
        if total <= 0:
            start, total = k, 0.0
        total += value
        if total > best:
            best, best_span = total, (start, k)
    return [best_span[0] <= k <= best_span[1] and p[k] >= keep for k in range(len(p))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    pages = []  # (set/form, page, blocks, rules' text)
    for name in ev.HTML_SETS:
        for form in ("resiliparse", "tagstrip"):
            for gold_page, data in ev.pages_of(name, form):
                article = page(data, explain=True)
                pages.append((f"{name}:{form}", gold_page, article.blocks or [], article.text))
    for gold_page, data in ev.pages_of("body_gold"):
        article = page(data, explain=True)
        pages.append(("body_gold", gold_page, article.blocks or [], article.text))
    folds = ev.site_folds(tuple({p.id: p for _, p, _, _ in pages}.values()), args.folds)
    features = [block_features(blocks) if blocks else np.zeros((0, 1))
                for _, _, blocks, _ in pages]
    labels = [gold_labels(blocks, p.content) for _, p, blocks, _ in pages]
    # each block on its own (p >= 0.5), or the body as one stretch (decode)
    scores: dict[str, dict[int, float]] = {"block": {}, "stretch": {}}
    for fold in folds:
        train = [k for k, (_, p, b, _) in enumerate(pages) if p.id not in fold and b]
        model = fit(np.vstack([features[k] for k in train]),
                    np.concatenate([labels[k] for k in train]))
        for k, (_, p, blocks, _) in enumerate(pages):
            if p.id not in fold:
                continue
            prob = predict(model, features[k]) if blocks else np.zeros(0)
            for way, chosen in (("block", list(prob >= 0.5)), ("stretch", decode(prob))):
                text = "\n".join(b["text"] for b, keep in zip(blocks, chosen, strict=True)
                                 if keep)
                scores[way][k] = ev.f1(text, p.content)
    print(f"{'set:form':24} {'pages':>5} {'rules':>7} {'model, per block':>17}"
          f" {'model, one stretch':>19}   (model: CV grouped by site)")
    for group in sorted({g for g, _, _, _ in pages}):
        ks = [k for k, (g, _, _, _) in enumerate(pages) if g == group]
        rules = np.mean([ev.f1(pages[k][3], pages[k][1].content) for k in ks])
        print(f"{group:24} {len(ks):5d} {rules:7.3f}"
              f" {np.mean([scores['block'][k] for k in ks]):17.3f}"
              f" {np.mean([scores['stretch'][k] for k in ks]):19.3f}")


if __name__ == "__main__":
    main()
