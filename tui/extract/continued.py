"""A story body split over several boxes (ads, rails or interactive pieces between them): the
boxes after the one trafilatura read, found by the same tag and class, in the same section.

trafilatura keeps the largest run of text and may leave the later boxes out; each box is one
element, so what it holds (paragraphs, headings, figures) is read with `body_blocks`.
"""

from __future__ import annotations

from typing import Any

from tui.extract.blocks import body_blocks
from tui.extract.captions import is_foreign
from tui.extract.locate import text_key, text_length
from tui.models import Block

_LEVELS = 4
_MIN_CHARS = 200  # a box with less text is a label or a caption, not a part of the story


def continuation_blocks(container: Any, url: str | None, known: set[str]) -> list[Block]:
    """Blocks of the boxes that continue the story after `container`, less any text already
    read (`known`: the text keys of the blocks there are)."""
    cls = container.get("class")
    section = _section(container)
    if not cls or section is None:
        return []
    out: list[Block] = []
    after = False
    for el in section.iter(container.tag):
        if el is container:
            after = True
            continue
        if not after or el.get("class") != cls or _related(el, container):
            continue
        if text_length(el) < _MIN_CHARS or is_foreign(el, section):
            continue
        for b in body_blocks(el, url):
            key = text_key(b.text) if b.type != "figure" else ""
            if b.type == "figure" or (key and key not in known):
                out.append(b)
                known.add(key)
    return out


def _section(container: Any) -> Any:
    """A few levels up from the box: its siblings and cousins there are the story's other
    boxes (each may sit in its own layout row)."""
    section = None
    for n, anc in enumerate(container.iterancestors()):
        if anc.tag in ("body", "html") or n >= _LEVELS:
            break
        section = anc
    return section


def _related(el: Any, container: Any) -> bool:
    return any(a is container for a in el.iterancestors()) or any(
        a is el for a in container.iterancestors()
    )
