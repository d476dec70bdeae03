"""Character classes shared by the repairs (as regex fragments)."""

from __future__ import annotations

# CJK ideographs: Extension A, the unified block, compatibility ideographs, and the
# supplementary planes (Extensions B-H).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Han plus the CJK punctuation and full-width forms that sit inside Chinese prose.
CJK = HAN + "\u3000-\u303f\uff01-\uff60\u2014\u2026\u201c\u201d\u2018\u2019"
