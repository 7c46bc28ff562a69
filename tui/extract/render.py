"""Plain-text reader view of an `Article`, for `newsdesk read` and other non-TUI output."""

from __future__ import annotations

import textwrap

from tui.models import Article, Block, item_depth
from tui.textclean import clean_line, clean_text


def article_to_text(article: Article, width: int = 80) -> str:
    width = max(20, width)
    out: list[str] = []
    title = clean_line(article.title)
    if title:
        out.append(textwrap.fill(title, width))
        out.append("=" * min(width, len(title)))
    byline, site = clean_line(article.byline), clean_line(article.site)
    if site and site.casefold() in byline.casefold():
        site = ""  # "By Jane Doe, BBC News · BBC News" says the site once
    meta = " · ".join(x for x in (byline, readable_date(article.published), site) if x)
    if meta:
        out.append(textwrap.fill(meta, width))
    if article.url:
        out.append(clean_line(article.url))
    if article.notice:
        out.append(f"Note: {clean_line(article.notice)}")
    if out:
        out.append("")
    for block in article.blocks:
        text = _block_text(block, width)
        if text:
            out.append(text)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def readable_date(value: str | None) -> str:
    """An ISO 8601 date as people write it ("Mon 24 Sep 2018 19:42", in the page's own zone);
    anything else as given."""
    from datetime import datetime

    text = clean_line(value)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if len(text) <= 10:  # a date without a time
        return when.strftime("%a %d %b %Y")
    return when.strftime("%a %d %b %Y %H:%M")


def _paragraphs(text: str, width: int, prefix: str = "") -> str:
    lines = []
    for para in clean_text(text).split("\n"):
        if para:
            lines.append(
                textwrap.fill(para, width, initial_indent=prefix, subsequent_indent=prefix)
            )
        else:
            lines.append(prefix.rstrip())
    return "\n".join(lines)


def _block_text(block: Block, width: int) -> str:
    if block.type == "heading":
        text = clean_line(block.text)
        if not text:
            return ""
        rule = "=" if block.level <= 1 else "-"
        wrapped = textwrap.fill(text, width)
        return f"{wrapped}\n{rule * min(width, max(len(line) for line in wrapped.splitlines()))}"
    if block.type == "list":
        lines = []
        for item in block.items:
            depth, text = item_depth(clean_line(item))
            if text:
                pad = "  " * depth
                mark = "◦" if depth else "•"
                lines.append(
                    textwrap.fill(
                        text,
                        width,
                        initial_indent=f"  {pad}{mark} ",
                        subsequent_indent=f"    {pad}",
                    )
                )
        return "\n".join(lines)
    if block.type == "quote":
        return _paragraphs(block.text, width, prefix="> ")
    if block.type == "code":
        return "\n".join(
            "    " + clean_line(line, limit=width * 4) for line in block.text.split("\n")
        )
    if block.type == "table":
        return "\n".join(" | ".join(clean_line(c) for c in row) for row in block.rows)
    if block.type == "figure":
        return _figure_text(block, width)
    if block.type == "teasers":
        return _teasers_text(block, width)
    return _paragraphs(block.text, width)


def _figure_text(block: Block, width: int) -> str:
    caption, credit = clean_line(block.caption), clean_line(block.credit)
    lines = [textwrap.fill(f"[image] {caption}".rstrip(), width, subsequent_indent="        ")]
    if credit:
        lines.append(
            textwrap.fill(f"— {credit}", width, initial_indent="    ", subsequent_indent="      ")
        )
    return "\n".join(lines)


def _teasers_text(block: Block, width: int) -> str:
    """Each teaser: headline, its link, the dek, then caption and credit set apart."""
    out = []
    for t in block.teasers:
        kicker = f"{clean_line(t.kicker)} · " if clean_line(t.kicker) else ""
        lines = [textwrap.fill(f"• {kicker}{clean_line(t.title)}", width, subsequent_indent="  ")]
        if t.url:
            lines.append(f"  {clean_line(t.url)}")
        for text, indent in ((t.dek, "  "), (t.caption, "  [image] "), (t.credit, "  — ")):
            if clean_line(text):
                lines.append(
                    textwrap.fill(
                        clean_line(text), width, initial_indent=indent, subsequent_indent="  "
                    )
                )
        out.append("\n".join(lines))
    return "\n\n".join(out)
