"""Bytes in the encodings Chinese pages come in decode to the same text."""

from __future__ import annotations

import pytest
from conftest import paragraphs

from zhclean import DecodeError, decode

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
