"""The site a page belongs to: the name it prints in its byline or metadata, or else its
url's host.

>>> site_of("https://WWW.Example.com/news/1.html"), site_of("site.example.cn/a"), site_of(None)
('example.com', 'site.example.cn', None)
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["site_of"]


def site_of(url: str | None) -> str | None:
    """The host a url belongs to, without ``www.`` (a url without a scheme works too)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or urlsplit("//" + url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None
