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


def _words(b: Block) -> int:
    return len(_text(b).split())


def _text(b: Block) -> str:
    """Lower-cased: the family patterns are lower-case, and case-blind matching is 3x slower."""
    return ("\n".join(b.items) if b.type == "list" else b.text).lower()


def _is_strong(b: Block, limit: int = 70) -> bool:
    if b.type == "figure" or _words(b) > limit:
        return False
    text = _text(b)
    return bool(_WEAK.search(text)) and bool(_STRONG.search(text))


def _is_weak(b: Block) -> bool:
    return b.type != "figure" and _words(b) <= 45 and bool(_WEAK.search(_text(b)))


def remove_boilerplate(blocks: list[Block], densities: Sequence[float | None]) -> list[Block]:
    """The blocks minus boilerplate; `densities` gives each block's source link density (it may
    compute them on demand: only short blocks and those under a "Related" heading ask)."""
    n = len(blocks)
    drop = [False] * n
    for i, b in enumerate(blocks):
        if _is_strong(b):
            drop[i] = True
        elif b.type in ("paragraph", "list") and _words(b) <= 25 and _WEAK.search(_text(b)) \
                and (_density(densities, i) or 0) > 0.6:
            # "Read more: <link>" lines and lists of links to other stories
            drop[i] = b.type == "paragraph" or all(len(x.split()) <= 15 for x in b.items)
    _grow_runs(blocks, drop, densities)
    _drop_related_sections(blocks, drop, densities)
    _trim_edges(blocks, drop)
    return [b for b, d in zip(blocks, drop) if not d]


def _grow_runs(blocks: list[Block], drop: list[bool], densities) -> None:
    """An appeal box is a run: a dropped block's neighbour goes too when it is short and carries
    strong evidence of the same families (several of their terms, or mostly links).

    One common word ("share", "contribute", "give") is not evidence: body text next to a
    "Read more:" line uses them all the time.
    """
    changed = True
    while changed:
        changed = False
        for i, b in enumerate(blocks):
            if drop[i] or b.type == "figure" or _words(b) > 35:
                continue
            near = (i > 0 and drop[i - 1]) or (i + 1 < len(blocks) and drop[i + 1])
            if near and _run_evidence(b, densities, i):
                drop[i] = changed = True


def _density(densities: Sequence[float | None], i: int) -> float | None:
    return densities[i] if i < len(densities) else None


def _run_evidence(b: Block, densities: Sequence[float | None], i: int) -> bool:
    text = _text(b)
    terms = set(_WEAK.findall(text))
    if not terms:
        return False
    if (_density(densities, i) or 0) > 0.5:
        return True
    specific = len(_SPECIFIC.findall(text))
    return specific >= 1 and (len(terms) >= 2 or _words(b) <= 6)


def _drop_related_sections(blocks: list[Block], drop: list[bool], densities) -> None:
    """A "Related stories" heading takes the lists and link lines under it along."""
    for i, b in enumerate(blocks):
        if b.type != "heading" or not _RELATED_HEADING.match(b.text) or len(b.text.split()) > 8:
            continue
        drop[i] = True
        for j in range(i + 1, len(blocks)):
            nxt = blocks[j]
            linky = (_density(densities, j) or 0) > 0.5
            if nxt.type == "heading" or not (nxt.type == "list" or linky or _words(nxt) <= 12):
                break
            drop[j] = True


def _trim_edges(blocks: list[Block], drop: list[bool]) -> None:
    """At the very start or end of the text, a short weak hit is enough."""
    kept = [i for i, d in enumerate(drop) if not d]
    for i in reversed(kept):
        if blocks[i].type == "figure":
            continue
        if blocks[i].type == "heading" or (_is_weak(blocks[i]) and _words(blocks[i]) <= 25):
            drop[i] = True
        else:
            break
    for i in kept:
        if blocks[i].type in ("figure", "heading"):
            continue
        if _is_weak(blocks[i]) and _words(blocks[i]) <= 12:
            drop[i] = True
        else:
            break
