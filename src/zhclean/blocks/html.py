"""HTML pages: block-level elements with their DOM evidence, and the main content.

Each run of text under one block-level element (``<p>``, ``<div>``, ``<li>``, a ``<br>``
break) becomes a block carrying its tag, the class and id words around it, how much of
it is link text, and its chain of ancestors. The main-content container is the element
whose blocks add up to the most prose: a maximum-subtree-sum over the DOM, where prose
counts for an element and link lists, short chrome and blocks under class names such as
``recommend`` or ``comment`` count against it. Scripts, styles and other non-text never reach text.

>>> page = html_blocks("<title>标题 - 某网</title><div class=nav><a href=/>首页</a></div>"
...                    "<div class=content><p>第一段正文，内容很长很长很长。</p>"
...                    "<p>第二段。</p></div>")
>>> [(b.text, b.inside) for b in page.blocks]
[('首页', False), ('第一段正文，内容很长很长很长。', True), ('第二段。', True)]
>>> page.meta["title"]
'标题'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..meta.dates import parse_date
from ..repair._chars import HAN
from . import Block
from .container import choose_by_totals, choose_container, dom_tree, mark_inside, subtree_totals

__all__ = ["HtmlPage", "html_blocks"]

_SKIP = ["script", "style", "noscript", "template", "iframe", "svg", "math", "select",
         "option", "button", "textarea", "input", "canvas", "video", "audio", "object",
         "embed", "head"]
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2",
    "h3", "h4", "h5", "h6", "table", "tbody", "tr", "td", "th", "blockquote", "pre", "header",
    "footer", "nav", "aside", "figure", "figcaption", "center", "form", "body", "html",
    "address", "fieldset", "legend", "caption", "details", "summary", "hr",
})
# Below this much prose (about two sentences) a page is a list or a stub, not an article.
PROSE_MINIMUM = 40.0
# A region holding three times the prose of the one the class names chose is the article
# (a design choice, not fitted: "far larger" should not hinge on a few sentences).
FAR_LARGER = 3.0
_MAX_CHAIN = 40  # ancestors considered as containers; deeper nesting is not an article
_HAN = re.compile(f"[{HAN}]")
_SENTENCE = re.compile(r"[。！？!?；;，,]")
_SPACE = re.compile(r"\s+")
_TITLE_SPLIT = re.compile(r"\s+[-|｜—–]\s+|\s*[_|｜]\s*")  # 标题 - 某网, 标题_某网
# Class and id names are read word by word (``u-header-sticky`` is u, header, sticky;
# ``RichContent`` is rich, content), never as substrings: ``read-article`` holds no
# ``ad-`` and ``copyrightRichText`` is no copyright notice. A word counts at the start
# or end of a compound too (``navbar``, ``topnav``, ``hotnews``).
_CHROME_WORDS = ("nav", "menu", "footer", "header", "sidebar", "comment", "comments", "share",
                 "related", "recommend", "reply", "replies", "breadcrumb", "breadcrumbs",
                 "copyright", "login",
                 "banner", "ad", "ads", "advert", "hot", "rank", "ranking", "tag", "tags",
                 "popup", "modal", "dialog", "toolbar", "tool", "tools", "pay", "report",
                 "profile", "ambox", "navbox")
_CHROME_TAGS = frozenset({"aside", "nav", "footer"})
_COMMENT_WORDS = frozenset({"comment", "comments", "reply", "replies"})
_CONTENT_WORDS = ("article", "content", "detail", "post", "entry", "main", "text", "body")
_UTILITY = ("u-", "is-", "has-", "js-", "l-")
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_META_DATE = ("article:published_time", "pubdate", "publishdate", "publish_date", "pubtime",
              "og:release_date", "datepublished", "date", "dc.date", "dc.date.issued")


@dataclass(slots=True)
class HtmlPage:
    blocks: list[Block]
    meta: dict[str, str] = field(default_factory=dict)
    prose: bool = True  # False: no prose anywhere, the container holds a list or a stub
    thread: bool = False  # the container is a comments page's or a forum thread's posts


def html_blocks(html: str) -> HtmlPage:
    """Cut an HTML page into blocks and mark those inside the main content."""
    parser = LexborHTMLParser(html)
    meta = _meta(parser)
    parser.strip_tags(_SKIP)
    root = parser.body or parser.root
    if root is None:
        return HtmlPage([], meta)
    blocks, elements = _collect(root)
    tree = dom_tree(blocks)
    totals = subtree_totals(blocks, _score, tree)
    best = choose_by_totals(blocks, totals, tree, minimum=PROSE_MINIMUM)
    prose = best is not None
    if best is not None and (posts := _posts_around(elements, totals, best)) is not None:
        mark_inside(blocks, posts)
        return HtmlPage(blocks, meta, True, thread=True)
    chosen = _text_inside(blocks) if prose else 0.0  # nothing chosen: nothing inside
    named_choice = [b.inside for b in blocks]
    # The names chose a region far smaller than the page's largest prose: on a comments
    # page or a forum thread the posts *are* the article, under names like comment-item.
    # Choose again with comments counted as text (other chrome still counts against).
    if choose_container(blocks, _thread_score, tree, minimum=PROSE_MINIMUM) is not None and (
            _text_inside(blocks) > FAR_LARGER * chosen + PROSE_MINIMUM):
        return HtmlPage(blocks, meta, True, thread=True)
    for block, inside in zip(blocks, named_choice, strict=True):  # the first choice stands
        block.inside = inside
    if not prose:
        choose_container(blocks, _plain_score, tree)
    return HtmlPage(blocks, meta, prose)


_POST_LEVELS = 6  # how far above the container a list of posts is looked for
# The elements a post is made of; paragraphs beside paragraphs are one post's text.
_ITEMS = frozenset({"div", "li", "article", "section", "tr", "td", "dl", "dd", "table"})


def _posts_around(elements: dict[int, LexborNode], totals: dict[int, float], chosen: int
                  ) -> int | None:
    """The list of posts the chosen container is one of, when it is one: climbing from
    the container, an ancestor with a sibling of the same template (tag and class) whose
    blocks argue for themselves as the container did (a forum's replies, a thread's
    posts beside the question) is an item of the list, and the list is the article.
    ``totals`` are the elements' sums of :func:`_score`."""
    node: LexborNode | None = elements[chosen]
    found = None
    for _ in range(_POST_LEVELS):
        if node is None or node.parent is None:
            break
        parent = node.parent
        template = (node.tag, node.attributes.get("class"))
        if node.tag in _ITEMS and any(
                other.mem_id != node.mem_id and totals.get(other.mem_id, 0.0) > 0
                and (other.tag, other.attributes.get("class")) == template
                for other in parent.iter()):
            found = parent.mem_id
        node = parent
    return found


def _text_inside(blocks: list[Block]) -> float:
    """The text the chosen container holds, as a thread counts it (names aside but for
    chrome's, a comment's words whatever their punctuation)."""
    return sum(max(0.0, _thread_score(b)) for b in blocks if b.inside)


def _collect(root: LexborNode) -> tuple[list[Block], dict[int, LexborNode]]:
    """The blocks, and the elements of their chains by id."""
    blocks: list[Block] = []
    elements = _Elements()
    info: dict[int, tuple[LexborNode, bool]] = {}  # node -> (its block element, in a link)
    parts: list[str] = []
    links = 0
    owner: LexborNode | None = None

    def flush() -> None:
        nonlocal parts, links
        text = _SPACE.sub(" ", "".join(parts)).strip()
        if text and owner is not None:
            chain = elements.chain(owner)
            near = [elements.said[element] for element in chain[:_NEAR]]
            blocks.append(Block(text, len(blocks), tag=owner.tag or "",
                                attrs=" ".join(n.names for n in near if n.names),
                                named=_named(near), link_chars=min(links, len(text)),
                                path="<".join(n.template for n in near[:_PATH]),
                                depth=len(chain), chain=chain))
        parts, links = [], 0

    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "-text":
            parent = node.parent
            if parent is None:
                continue
            element, in_link = _block_of(parent, info)
            if owner is None or element.mem_id != owner.mem_id:
                flush()
                owner = element
            text = node.text_content or ""
            parts.append(text)
            if in_link:
                links += len(text.strip())
        elif tag == "br" or tag in _BLOCK:
            flush()
            owner = None
    flush()
    return blocks, elements.nodes


def _block_of(
    node: LexborNode, info: dict[int, tuple[LexborNode, bool]]
) -> tuple[LexborNode, bool]:
    """The nearest block-level element around ``node``, and whether a link is between."""
    path: list[LexborNode] = []
    current: LexborNode | None = node
    while current is not None and current.mem_id not in info and current.tag not in _BLOCK:
        path.append(current)
        current = current.parent
    if current is None:
        base: tuple[LexborNode, bool] = (node, False)
    elif current.mem_id in info:
        base = info[current.mem_id]
    else:
        base = (current, current.tag == "a")
        info[current.mem_id] = base
    element, in_link = base
    for step in reversed(path):
        in_link = in_link or step.tag == "a"
        info[step.mem_id] = (element, in_link)
    return element, in_link


_NEAR = 6  # the ancestors whose names describe a block
_PATH = 3  # the ancestors of a block's template path


@dataclass(frozen=True, slots=True)
class _Said:
    """What one element says of itself: its template step (``li.post``), its class and
    id words (lower case), and what its names call it (:func:`_says`)."""

    template: str
    names: str
    kind: str


class _Elements:
    """A page's elements, each read once: its chain of ancestors (innermost first, at
    most ``_MAX_CHAIN``) and what it says; blocks share most of their ancestors."""

    def __init__(self) -> None:
        self.nodes: dict[int, LexborNode] = {}
        self.chains: dict[int, tuple[int, ...]] = {}
        self.said: dict[int, _Said] = {}

    def chain(self, element: LexborNode) -> tuple[int, ...]:
        unread: list[LexborNode] = []
        current: LexborNode | None = element
        while current is not None and current.mem_id not in self.chains:
            unread.append(current)
            current = current.parent
        above = self.chains[current.mem_id] if current is not None else ()
        for node in reversed(unread):
            above = (node.mem_id, *above[:_MAX_CHAIN - 1])
            self.chains[node.mem_id] = above
            self.nodes[node.mem_id] = node
            self.said[node.mem_id] = _said(node)
        return self.chains[element.mem_id]


def _said(node: LexborNode) -> _Said:
    attributes = node.attributes
    classes, ids = attributes.get("class") or "", attributes.get("id") or ""
    tag = node.tag or ""
    template = ".".join([tag, *classes.split()[:1]])
    names = " ".join(w for w in (classes, ids) if w).lower()
    if tag in _CHROME_TAGS:  # the page's own word for a sidebar, a menu, a foot
        return _Said(template, names, "chrome")
    said = {_says(name) for name in classes.split() + ids.split()
            if not name.lower().startswith(_UTILITY)}
    kind = next((k for k in ("chrome", "comment", "content") if k in said), "")
    return _Said(template, names, kind)


@lru_cache(maxsize=65536)  # a template repeats its few class names on every block
def _says(name: str) -> str:
    """What one class (or id) name says: ``chrome``, ``comment`` (user posts, chrome
    under an article but the content of a comments page), ``content`` or nothing.

    Each part between separators is read on its own, and any chrome part makes the name
    chrome (``comment-content`` is a comment's text). A part in camel case is a compound
    whose last word is its head: ``CopyrightRichText`` is rich text (content), while
    ``commentList`` and ``copyRight`` are chrome.

    >>> [_says(n) for n in ("u-header-sticky", "article-content", "comment-content",
    ...                     "read-article-holder", "topnav", "copyRight", "css-1x2",
    ...                     "CopyrightRichText-richText", "commentList")]
    ['chrome', 'content', 'comment', 'content', 'chrome', 'chrome', '', 'content', 'comment']
    """
    said = ""
    for part in name.replace("_", "-").split("-"):
        words = [w.lower() for w in _NAME_WORD.findall(part)]
        whole = part.lower()
        if whole in _CHROME_WORDS or _compound_chrome(whole):
            return _kind(whole)
        if len(words) > 1 and words[-1] in _CONTENT_WORDS:
            said = "content"  # a compound headed by a content word
        elif chrome := next((w for w in words if w in _CHROME_WORDS or _compound_chrome(w)),
                            None):
            return _kind(chrome)
        elif any(w in _CONTENT_WORDS for w in words):
            said = "content"
    return said


def _kind(word: str) -> str:
    """``comment`` for the words of user posts (a comments page's content), else chrome."""
    return "comment" if word in _COMMENT_WORDS else "chrome"


# Chrome words glued to an affix in one word: navbar, topnav, hotnews, sidemenu, adbox.
_GLUED = re.compile(r"(?:top|sub|side|main|page|site)?(?:nav|menu|hot|rank|share|ad|tag)"
                    r"(?:bar|list|box|news|area|wrap)?")


def _compound_chrome(word: str) -> bool:
    return len(word) > 3 and bool(_GLUED.fullmatch(word))


def _named(near: list[_Said]) -> str:
    """What the names of the block's element and its near ancestors (up to six) call it:
    ``chrome`` or ``comment`` when the nearest that names a part says so (a teaser's
    ``content-blog`` inside a ``recommend-item-box`` is still a teaser), else
    ``content`` when any names the article, else nothing. Utility classes, which state a
    layout rather than name a part (``u-header-sticky``, ``is-nav-open``,
    ``has-sidebar``), say nothing: they sit on page-wide wrappers around the article."""
    found = ""
    for said in near:
        if said.kind in ("chrome", "comment"):
            return said.kind
        if said.kind == "content":
            found = "content"
    return found


def _unnamed_score(block: Block) -> float:
    """:func:`_score` without what class names say: prose for, links and chrome-like
    shortness against."""
    links = block.link_density
    if _SENTENCE.search(block.text) and links < 0.5:
        return _size(block) * (1 - links) ** 2
    return -0.5 * _size(block) * (0.5 + links)


def _size(block: Block) -> float:
    """How much a block says: its Han characters, or a third of its length without."""
    return len(_HAN.findall(block.text)) or len(block.text) / 3


def _thread_score(block: Block) -> float:
    """:func:`_score` for a comments page or a forum thread, whose posts are its text:
    only names of other chrome (nav, related, footer) count against a block, and a
    comment's own words count for it whatever their punctuation (replies are short:
    哈哈, 元旦快乐), if only a little: a blog's comments must not outweigh its post."""
    score = _unnamed_score(block)
    if block.named == "chrome":
        return -abs(score) - 5
    if block.named == "comment" and block.link_density < 0.5:
        return abs(score)
    return score


def _score(block: Block) -> float:
    """How much a block argues for the container it sits in."""
    score = _unnamed_score(block)
    if block.named in ("chrome", "comment"):  # a teaser under "recommend", a comment
        score = -abs(score) - 5
    return score


def _plain_score(block: Block) -> float:
    """For pages without prose (a table of contents, a stub): plain text counts, links
    and chrome do not."""
    if block.named in ("chrome", "comment") or block.link_density >= 0.3:
        return -float(len(block.text))
    # Without prose to go by, the template's own name for its article is the best clue.
    return len(block.text) * (3.0 if block.named == "content" else 1.0)


def _meta(parser: LexborHTMLParser) -> dict[str, str]:
    meta: dict[str, str] = {}
    for node in parser.css("meta"):
        attributes = node.attributes
        key = (attributes.get("property") or attributes.get("name")
               or attributes.get("itemprop") or "").lower()
        value = (attributes.get("content") or "").strip()
        if not key or not value:
            continue
        if key in _META_DATE and "published" not in meta and (found := parse_date(value)):
            meta["published"] = found
        elif key in ("og:site_name", "application-name") and "site" not in meta:
            meta["site"] = value
        elif key == "author" and "author" not in meta:
            meta["author"] = value
        elif key in ("keywords", "news_keywords") and "keywords" not in meta:
            meta["keywords"] = value
        elif key == "og:title" and "og_title" not in meta:
            meta["og_title"] = value
    title_node = parser.css_first("title")
    title = meta.pop("og_title", None) or (title_node.text(strip=True) if title_node else "")
    if title:
        parts = [p for p in _TITLE_SPLIT.split(title) if p]
        meta["title"] = max(parts, key=len) if parts else title
    return meta
