"""Article extraction: page HTML in, a structured `Article` (with figure captions) out.

Core module: no Textual. trafilatura finds the text; we read figures, captions and credits from
the page ourselves, put them back in place, and drop boilerplate that survived.
"""

from __future__ import annotations

from tui.extract.blocks import html_to_blocks
from tui.extract.captions import apply_feed_media
from tui.extract.core import extract_article
from tui.extract.render import article_to_text

__all__ = ["apply_feed_media", "article_to_text", "extract_article", "html_to_blocks"]
