"""What the river shows of an extracted article at a glance: its dek, photo credit and caption.
Its own module because the Store computes it when it saves an article."""

from __future__ import annotations

from tui.models import Article

DEK_CHARS = 600  # more than three lines of the widest pane: the river cuts the rest
CAPTION_CHARS = 300


def article_glance(article: Article) -> tuple[str | None, str | None, str | None]:
    """(dek, photo credit, caption) of an extracted article: its first paragraph and figure."""
    dek = next((b.text for b in article.blocks if b.type == "paragraph" and b.text.strip()), None)
    figure = next((b for b in article.blocks if b.type == "figure"), None)
    credit = figure.credit if figure else None
    caption = figure.caption if figure else None
    return (dek[:DEK_CHARS] if dek else None, credit, caption[:CAPTION_CHARS] if caption else None)
