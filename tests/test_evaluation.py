"""The evaluation gate for article structure, on every development set of ``../shared``
(see ``tests/evaluation.py``): mean and lowest character-bigram F1 per set and per
input form (HTML; flattened by resiliparse; flattened by a tag strip), the text pages of
``dev/body_gold`` with their titles, and author and date on ``news-zh-2``. Each figure
is pinned in ``tests/baseline.json`` with a digest of the data it was measured on.
On text pages (the flattened forms and body_gold) the block model, fitted on these very
pages, overrules the rules: there these figures guard against regressions, and the
results are the site-grouped cross-validation that ``tests/test_block_model.py`` pins.
"""

from __future__ import annotations

import baseline
import evaluation as ev
import pytest

from zhclean import page


@pytest.mark.parametrize("form", ev.FORMS)
@pytest.mark.parametrize("name", ev.HTML_SETS)
def test_main_text_is_no_worse_than_pinned(name: str, form: str) -> None:
    scores = ev.evaluate(lambda data: page(data).text, name, form)
    below = sum(v < 0.5 for v in scores.f1.values())
    print(f"\n{name} {form}: mean {scores.mean:.3f}, lowest {scores.lowest:.3f},"
          f" {below} pages below 0.5, median {scores.median_ms:.1f} ms")
    data = ev.digest(name)
    baseline.check(f"{name}:{form}:f1_mean", round(scores.mean, 3), data)
    baseline.check(f"{name}:{form}:f1_min", round(scores.lowest, 3), data)
    baseline.check(f"{name}:{form}:pages_below_0.5", below, data)


def test_text_pages_body_and_title() -> None:
    pages = ev.body_gold_pages()
    articles = {p.id: page(p.data) for p in pages}
    scores = {p.id: ev.f1(articles[p.id].text, p.content) for p in pages}
    titles = sum((ev.f1(articles[p.id].title or "", p.title) >= 0.9) if p.title
                 else articles[p.id].title is None for p in pages)
    mean = sum(scores.values()) / len(scores)
    print(f"\nbody_gold: mean {mean:.3f}, lowest {min(scores.values()):.3f},"
          f" titles {titles} of {len(pages)}")
    data = ev.digest("body_gold")
    baseline.check("body_gold:f1_mean", round(mean, 3), data)
    baseline.check("body_gold:f1_min", round(min(scores.values()), 3), data)
    baseline.check("body_gold:titles_right", titles, data)


def test_author_and_date_on_varied_news_pages() -> None:
    pages = ev.html_pages("news-zh-2")
    articles = [page(p.data) for p in pages]
    authors = [ev.author_right(a.author, p.author) for a, p in zip(articles, pages, strict=True)
               if p.author]  # pages that show an author: is it found?
    dates = [ev.date_right(a.published, p.date) for a, p in zip(articles, pages, strict=True)
             if p.date]
    invented = sum(bool(a.author) for a, p in zip(articles, pages, strict=True)
                   if p.author == "")  # pages that show none: is one made up?
    dates_invented = sum(bool(a.published) for a, p in zip(articles, pages, strict=True)
                         if p.date == "")
    print(f"\nnews-zh-2: author {sum(authors)} of {len(authors)}, date {sum(dates)} of"
          f" {len(dates)}, authors invented on {invented} pages that show none")
    data = ev.digest("news-zh-2")
    baseline.check("news-zh-2:authors_right", sum(authors), data)
    baseline.check("news-zh-2:dates_right", sum(dates), data)
    baseline.check("news-zh-2:authors_invented", invented, data)
    baseline.check("news-zh-2:dates_invented", dates_invented, data)


def test_folds_keep_each_site_in_one_fold() -> None:
    pages = ev.html_pages("news-zh-2") + ev.body_gold_pages()
    folds = ev.folds_by_site(pages)
    assert sorted(i for fold in folds for i in fold) == list(range(len(pages)))
    fold_of = {i: n for n, fold in enumerate(folds) for i in fold}
    sites: dict[str, set[int]] = {}
    for i, p in enumerate(pages):
        sites.setdefault(p.site, set()).add(fold_of[i])
    assert all(len(f) == 1 for f in sites.values())
    assert len({fold_of[i] for i in range(len(pages))}) > 1  # the sites are spread
