"""Write the damaged pages of ``examples/`` from the project's own clean text.

The damage imitates what content farms do: OpenCC s2t conversion, pinyin glued after
Traditional-only characters, SEO symbols, NBSP indents, spaces inside words. Run once
(needs the ``peers`` extra for OpenCC); the output is committed.
"""

from __future__ import annotations

from pathlib import Path

import opencc

from zhclean.repair.damage import glue_pinyin

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

ARTICLE = """阅读 | 订阅
行业动态
绿源科技发布新一代储能系统
储能世界网 来源:绿源科技 2024-03-12 我要评论(0 )
3月12日，绿源科技在杭州发布新一代储能系统。公司总经理表示，随着新能源装机规模不断扩大，储能已经成为电力系统的重要组成部分...
3月12日，绿源科技在杭州发布新一代储能系统。公司总经理表示，随着新能源装机规模不断扩大，储能已经成为电力系统的重要组成部分，企业要着眼长远，着力提升产品的安全性和经济性。
据了解，新系统采用液冷设计，单柜容量提升了三成，能够在零下三十度的低温环境中稳定运行。研发团队花了两年时间，完成了上千次测试。
发布会后，多家电网企业与绿源科技签署了合作协议。业内人士认为，这款产品有望推动储能在工业园区的普及。
转载请注明出处。
储能电池液冷系统新能源
免责声明：本网转载作品的版权归原作者所有，如有侵权请联系我们删除。
网友点评
0相关评论
"""

SEO_PAGE = """茶叶★知识◆大全
  如何★挑选好茶？
很多人喜欢喝茶，但并不知道怎样挑选。首先要看外形，好茶的条索紧结、色泽均匀；其次要闻香气，新茶香气清高，陈茶则香气低沉。
\u3000\u3000冲泡时水温也很重要，绿茶适合用八十度左右的水，红茶和乌龙茶则可以用沸水。使 用 紫砂壶泡乌龙茶，香气更加持久。
★★★★★ 读者推荐
● 绿茶：西湖龙井、碧螺春
● 红茶：祁门红茶、滇红
"""

TAIWAN_PAGE = """臺北市政府今天表示，捷運環狀線北段工程將在明年動工，預計二〇三〇年通車。
市府官員說：「這條路線完成後，新北市民往返臺北的時間可以縮短二十分鐘。」
交通局也提醒民眾，施工期間部分路段將改道，出門前請先上網查詢最新的交通資訊。
"""

POEM_PAGE = """静夜思
床(chuáng)前(qián)明(míng)月(yuè)光(guāng)，疑(yí)是(shì)地(dì)上(shàng)霜(shuāng)。
举(jǔ)头(tóu)望(wàng)明(míng)月(yuè)，低(dī)头(tóu)思(sī)故(gù)乡(xiāng)。
注：亳(bó)州、蚌(bèng)埠(bù)等地名的读音常被弄错。
"""

SHORT_RECORD = "这一条记录太短了，只有一句话。"

ENGLISH_PAGE = """City council approves new budget
The city council approved a new budget on Monday, raising spending on schools and public transport by five percent over last year.
The vote was eleven to two, after a debate that lasted most of the afternoon.
"""


def corpus_files() -> None:
    """A small crawl (WARC, GBK pages) and a JSONL dump, for ``zhclean run`` in the demo."""
    import io
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    s2t = opencc.OpenCC("s2t")
    pages = [ARTICLE, SEO_PAGE, ARTICLE.replace("杭州", "苏州"), "首页 | 新闻\n网友评论\n"]
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n, text in enumerate(pages):
        body = "".join(f"<p>{line}</p>" for line in glue_pinyin(s2t.convert(text)).split("\n"))
        html = f"<html><head><meta charset=gbk></head><body>{body}</body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=gbk")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"http://example.com/news/{n}.html", "response",
            payload=io.BytesIO(html.encode("gbk", "replace")), http_headers=headers))
    (EXAMPLES / "crawl.warc.gz").write_bytes(out.getvalue())
    # The dump shows each outcome of a run: reprints of the pages (kept, marked as
    # duplicates), a record too short to keep, a page that is not Chinese, broken JSON.
    rows = [{"id": f"dump-{n}", "url": f"http://example.org/{n}", "text": text}
            for n, text in enumerate([ARTICLE, POEM_PAGE, TAIWAN_PAGE, SHORT_RECORD,
                                      ENGLISH_PAGE])]
    (EXAMPLES / "dump.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "{broken json\n",
        encoding="utf-8")


def main() -> None:
    farm = glue_pinyin(opencc.OpenCC("s2t").convert(ARTICLE))
    lines = farm.split("\n")
    lines[5:8] = ["\u00a0\u00a0" + line for line in lines[5:8]]  # NBSP indents
    (EXAMPLES / "farm_converted_glue.txt").write_text("\n".join(lines), encoding="utf-8")
    (EXAMPLES / "seo_symbols.txt").write_text(SEO_PAGE, encoding="utf-8")
    (EXAMPLES / "taiwan_native_big5.txt").write_bytes(TAIWAN_PAGE.encode("big5hkscs"))
    (EXAMPLES / "poem_pinyin_gbk.txt").write_bytes(POEM_PAGE.encode("gb18030"))
    corpus_files()


if __name__ == "__main__":
    main()
