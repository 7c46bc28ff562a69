"""What a headline row shows besides its title, read per page of rows: the other members of
its story, whether a rule hides it, and the river's dek and photo line.

Raw text comes out of here; the UI cleans every field (tui.textclean) before showing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.models import decode_media, feed_photo
from tui.store.glance import CAPTION_CHARS, DEK_CHARS  # noqa: F401 - re-exported
from tui.store.listing import FrontRank, Listing
from tui.store.views import View

if TYPE_CHECKING:  # db.py imports this module
    from tui.store.db import Store


@dataclass(frozen=True)
class RowExtra:
    story: int | None = None
    members: tuple[int, ...] = ()  # the story's other entries in the view, newest first
    sources: tuple[str, ...] = ()  # their sources' names, each once
    hidden: bool = False
    dek: str = ""
    credit: str = ""
    caption: str = ""
    read_before: int = 0  # the story's entries already read (a late entry is a follow-up)


def _feed_photo(media_json: str | None) -> tuple[str, str]:
    """(credit, caption) of the first Media RSS object that has either."""
    photo = feed_photo(decode_media(media_json))
    if photo is None:
        return "", ""
    return photo.credit or "", (photo.caption or "")[:CAPTION_CHARS]


def read_extras(store: Store, view: View | Listing, ids: list[int]) -> dict[int, RowExtra]:
    """The extras of these rows (one page) of `view`."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    hidden, hidden_params = "0", tuple[object, ...]()
    if isinstance(view, Listing) and view.hidden is not None:
        hidden, hidden_params = view.hidden
    rows = store.query(
        f"SELECT e.id, e.story, {hidden} AS hidden, substr(e.summary_text, 1, {DEK_CHARS}), "
        "e.media, a.dek, a.credit, a.caption FROM entries e "
        f"LEFT JOIN articles a ON a.entry_id = e.id WHERE e.id IN ({marks})",
        (*hidden_params, *ids),
    )
    stories = {r[1] for r in rows if r[1] is not None}
    if isinstance(view, Listing) and view.front is not None:
        groups = _front_members(store, view.front, stories)
    else:
        groups = _story_members(store, view, stories)
    read = _read_members(store, view, stories)
    out: dict[int, RowExtra] = {}
    for entry_id, story, is_hidden, summary, media, dek, credit, caption in rows:
        feed_credit, feed_caption = _feed_photo(media)
        others = [m for m in groups.get(story, []) if m[0] != entry_id]
        out[entry_id] = RowExtra(
            story=story,
            members=tuple(m[0] for m in others),
            sources=tuple(dict.fromkeys(m[1] for m in others if m[1])),
            hidden=bool(is_hidden),
            dek=dek or summary or "",
            credit=credit or feed_credit,
            caption=caption or feed_caption,
            read_before=read.get(story, 0) if story is not None else 0,
        )
    return out


def _read_members(store: Store, view: View | Listing, stories: set[int]) -> dict[int, int]:
    """How many entries of each story are read already; only in grouped lists (where a late
    entry of a story read earlier would otherwise look like news of its own)."""
    if not stories or not isinstance(view, Listing) or not view.grouped:
        return {}
    marks = ",".join("?" * len(stories))
    rows = store.query(
        f"SELECT story, COUNT(*) FROM entries WHERE story IN ({marks}) AND read = 1 GROUP BY story",
        tuple(sorted(stories)),
    )
    return {int(story): int(n) for story, n in rows}


def _front_members(
    store: Store, front: FrontRank, stories: set[int]
) -> dict[int, list[tuple[int, str]]]:
    """The same as _story_members, from the front page's ranking: no query over a story's
    entries (a story of 1,000 would cost ~1 s), only one for the few source names."""
    picked = [g for g in front.stories if g and g[0][2] in stories]
    names = source_names(store, {source for g in picked for _, source, _ in g})
    return {g[0][2]: [(i, names.get(source, "")) for i, source, _ in g] for g in picked}


def source_names(store: Store, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.query(
        f"SELECT id, COALESCE(title_override, title, url) FROM sources WHERE id IN ({marks})",
        tuple(sorted(ids)),
    )
    return {r[0]: r[1] or "" for r in rows}


def _story_members(
    store: Store, view: View | Listing, stories: set[int]
) -> dict[int, list[tuple[int, str]]]:
    """Members (id, source name) in the view of each story, newest first; only when grouped."""
    if not stories or not isinstance(view, Listing) or not view.grouped:
        return {}
    where, params = view.members()
    marks = ",".join("?" * len(stories))
    rows = store.query(
        "SELECT e.story, e.id, COALESCE(s.title_override, s.title, s.url) FROM entries e "
        f"JOIN sources s ON s.id = e.source_id WHERE e.story IN ({marks}) AND ({where}) "
        "ORDER BY e.sort_time DESC, e.id DESC",
        (*sorted(stories), *params),
    )
    out: dict[int, list[tuple[int, str]]] = {}
    for story, entry_id, source in rows:
        out.setdefault(story, []).append((entry_id, source))
    return out
