"""Quality filters on whole pages: what is kept, what is rejected, and why."""

from __future__ import annotations

from pathlib import Path

from zhclean import Article, page
from zhclean.filters import FilterConfig, check

# Per-character pinyin, the way a poem page for children prints it: every syllable is a
# reading of the character before it, so repair keeps them all.
ANNOTATED_POEM = """登鹳雀楼
白(bái)日(rì)依(yī)山(shān)尽(jìn)，黄(huáng)河(hé)入(rù)海(hǎi)流(liú)。
欲(yù)穷(qióng)千(qiān)里(lǐ)目(mù)，更(gèng)上(shàng)一(yī)层(céng)楼(lóu)。
"""

LATIN_PAGE = """Weekly notes
The committee met on Tuesday and agreed the budget for the coming year, with more for repairs.
Members asked for a report on the new library before the next meeting in the spring.
会议纪要。
"""


def read_page(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Article:
    """Write the page to a file and read it back as bytes, as the run does."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return page(path.read_bytes())


def test_a_poem_with_per_character_pinyin_is_kept(tmp_path: Path) -> None:
    record = read_page(tmp_path, "poem.txt", ANNOTATED_POEM, "gb18030")
    assert "白(bái)日(rì)" in record.text  # the annotations are kept, as DESIGN.md requires
    assert check(record, FilterConfig()) is None


def test_a_page_of_mostly_latin_text_is_still_low_cjk(tmp_path: Path) -> None:
    record = read_page(tmp_path, "latin.txt", LATIN_PAGE)
    verdict = check(record, FilterConfig())
    assert verdict is not None and verdict[0] == "low_cjk", verdict


def test_only_readings_of_the_character_before_are_set_aside() -> None:
    # Latin words in parentheses after Chinese characters are not readings: they count.
    text = "本段(The committee met on Tuesday)说明(and agreed the budget for the year)。"
    verdict = check(page(text), FilterConfig(min_chars=10))
    assert verdict is not None and verdict[0] == "low_cjk", verdict
    # the same page with readings in the parentheses is Chinese
    assert check(page("本(běn)段(duàn)说(shuō)明(míng)了(le)会(huì)议(yì)的(de)安(ān)排(pái)。"),
                 FilterConfig(min_chars=10)) is None


def test_a_few_undecodable_bytes_do_not_reject_a_page(tmp_path: Path) -> None:
    """Three stray bytes in a short GB18030 page become U+FFFD: counted, not 'garbled'.
    A page whose text is mostly U+FFFD the decoder made is still rejected."""
    from conftest import paragraphs

    prose = paragraphs("simplified.txt")
    text = "新闻标题在这里\n" + prose[0] + "\n" + prose[1] + "\n"
    pieces = [text[:30], text[30:60], text[60:90], text[90:]]  # a stray byte between each
    article = page(b"\xff".join(piece.encode("gb18030") for piece in pieces))
    assert article.decode_errors == 3 and len(article.paragraphs) == 2
    assert check(article, FilterConfig()) is None
    holes = "".join("\ufffd" if k % 5 == 4 else c for k, c in enumerate(prose[2] + prose[3]))
    mangled = page("新闻标题在这里\n" + holes)
    assert check(mangled, FilterConfig()) is not None  # U+FFFD in the text itself: garbled
    assert check(mangled, FilterConfig())[0] == "garbled"
    mangled.decode_errors = holes.count("\ufffd")  # ... and so when the decoder made them
    assert check(mangled, FilterConfig()) == (
        "garbled", "19.4% of characters are undecodable bytes")
