"""Block filters read whole class tokens: a box is a share bar when a class says `share` or
`share-bar`, not when a class merely holds those letters."""

from __future__ import annotations

import pytest
from lxml import html

from tui.extract.captions import is_foreign
from tui.extract.classes import credit_named, foreign_named


def _el(cls: str):
    return html.fromstring(f'<div class="{cls}"><p>text</p></div>')


@pytest.mark.parametrize(
    "cls",
    [
        "share",
        "share-bar",
        "article-share",
        "related-stories",
        "most-read",
        "ad-slot",
        "widget",
        "sidebar",
        "site-footer",
        "c-newsletter--wide",
    ],
)
def test_foreign_boxes_by_whole_token(cls: str) -> None:
    assert foreign_named(_el(cls))


@pytest.mark.parametrize(
    "cls",
    [
        "shareable-item",
        "widget__contents",
        "commentary",
        "navigator-body",
        "adventure",
        "author-image",
        "shadow",
        "bios-setup",
    ],
)
def test_letters_inside_a_token_are_not_a_box(cls: str) -> None:
    assert not foreign_named(_el(cls))


def test_a_credit_named_inside_a_caption_box() -> None:
    assert credit_named(_el("caption-credit mt-2"))
    assert not credit_named(_el("caption-content"))


def test_an_aside_holding_one_image_and_its_caption_is_a_figure() -> None:
    page = html.fromstring(
        '<div class="body"><aside><img src="/a.jpg"><p class="caption">A ticket from 1951.</p>'
        '</aside><aside><h3>Related</h3><img src="/b.jpg"><p>Another story</p></aside></div>'
    )
    body = page
    first, second = page.findall(".//aside")
    assert not is_foreign(first.find("img"), body)
    assert is_foreign(second.find("img"), body)


def test_a_story_split_over_boxes_continues_in_the_later_ones() -> None:
    """Boxes of the same tag and class after the body box, ads between them, are the story's
    next parts (trafilatura may keep only the largest): their text and figures follow."""
    from tui.extract.continued import continuation_blocks

    long = "The council met again on Tuesday evening to hear from residents about the plan. " * 3
    page = html.fromstring(
        f'<div class="page"><div class="row"><div class="col"><div class="story-body">'
        f"<p>{long}</p></div></div></div>"
        f'<div class="row"><div class="ad-slot"><p>Advertisement</p></div></div>'
        f'<div class="row"><div class="col"><div class="story-body"><p>Second part. {long}</p>'
        f'<figure><img src="/v.jpg"><figcaption>The hall, full.</figcaption></figure>'
        f"</div></div></div>"
        f'<aside class="related"><div class="story-body"><p>Other story. {long}</p></div></aside>'
        f"</div>"
    )
    first = page.find(".//div[@class='story-body']")
    blocks = continuation_blocks(first, "https://x.test/a", set())
    assert [b.type for b in blocks] == ["paragraph", "figure"]
    assert blocks[0].text.startswith("Second part.")
    assert blocks[1].caption == "The hall, full."
