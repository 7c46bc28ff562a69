"""Drop the appeals, share prompts, cookie notices and "Related" boxes that survive extraction.

Rules are about shape, not about one site's sentences: a block goes when it is short and speaks
the vocabulary of a family (subscribe, donate, share, cookies, read-more), more readily at the
edges of the article, or when its source element is mostly links. An appeal box is usually a
run of such blocks, so neighbours of a strong hit need only a weak one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tui.models import Block

# Whole phrases that only a call to action uses. All family patterns match lower-cased text.
_STRONG = re.compile(
    r"""
    \b(?:sign(?:ing)?\s+up|subscribe|register)\s+(?:now\s+)?(?:for|to)\s+(?:our|the|my)\b[^.]{0,40}\b(?:newsletter|email|bulletin|digest|briefing)
    | \b(?:get|receive)\s+(?:our|the)\b[^.]{0,30}\bnewsletter
    | \bnewsletter\b[^.]{0,40}\b(?:inbox|sign\s*up|subscribe)\b
    | \bsupport\s+(?:our|independent|quality|local|this)\s+(?:\w+\s+)?(?:journalism|reporting|newsroom|work|site)
    | \bbecome\s+an?\s+(?:patron|member|supporter|subscriber|donor)\b
    | \b(?:donate|give|contribute)\s+(?:now|today|monthly|once)\b | \bmake\s+a\s+(?:donation|contribution)\b
    | \byou\s+could\s+close\s+this\s+page\b | \bpaywall\b[^.]{0,40}\b(?:free|everyone)\b
    | \bshare\s+(?:this|the)\s+(?:article|story|post|page)\b | \bfollow\s+us\s+on\b | \blike\s+us\s+on\s+facebook\b
    | \b(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b | \baccept\s+(?:all\s+)?cookies\b | \bcookie\s+(?:policy|settings|preferences)\b
    | \balready\s+a\s+subscriber\b | \bsubscribe\s+(?:now|today|to\s+continue)\b | \bto\s+continue\s+reading\b
    | \bclick\s+here\s+to\s+(?:subscribe|sign|read|donate|share)\b
    | ^\s*(?:read\s+more|related|see\s+also|also\s+read|read\s+next|more\s+from|recommended|advertisement|sponsored(?:\s+content)?)\s*[:|»›>-]?\s*$
    | ^\s*(?:read\s+more|related(?:\s+\w+)?|see\s+also|also\s+read|read\s+next|more\s+on\s+this)\s*[:|»›>]
    """,
    re.VERBOSE,
)
# Vocabulary of the same families, weak on its own.
_WEAK = re.compile(
    r"\b(?:newsletters?|subscri(?:be|ption|bers?)|sign\s+up|inbox|email\s+address|donat\w+|patrons?"
    r"|patreon|contribut(?:e|ion)|support\s+(?:us|our|independent|quality|local|this)|membership|share|tweet|follow|facebook|twitter"
    r"|instagram|whatsapp|cookies?|privacy|consent|read\s+more|related|advertisement|sponsored"
    r"|journalism|reporting|newsroom|paywall|close\s+this\s+page|continue\s+reading|click\s+here"
    r"|see\s+also|also\s+read|read\s+next|more\s+(?:from|on)|recommended|give|register|patron|member)\b"
)
# The part of that vocabulary that body text rarely uses ("share", "give", "member" it does).
_SPECIFIC = re.compile(
    r"\b(?:newsletters?|subscri(?:be|bing|ption)|sign\s+up|inbox|email\s+address|donat\w+|patreon"
    r"|cookies|paywall|advertisement|sponsored|click\s+here|read\s+(?:more|next)|continue\s+reading"
    r"|tweet|whatsapp|instagram|facebook|twitter)\b"
)
_RELATED_HEADING = re.compile(
    r"^\s*(?:related\b|more\s+(?:on|from|stories|news|about|like\s+this)\b|read\s+(?:more|next)\b"
    r"|you\s+(?:may|might)\s+also|recommended|most\s+(?:read|popular|viewed)|trending|"
    r"(?:top|latest)\s+stories|also\s+(?:read|on)|what\s+to\s+read\s+next|share\s+this|follow\s+us)",
    re.IGNORECASE,
)


def looks_like_appeal(text: str) -> bool:
    """A short call to subscribe, donate, share or read elsewhere (a promo box's caption)."""
    low = text.lower()
    return len(low.split()) <= 70 and bool(_STRONG.search(low))


class _Page:
    """The blocks with their lower-cased text and word counts, each computed once.

    Lower-cased because the family patterns are lower-case: case-blind matching is 3x slower.
    """

    def __init__(self, blocks: list[Block], densities: Sequence[float | None]) -> None:
        self.blocks = blocks
        self.text = [("\n".join(b.items) if b.type == "list" else b.text).lower() for b in blocks]
        self.words = [len(t.split()) for t in self.text]
        self.drop = [False] * len(blocks)
        self._densities = densities
        self._weak: dict[int, bool] = {}

    def weak(self, i: int) -> bool:
        """The block speaks one of the families' vocabulary (at all)."""
        if i not in self._weak:
            self._weak[i] = self.blocks[i].type != "figure" and bool(_WEAK.search(self.text[i]))
        return self._weak[i]

    def strong(self, i: int, limit: int = 70) -> bool:
        return self.words[i] <= limit and self.weak(i) and bool(_STRONG.search(self.text[i]))

    def density(self, i: int) -> float:
        return (self._densities[i] if i < len(self._densities) else None) or 0.0


def remove_boilerplate(blocks: list[Block], densities: Sequence[float | None]) -> list[Block]:
    """The blocks minus boilerplate; `densities` gives each block's source link density (it may
    compute them on demand: only short blocks and those under a "Related" heading ask)."""
    page = _Page(blocks, densities)
    for i, b in enumerate(blocks):
        if page.strong(i):
            page.drop[i] = True
        elif (
            b.type in ("paragraph", "list")
            and page.words[i] <= 25
            and page.weak(i)
            and page.density(i) > 0.6
        ):
            # "Read more: <link>" lines and lists of links to other stories
            page.drop[i] = b.type == "paragraph" or all(len(x.split()) <= 15 for x in b.items)
    _grow_runs(page)
    _drop_related_sections(page)
    _trim_edges(page)
    return [b for b, d in zip(blocks, page.drop, strict=False) if not d]


def _grow_runs(page: _Page) -> None:
    """An appeal box is a run: a dropped block's neighbour goes too when it is short and carries
    strong evidence of the same families (several of their terms, or mostly links).

    One common word ("share", "contribute", "give") is not evidence: body text next to a
    "Read more:" line uses them all the time.
    """
    drop, n = page.drop, len(page.blocks)
    changed = True
    while changed:
        changed = False
        for i in range(n):
            if drop[i] or page.words[i] > 35 or not page.weak(i):
                continue
            near = (i > 0 and drop[i - 1]) or (i + 1 < n and drop[i + 1])
            if near and _run_evidence(page, i):
                drop[i] = changed = True


def _run_evidence(page: _Page, i: int) -> bool:
    if page.density(i) > 0.5:
        return True
    text = page.text[i]
    terms = set(_WEAK.findall(text))
    return bool(_SPECIFIC.search(text)) and (len(terms) >= 2 or page.words[i] <= 6)


def _drop_related_sections(page: _Page) -> None:
    """A "Related stories" heading takes the lists and link lines under it along."""
    blocks, drop = page.blocks, page.drop
    for i, b in enumerate(blocks):
        if b.type != "heading" or not _RELATED_HEADING.match(b.text) or page.words[i] > 8:
            continue
        drop[i] = True
        for j in range(i + 1, len(blocks)):
            nxt = blocks[j]
            if nxt.type == "heading" or not (
                nxt.type == "list" or page.density(j) > 0.5 or page.words[j] <= 12
            ):
                break
            drop[j] = True


def _trim_edges(page: _Page) -> None:
    """At the very start or end of the text, a short weak hit is enough."""
    blocks, drop = page.blocks, page.drop
    kept = [i for i, d in enumerate(drop) if not d]
    for i in reversed(kept):
        if blocks[i].type == "figure":
            continue
        if blocks[i].type == "heading" or (page.words[i] <= 25 and page.weak(i)):
            drop[i] = True
        else:
            break
    for i in kept:
        if blocks[i].type in ("figure", "heading"):
            continue
        if page.words[i] <= 12 and page.weak(i):
            drop[i] = True
        else:
            break
