"""Bytes in the encodings Chinese pages come in decode to the same text."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from conftest import paragraphs
from test_seed import run_cli

import zhclean
from zhclean import DecodeError, UsageError, decode
from zhclean.io.encoding import decode_report
from zhclean.io.records import RawRecord
from zhclean.process import Options, process

SIMPLIFIED = "\n".join(paragraphs("simplified.txt")[:5])
TRADITIONAL = "\n".join(paragraphs("taiwan_news.txt") + paragraphs("hongkong_news.txt"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                      "gb18030", "gbk"])
def test_simplified(encoding: str) -> None:
    assert decode(SIMPLIFIED.encode(encoding)) == SIMPLIFIED


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "big5hkscs",
                                      "gb18030"])
def test_traditional(encoding: str) -> None:
    assert decode(TRADITIONAL.encode(encoding)) == TRADITIONAL


def test_short_big5_and_gbk_are_told_apart() -> None:
    assert decode("企業新聞".encode("big5")) == "企業新聞"
    assert decode("企业新闻".encode("gbk")) == "企业新闻"


def test_declared_charset_is_tried_first_and_widened() -> None:
    data = "镕".encode("gbk")  # only in the GBK superset of GB2312
    assert decode(data, hint="gb2312") == "镕"
    assert decode("企業".encode("big5"), hint="no-such-charset") == "企業"


def test_undecodable_bytes_raise_a_clear_error() -> None:
    with pytest.raises(DecodeError, match="--encoding"):
        decode(b"\x81\xff\x81\xff\xfe\x80\x80\xa0\xff")


def test_html_meta_charset_is_honoured() -> None:
    # Big5 bytes that GB18030 would also accept: the page's declaration settles it.
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">'
    data = (page + "<p>東京都</p>").encode("big5")
    assert "東京都" in decode(data)


# --- a few bad bytes never lose a page (issue 8, item 2) -------------------------------

def _cut(data: bytes, count: int, codec: str) -> bytes:
    """``data`` with ``count`` multi-byte characters cut short, spread over it: the lead
    byte is kept and the rest dropped. As on the real pages of news-zh-2, the character
    cut is one before ASCII (a space, a line end), so GBK falls back into step after it."""
    text = data.decode(codec)
    wide = [i for i, char in enumerate(text[:-1]) if ord(char) > 0x7F > ord(text[i + 1])]
    cut = {wide[len(wide) * (k + 1) // (count + 1)] for k in range(count)}
    return b"".join(char.encode(codec)[:1] if i in cut else char.encode(codec)
                    for i, char in enumerate(text))


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_utf8_with_a_few_bad_bytes_stays_utf8(count: int) -> None:
    data = _cut(SIMPLIFIED.encode("utf-8"), count, "utf-8")
    for sample in (data, data + b"x"):  # even and odd lengths: UTF-16 took even ones
        result = decode_report(sample)
        assert (result.encoding, result.errors) == ("utf-8", count)
        assert result.text == sample.decode("utf-8", "replace")


def test_gb2312_page_with_two_bad_bytes_in_50_kb() -> None:
    body = "\n".join([SIMPLIFIED] * (50_000 // len(SIMPLIFIED.encode("gbk")) + 1))
    page = "<html><head><meta charset=gb2312><title>新闻</title></head><body>" + body
    data = _cut(page.encode("gbk"), 2, "gbk")
    assert len(data) > 50_000
    for hint in (None, "gb2312"):
        result = decode_report(data, hint=hint)
        assert (result.encoding, result.errors) == ("gb18030", 2)
        assert result.text == data.decode("gb18030", "replace")
    assert decode(data).count("\ufffd") == 2


def _undecodable_pages(shared: Path) -> list[Path]:
    """Pages of news-zh-2 that neither strict UTF-8 nor strict GB18030 decodes."""
    found = []
    for path in sorted((shared / "bench" / "news-zh-2" / "pages").iterdir()):
        data = path.read_bytes()
        for codec in ("utf-8", "gb18030"):
            try:
                data.decode(codec)
                break
            except UnicodeDecodeError:
                continue
        else:
            found.append(path)
    return found


def test_real_gb_pages_with_invalid_bytes_decode_with_the_count(shared: Path) -> None:
    pages = _undecodable_pages(shared)
    assert pages, "news-zh-2 holds pages with a few invalid bytes"
    for path in pages:
        data = path.read_bytes()
        result = decode_report(data)
        assert result.encoding == "gb18030", path.name
        assert 0 < result.errors < len(data) / 1000, path.name  # a few, not mostly
        assert result.text == data.decode("gb18030", "replace")
        article = zhclean.page(data)
        assert article.paragraphs, path.name
        assert (article.decode_errors, article.encoding) == (result.errors, "gb18030")


def test_real_pages_decode_as_their_strict_encoding(shared: Path) -> None:
    """Every bench page that one encoding decodes strictly is read in that one."""
    for folder in ("news-zh-2", "html-zh", "forum-zh"):
        for path in sorted((shared / "bench" / folder / "pages").iterdir()):
            data = path.read_bytes()
            for codec in ("utf-8", "gb18030"):
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    continue
                assert decode_report(data) == (text, codec, 0), path.name
                break


BIG5_PAGE = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
             "<title>新聞</title></head><body><p>" + TRADITIONAL + "</p></body></html>")


def test_big5_labelled_gb2312_is_read_as_big5() -> None:
    data = BIG5_PAGE.encode("big5hkscs")
    assert data.decode("gb18030")  # the wrong label decodes: only plausibility tells
    assert decode_report(data) == (BIG5_PAGE, "big5hkscs", 0)
    bare = TRADITIONAL.encode("big5hkscs")
    assert decode_report(bare, hint="gb2312") == (TRADITIONAL, "big5hkscs", 0)


def test_a_right_declaration_still_wins() -> None:
    gb = BIG5_PAGE.replace(TRADITIONAL, SIMPLIFIED)
    assert decode_report(gb.encode("gbk")) == (gb, "gb18030", 0)
    big5 = BIG5_PAGE.replace("gb2312", "big5")
    assert decode_report(big5.encode("big5hkscs")) == (big5, "big5hkscs", 0)
    # Valid UTF-8 keeps a stale <meta charset=gb2312> from before it was re-encoded.
    assert decode_report(gb.encode("utf-8")) == (gb, "utf-8", 0)


# Per-character pinyin as a children's poem page prints it: GB18030 keeps the tone
# letters in a row that Big5 reads as common characters.
PINYIN_POEM = ("静夜思\n床(chuáng)前(qián)明(míng)月(yuè)光(guāng)，"
               "疑(yí)是(shì)地(dì)上(shàng)霜(shuāng)。\n举(jǔ)头(tóu)望(wàng)明(míng)月(yuè)，"
               "低(dī)头(tóu)思(sī)故(gù)乡(xiāng)。\n")


def test_pinyin_tone_letters_do_not_make_gb_look_like_big5() -> None:
    data = PINYIN_POEM.encode("gb18030")
    assert "\ufffd" not in data.decode("big5hkscs", "replace")  # Big5 reads it cleanly
    assert decode_report(data) == (PINYIN_POEM, "gb18030", 0)


def test_explicit_encoding_is_obeyed_and_counts_bad_bytes() -> None:
    gbk = "中文".encode("gbk")
    assert decode_report(gbk, encoding="utf-8") == ("\ufffd" * 4, "utf-8", 4)
    utf8 = SIMPLIFIED.encode("utf-8")
    forced = decode_report(utf8, encoding="gbk")  # mojibake, but what was asked for
    assert forced.encoding == "gb18030" and forced.text == utf8.decode("gb18030", "replace")
    assert decode_report(codecs.BOM_UTF8 + utf8, encoding="utf8").text == SIMPLIFIED
    for order in ("utf-16-le", "utf-16-be"):  # no BOM: the byte order is read from the bytes
        assert decode_report(SIMPLIFIED.encode(order), encoding="utf-16").text == SIMPLIFIED
    for bogus in ("no-such-charset", "base64"):
        with pytest.raises(UsageError, match="unknown encoding"):
            decode_report(b"x", encoding=bogus)


def test_replacement_characters_in_the_text_are_not_errors() -> None:
    text = "原文已有\ufffd乱码，" + SIMPLIFIED
    for codec in ("utf-8", "gb18030"):
        data = text.encode(codec) + b"\xff"
        assert decode_report(data)[1:] == (codec, 1)


def test_a_lying_utf8_bom_does_not_shift_the_gbk_that_follows() -> None:
    data = codecs.BOM_UTF8 + SIMPLIFIED.encode("gbk")
    assert decode_report(data) == (SIMPLIFIED, "gb18030", 0)


def test_mostly_undecodable_bytes_fail_but_stray_bytes_in_ascii_do_not() -> None:
    with pytest.raises(DecodeError, match="64 of 64 non-ASCII"):
        decode_report(b"\x80" * 64)
    english = b"A line of English text, then two stray bytes \xff\xfe, then more. " * 4
    assert decode_report(english)[1:] == ("utf-8", 8)


def test_article_and_process_record_the_decoding() -> None:
    data = _cut(SIMPLIFIED.encode("gbk"), 3, "gbk")
    record = zhclean.page(data).to_dict()
    assert (record["decode_errors"], record["encoding"]) == (3, "gb18030")
    assert list(record)[list(record).index("url") + 1:][:2] == ["decode_errors", "encoding"]
    text = zhclean.page(SIMPLIFIED).to_dict()
    assert (text["decode_errors"], text["encoding"]) == (0, None)
    assert zhclean.page(data, encoding="utf-8").encoding == "utf-8"
    long = _cut("\n".join(paragraphs("simplified.txt")).encode("gbk"), 3, "gbk")  # 0.3%
    kind, row = process(RawRecord("r1", long, None, "gb2312"))
    assert kind == "kept" and (row["decode_errors"], row["encoding"]) == (3, "gb18030")
    kind, row = process(RawRecord("r2", long, None), Options(encoding="utf-8"))
    assert kind == "rejected"  # forced: the text is all U+FFFD, where detection kept it
    kind, row = process(RawRecord("r3", b"\x80" * 64, None))
    assert kind == "failed" and "DecodeError" in row["error"]


def test_cli_obeys_encoding_and_reports_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(_cut(SIMPLIFIED.encode("gbk"), 2, "gbk"))
    done = run_cli("page", str(path))
    assert done.returncode == 0, done.stderr.decode()
    record = json.loads(done.stdout)
    assert (record["decode_errors"], record["encoding"]) == (2, "gb18030")
    forced = json.loads(run_cli("page", "--encoding", "utf-8", str(path)).stdout)
    assert forced["encoding"] == "utf-8" and forced["decode_errors"] > 2
    repaired = run_cli("repair", str(path))
    assert repaired.returncode == 0 and repaired.stdout.decode().count("\ufffd") == 2
    assert b"2 undecodable byte sequences" in repaired.stderr
