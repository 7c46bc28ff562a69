"""Page shapes the reader view must hold on: figures beside the text in their own containers,
hidden labels, lazy images, a page of teasers, a page with no article, input that is no page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.extract import extract_article
from tui.extract.figtext import tidy_credit
from tui.extract.readable import NOTICE, not_html
from tui.models import Article

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
BASE = "https://paper.test/section/page.html"


def load(name: str, readable: bool = False) -> Article | None:
    return extract_article((PAGES / name).read_bytes(), BASE, readable=readable)


@pytest.fixture(scope="module")
def ferry() -> Article:
    article = load("sibling_figures.html")
    assert article is not None
    return article


def figures(article: Article) -> list[tuple[str | None, str | None, str | None]]:
    return [(b.caption, b.credit, b.src) for b in article.blocks if b.type == "figure"]


def test_sibling_container_figures_each_once_in_place(ferry: Article) -> None:
    captions = [c for c, _, _ in figures(ferry)]
    assert captions == [
        "The ferry Marguerite leaves the east bank at first light, as it has every morning"
        " since 1961.",
        "Captain Aurel Dunne in the wheelhouse, which still has its original brass telegraph.",
        "Commuters on the open deck on a frosty March morning.",
        "The Marguerite moored for the night below the old customs house.",
    ]
    kinds = [(b.type, (b.text or b.caption or "")[:20]) for b in ferry.blocks]
    # the lead comes first, the wheelhouse after the paragraph it follows in the page
    assert kinds[0] == ("figure", "The ferry Marguerite")
    wheel = kinds.index(("figure", "Captain Aurel Dunne "))
    assert kinds[wheel - 1][1].startswith("The council has trie")


def test_credits_apart_without_labels(ferry: Article) -> None:
    credits = [cr for _, cr, _ in figures(ferry)]
    assert credits[:3] == ["Tomas Reyes for the Valley Standard"] * 3  # hidden labels, <cite>
    assert credits[3] is None
    for caption, _credit, _ in figures(ferry):
        assert "Credit" not in (caption or "") and "Photo:" not in (caption or "")
        assert "Tomas Reyes" not in (caption or "")  # never twice, never inside the caption


def test_gallery_counter_and_promo_dropped(ferry: Article) -> None:
    text = ferry.body_text(figures=True)
    assert "1 of 4" not in text
    assert "weekend magazine" not in text


def test_lazy_picture_and_noscript_images_resolved(ferry: Article) -> None:
    srcs = [src for _, _, src in figures(ferry)]
    assert srcs[0] == "https://img.valley-standard.test/ferry/lead-1200.jpg"
    assert srcs[1] == "https://img.valley-standard.test/ferry/wheelhouse.jpg"  # data-src
    assert all(s and "blank.gif" not in s for s in srcs)


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("Credit Credit Jane Doe/Agency", "Jane Doe/Agency"),
        ("Image copyright Getty Images", "Getty Images"),
        ("Image Credit: WeWork", "WeWork"),
        ("Photo by Kirk Irwin/Getty Images", "Photo by Kirk Irwin/Getty Images"),
        ("Photograph: Ines Okafor", "Photograph: Ines Okafor"),  # a printed label stays once
    ],
)
def test_credit_labels(raw: str, tidy: str) -> None:
    assert tidy_credit(raw) == tidy


def test_teaser_river_is_a_teasers_block() -> None:
    article = load("teaser_river.html")
    assert article is not None
    [block] = article.blocks
    assert block.type == "teasers"
    items = block.to_json()["items"]
    assert len(items) == 6
    assert items[0] == {
        "title": "The old textile mill that found new customers overseas",
        "url": "https://paper.test/business/harwick-mill-reopens.html",
        "dek": "Orders from three continents have brought back two hundred jobs to a town that"
        " had given up on weaving.",
        "credit": "© Ana Pereira for The Morning Paper",
        "caption": "Looms at the Harwick mill, which reopened in May.",
        "kicker": None,
        "time": None,
    }
    assert all(i["title"] and i["url"] and i["dek"] and i["credit"] for i in items)
    assert Article.from_json(json.loads(json.dumps(article.to_json()))).blocks[0] == block


def test_a_section_front_lists_its_main_river_in_page_order() -> None:
    """Units by structure, whatever their classes: a heading link with its kicker apart and the
    photo's caption and credit from the picture's own box; a lazy box with no <img>; overlay
    links named for screen readers; whole cards made one link; never the "Most read" list,
    the navigation or the footer; a byline is never the dek."""
    article = load("river_front.html")
    assert article is not None
    [block] = article.blocks
    assert block.type == "teasers"
    assert [t.url.rsplit("/", 1)[-1] for t in block.teasers if t.url] == [
        "strait-reopens",
        "coastal-vote",
        "fishing-quota",
        "rail-strike",
        "bridge-tolls",
        "museum-reopens",
    ]
    lead = block.teasers[0]
    assert (lead.kicker, lead.title) == (
        "Shipping",
        "Strait reopens to tankers after a week of talks",
    )
    assert lead.dek and lead.dek.startswith("Insurers had refused cover")
    assert lead.caption == "Tankers wait at anchor off the northern cape."
    assert lead.credit == "© Ana Ruiz for The Harbour Herald"
    assert lead.time == "2026-03-01T08:00:00Z"
    card = block.teasers[4]
    assert card.title == "Bridge tolls to rise by a tenth from April"
    assert card.dek and card.dek.startswith("Drivers who cross every day")
    assert all(t.dek and t.caption is None for t in block.teasers[1:])


def test_an_article_with_a_rail_of_teasers_stays_an_article() -> None:
    """The rail holds more units than a river needs, but the page's running text is the story."""
    page = (PAGES / "river_front.html").read_text("utf-8")
    story = "".join(
        f"<p>Paragraph {n} of the story, which runs on for a good few sentences about the harbour,"
        " the strait and the ships that wait in it for the talks to end.</p>"
        for n in range(12)
    )
    page = page.replace("<h1>World</h1>", f"<h1>World</h1><div class='story'>{story}</div>")
    article = extract_article(page, "https://harbour-herald.test/world/story")
    assert article is not None and all(b.type != "teasers" for b in article.blocks)
    assert "Paragraph 11 of the story" in article.body_text()


def test_an_article_is_not_a_teaser_page() -> None:
    for name in (
        "news_figures.html",
        "sibling_figures.html",
        "standfirst_lead.html",
        "figure_shapes.html",
    ):
        article = load(name)
        assert article is not None and all(b.type != "teasers" for b in article.blocks), name


def test_page_without_article_gives_its_text_with_a_notice() -> None:
    assert load("no_article.html") is None  # the app falls back to the feed's text
    article = load("no_article.html", readable=True)
    assert article is not None and article.notice == NOTICE
    text = article.body_text()
    assert "Weekdays: 9–18" in text and "Pool closed." in text


def test_noscript_only_page_has_no_article() -> None:
    assert load("noscript_only.html") is None
    assert load("noscript_only.html", readable=True) is None  # its only text is for no-JS


@pytest.mark.parametrize(
    ("data", "ctype", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, "not an HTML page (got image/png)"),
        (b"%PDF-1.7\n", None, "not an HTML page (got application/pdf)"),
        (b"{}", "application/json", "not an HTML page (got application/json)"),
        (b"<html><body>Hi</body></html>", "text/html; charset=utf-8", None),
        (b"<p>Hi</p>", None, None),
    ],
)
def test_not_html(data: bytes, ctype: str | None, reason: str | None) -> None:
    assert not_html(data, ctype) == reason


def _read(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", "read", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_read_cli_shows_page_text_and_exits_0(tmp_path: Path) -> None:
    proc = _read(str(PAGES / "no_article.html"), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["notice"] == NOTICE and data["blocks"]


def test_read_cli_refuses_non_html_with_one_line(tmp_path: Path) -> None:
    png = tmp_path / "photo.html"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    proc = _read(str(png))
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip().endswith("not an HTML page (got image/png)")
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Subscribe now to continue reading this story.",
        "TO CONTINUE READING, log in.",
        "Already a subscriber? Sign in",
        "For subscribers only",
        "This article is available to members",
        "This content is for SUBSCRIBERS",
        "ſubscriber-only",  # IGNORECASE takes the long s for an s
        "Already a SUBSCRİBER",  # and the dotted capital I for an i
        "this article is for members\u00a0only",
        "Subscribe to our newsletter",  # the words, not a paywall phrase
        "Continue to the next page; reading list",
        "A story with no such words at all.",
        "",
    ],
)
def test_paywall_precheck_agrees_with_the_pattern(text: str) -> None:
    """The cheap word test only skips the pattern where it cannot match."""
    from tui.extract.core import _PAYWALL, _paywalled

    assert _paywalled(text) == (_PAYWALL.search(text) is not None)
    assert _paywalled(f"Lead text. {text} More text.") == (
        _PAYWALL.search(f"Lead text. {text} More text.") is not None
    )
