"""Turn trafilatura's XML body, or a feed's HTML fragment, into `Block`s."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.models import NESTED, Block
from tui.textclean import clean_line, clean_text

if TYPE_CHECKING:  # types only: lxml is loaded with the first page
    from lxml.etree import _Element
    from lxml.html import HtmlElement

_HEADING = re.compile(r"^h([1-6])$")
_SKIP = frozenset(("script", "style", "noscript", "template", "button", "form", "svg", "iframe"))


def _itertext(
    el: _Element,
    out: list[str],
    breaks: frozenset[str] = frozenset(("lb", "br")),
    skip: frozenset[str] = frozenset(),
) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP:
        return
    if tag in breaks:
        out.append("\n")
    elif el.text:
        out.append(el.text)
    for child in el:
        if child.tag not in skip:  # a nested list's text is not its parent item's
            _itertext(child, out, breaks, skip)
        if child.tail:
            out.append(child.tail)


def element_text(el: _Element) -> str:
    out: list[str] = []
    _itertext(el, out)
    return clean_text("".join(out))


def _items(list_el: _Element, item_tag: str, depth: int = 0) -> list[str]:
    """The list's items; a nested list's items follow their parent's, each marked one level
    deeper (NESTED per level) instead of being run into the parent's text."""
    lists = frozenset(("ul", "ol") if item_tag == "li" else ("list",))
    items = []
    for item in list_el:
        if item.tag != item_tag:
            continue
        out: list[str] = []
        _itertext(item, out, skip=lists)
        text = clean_line(" ".join(clean_text("".join(out)).split("\n")))
        if text:
            items.append(NESTED * depth + text)
        for sub in item.iter(*lists):
            if sub is not item and depth < 8 and _parent_item(sub, item_tag) is item:
                items.extend(_items(sub, item_tag, depth + 1))
    return items


def _parent_item(el: _Element, item_tag: str) -> _Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != item_tag:
        parent = parent.getparent()
    return parent


def _rows(table: _Element, row_tag: str, cell_tags: tuple[str, ...]) -> list[list[str]]:
    rows = []
    for row in table.iter(row_tag):
        cells = [clean_line(element_text(c)) for c in row if c.tag in cell_tags]
        if any(cells):
            rows.append(cells)
    return rows


def trafilatura_blocks(body: _Element) -> list[Block]:
    """Blocks from trafilatura's `Document.body` (tags head/p/list/quote/code/table)."""
    blocks: list[Block] = []
    for el in body:
        _xml_block(el, blocks)
    return blocks


def _xml_block(el: _Element, blocks: list[Block]) -> None:
    tag = el.tag
    if tag == "head":
        m = re.match(r"h([1-6])", el.get("rend") or "")
        text = clean_line(element_text(el))
        if text:
            blocks.append(Block(type="heading", level=int(m.group(1)) if m else 2, text=text))
    elif tag == "list":
        items = _items(el, "item")
        if items:
            blocks.append(Block(type="list", items=items))
    elif tag == "table" and _is_layout(el):
        _layout_cells(el, blocks)
    elif tag == "table":
        rows = _rows(el, "row", ("cell",))
        if rows:
            blocks.append(Block(type="table", rows=rows))
    elif tag in ("quote", "code"):
        text = element_text(el) if tag == "quote" else _code_text(el)
        if text:
            blocks.append(Block(type=tag, text=text))
    elif tag == "div":
        for child in el:
            _xml_block(child, blocks)
    else:
        text = element_text(el)
        if text:
            blocks.append(Block(type="paragraph", text=text))


_BLOCK_CHILDREN = frozenset(("head", "p", "list", "quote", "code", "table", "div"))


def _is_layout(table: _Element) -> bool:
    """A table used for page layout: its cells hold headings and paragraphs, not data."""
    return any(
        child.tag in _BLOCK_CHILDREN
        for row in table
        if row.tag == "row"
        for cell in row
        for child in cell
    )


def _layout_cells(table: _Element, blocks: list[Block]) -> None:
    """A layout table reads as its cells' blocks, in order."""
    for row in table:
        if row.tag != "row":
            continue
        for cell in row:
            if cell.tag != "cell":
                continue
            if cell.text and cell.text.strip():
                blocks.append(Block(type="paragraph", text=clean_text(cell.text)))
            for child in cell:
                _xml_block(child, blocks)
                if child.tail and child.tail.strip():
                    blocks.append(Block(type="paragraph", text=clean_text(child.tail)))


def _code_text(el: _Element) -> str:
    from tui.textclean import strip_controls

    return strip_controls("".join(el.itertext())).strip("\n")


# ---- feed fragments (no trafilatura) ----------------------------------------------------

_INLINE_BREAK = frozenset(("br",))
_CONTAINERS = frozenset(("div", "section", "article", "main", "header", "span", "body", "center"))


def html_to_blocks(fragment_html: str, base_url: str | None = None) -> list[Block]:
    """Blocks from a feed entry's summary/content HTML, with lxml only (fast, never raises)."""
    if not fragment_html or not fragment_html.strip():
        return []
    try:
        from lxml import html as lxml_html

        root = lxml_html.fragment_fromstring(fragment_html[:2_000_000], create_parent="div")
        blocks: list[Block] = []
        buffer: list[str] = []
        _frag_walk(root, blocks, buffer, base_url)
        _flush(buffer, blocks)
        return blocks
    except Exception:  # noqa: BLE001 - hostile markup must never break the reader
        from tui.textclean import html_to_text

        text = html_to_text(fragment_html)
        return [Block(type="paragraph", text=p) for p in text.split("\n\n") if p.strip()]


def body_blocks(el: HtmlElement, base_url: str | None = None) -> list[Block]:
    """Blocks of a whole parsed page element (headings, paragraphs, lists, figures)."""
    blocks: list[Block] = []
    buffer: list[str] = []
    _frag_walk(el, blocks, buffer, base_url)
    _flush(buffer, blocks)
    return blocks


def _flush(buffer: list[str], blocks: list[Block]) -> None:
    text = clean_text("".join(buffer))
    buffer.clear()
    if text:
        blocks.append(Block(type="paragraph", text=text))


def _frag_walk(
    el: HtmlElement, blocks: list[Block], buffer: list[str], base_url: str | None
) -> None:
    if el.text:
        buffer.append(el.text)
    for child in el:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag and tag not in _SKIP:
            _frag_child(child, tag, blocks, buffer, base_url)
        if child.tail:
            buffer.append(child.tail)


def _frag_child(
    child: HtmlElement, tag: str, blocks: list[Block], buffer: list[str], base_url: str | None
) -> None:
    from tui.extract.captions import figure_block

    heading = _HEADING.match(tag)
    if tag == "br":
        buffer.append("\n")
    elif (
        tag in ("p", "li", "dd", "dt")
        or heading
        or tag in ("ul", "ol", "blockquote", "pre", "table", "figure", "img", "hr")
    ):
        _flush(buffer, blocks)
        if heading:
            text = clean_line(element_text(child))
            if text:
                blocks.append(Block(type="heading", level=int(heading.group(1)), text=text))
        elif tag in ("ul", "ol"):
            items = _items(child, "li")
            if items:
                blocks.append(Block(type="list", items=items))
        elif tag == "blockquote":
            text = element_text(child)
            if text:
                blocks.append(Block(type="quote", text=text))
        elif tag == "pre":
            text = _code_text(child)
            if text:
                blocks.append(Block(type="code", text=text))
        elif tag == "table":
            rows = _rows(child, "tr", ("td", "th"))
            if rows:
                blocks.append(Block(type="table", rows=rows))
        elif tag in ("figure", "img"):
            fig = figure_block(child, base_url)
            if fig is not None:
                blocks.append(fig)
        elif tag in ("p", "li", "dd", "dt"):
            inner: list[Block] = []
            sub: list[str] = []
            _frag_walk(child, inner, sub, base_url)
            _flush(sub, inner)
            blocks.extend(inner)
    else:
        _frag_walk(child, blocks, buffer, base_url)
