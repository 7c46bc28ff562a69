"""The article extractor: structure, figures with captions and credits, boilerplate, fallbacks."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tui.extract import apply_feed_media, article_to_text, extract_article, html_to_blocks
from tui.extract.credits import split_credit
from tui.models import Article, Block, Media

PAGES = Path(__file__).parent / "fixtures" / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text("utf-8"))


def load(name: str) -> Article | None:
    return extract_article((PAGES / name).read_text("utf-8"), EXPECTED.get(name, {}).get("url"))


@pytest.fixture(scope="module")
def news() -> Article:
    article = load("news_figures.html")
    assert article is not None
    return article


def _index(blocks: list[Block], start: str) -> int:
    return next(i for i, b in enumerate(blocks) if b.type == "paragraph" and b.text.startswith(start))


def _figure(blocks: list[Block], caption_start: str) -> int:
    return next(i for i, b in enumerate(blocks) if b.type == "figure" and (b.caption or "").startswith(caption_start))


def test_metadata(news: Article) -> None:
    assert news.title == "Harbour town rebuilds its lighthouse after winter storm"
    assert news.byline == "Mara Lindqvist"
    assert news.published.startswith("2024-03-14")
    assert news.site == "The Coastal Ledger"
    assert news.lead_image == "https://static.coastal-ledger.test/img/lighthouse-lead.jpg"


@pytest.mark.parametrize("name", ["news_figures.html", "wire_credits.html"])
def test_figures_match_expected_in_order(name: str) -> None:
    article = load(name)
    figures = [(b.caption, b.credit) for b in article.blocks if b.type == "figure"]
    assert figures == [(f["caption"], f["credit"]) for f in EXPECTED[name]["figures"]]


def test_each_caption_and_credit_appears_once(news: Article) -> None:
    text = article_to_text(news, width=1000)
    for fig in EXPECTED["news_figures.html"]["figures"]:
        assert text.count(fig["caption"]) == 1
        if fig["credit"]:
            assert text.count(fig["credit"]) == 1
    assert "Photograph" not in news.body_text(figures=False)


def test_figures_are_in_place(news: Article) -> None:
    blocks = news.blocks
    assert _figure(blocks, "Volunteers haul timber") == 0  # header figure leads
    cottage = _figure(blocks, "The keeper's cottage")
    assert cottage == _index(blocks, "On Saturday morning") + 1
    assert blocks[cottage + 1].text.startswith('"We are a stubborn place')
    gallery = _figure(blocks, "Children sand")
    assert blocks[gallery - 1].type == "list"
    assert blocks[gallery + 1].type == "figure"


def test_lazy_and_srcset_images_resolve_to_absolute_urls(news: Article) -> None:
    srcs = [b.src for b in news.blocks if b.type == "figure"]
    assert "https://coastal-ledger.test/img/keepers-cottage.jpg" in srcs
    assert "https://coastal-ledger.test/img/gallery-1.jpg" in srcs
    assert "https://coastal-ledger.test/img/gallery-2-large.jpg" in srcs
    assert not any(s.startswith("data:") for s in srcs)


def test_sidebar_and_teaser_figures_absent(news: Article) -> None:
    text = article_to_text(news, width=1000)
    assert "ferry" not in text.lower()
    assert "Gull numbers" not in text
    wire = article_to_text(load("wire_credits.html"), width=1000)
    assert "popular story" not in wire and "Someone Else" not in wire


def test_boilerplate_removed(news: Article) -> None:
    text = news.body_text(figures=True).lower()
    for phrase in ("close this page", "patron", "newsletter", "share this article", "cookies",
                   "follow us", "before you go", "related stories"):
        assert phrase not in text, phrase
    assert news.blocks[-1].text.startswith("Fairweather says the town")
    wire = load("wire_credits.html")
    assert "Read more" not in wire.body_text()
    assert wire.body_text().endswith("published in the spring.")


def test_structure(news: Article) -> None:
    headings = [(b.level, b.text) for b in news.blocks if b.type == "heading"]
    assert headings == [(2, "A tower built from donated oak"), (3, "What happens next")]
    lists = [b.items for b in news.blocks if b.type == "list"]
    assert lists == [["Oak frame: donated by a local farm", "Glazing: cut at the Westerly boatyard",
                      "Brass fittings: cast at the bell foundry"]]
    quotes = [b.text for b in news.blocks if b.type == "quote"]
    assert quotes and quotes[0].startswith("Every stone of that tower")


@pytest.mark.parametrize("name", ["paywall.html", "script_only.html"])
def test_no_body_gives_none(name: str) -> None:
    article = load(name)
    assert article is None or not [b for b in article.blocks if b.type != "figure"]


@pytest.mark.parametrize("html", ["", b"", "<html>", "<" * 1000, "\x00\x1b[31m", b"\xff\xfe\x00garbage"])
def test_junk_never_raises(html) -> None:
    assert extract_article(html) is None


def test_deep_nesting_and_size_guard() -> None:
    deep = "<html><body>" + "<div>" * 50_000 + "<p>x</p>" + "</div>" * 50_000 + "</body></html>"
    extract_article(deep)  # must not raise; None or an article are both acceptable
    big = "<html><body>" + "<p>word " * 2_000_000 + "</body></html>"  # ~2M elements
    assert len(big) > 5 * 1024 * 1024
    assert extract_article(big) is None  # too many elements: fall back to the feed, fast


def test_control_characters_stripped() -> None:
    page = (PAGES / "news_figures.html").read_text("utf-8").replace(
        "For more than a century", "For more \x1b[31mthan\x07 a century")
    article = extract_article(page, "https://coastal-ledger.test/x")
    text = article.body_text(figures=True)
    assert "than a century" in text  # the parser may drop ESC itself and leave "[31m" as text
    assert "\x1b" not in text and "\x07" not in text


@pytest.mark.parametrize("text,caption,credit", [
    ("Mi-24 helicopters fly over Minsk. Photograph: Jane Doe for The Paper",
     "Mi-24 helicopters fly over Minsk.", "Photograph: Jane Doe for The Paper"),
    ("A harbour at dawn. © Agency 2024", "A harbour at dawn.", "© Agency 2024"),
    ("Protesters in Geneva (Reuters/Denis Balibouse)", "Protesters in Geneva", "(Reuters/Denis Balibouse)"),
    ("Crowds outside. Credit: Sam Lee", "Crowds outside.", "Credit: Sam Lee"),
    ("Photo: ATON", "", "Photo: ATON"),
    ("A photo of the new pier at low tide", "A photo of the new pier at low tide", None),
])
def test_split_credit(text: str, caption: str, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


def test_html_to_blocks() -> None:
    fragment = """<p>First <b>bold</b> paragraph.</p>loose text<h3>Sub head</h3>
    <ul><li>one</li><li>two</li></ul><blockquote>Quoted words</blockquote>
    <figure><img src="/a.jpg"><figcaption>A pier. <span class="credit">Photo: Kim Ode</span></figcaption></figure>
    <script>alert(1)</script><p>Last\x1b[2J one.</p>"""
    blocks = html_to_blocks(fragment, "https://example.test/story")
    assert [b.type for b in blocks] == ["paragraph", "paragraph", "heading", "list", "quote", "figure", "paragraph"]
    assert blocks[0].text == "First bold paragraph."
    assert blocks[1].text == "loose text"
    assert (blocks[2].level, blocks[2].text) == (3, "Sub head")
    assert blocks[3].items == ["one", "two"]
    assert blocks[4].text == "Quoted words"
    assert (blocks[5].caption, blocks[5].credit, blocks[5].src) == ("A pier.", "Photo: Kim Ode", "https://example.test/a.jpg")
    assert blocks[6].text == "Last one."
    assert html_to_blocks("") == []
    assert html_to_blocks("just text") == [Block(type="paragraph", text="just text")]


def test_article_to_text(news: Article) -> None:
    text = article_to_text(news, width=60)
    lines = text.splitlines()
    assert lines[0] == "Harbour town rebuilds its lighthouse after winter storm"
    assert set(lines[1]) == {"="}
    assert "Mara Lindqvist · 2024-03-14" in lines[2]
    assert "[image] The keeper's cottage, now a small museum, lost half" in text
    assert "    — Photograph: Jane Doe for The Coastal Ledger" in lines
    assert "  • Oak frame: donated by a local farm" in lines
    assert "> Every stone of that tower has been carried up the hill by" in lines
    assert "A tower built from donated oak" in lines
    assert max(len(line) for line in lines) <= 60


def test_apply_feed_media() -> None:
    article = Article(blocks=[Block(type="paragraph", text="Body.")])
    media = [Media(url="https://cdn.test/lead.jpg", caption="Lead caption", credit="Photo: Ann", type="image/jpeg")]
    apply_feed_media(article, media)
    assert article.blocks[0] == Block(type="figure", caption="Lead caption", credit="Photo: Ann",
                                      src="https://cdn.test/lead.jpg")
    assert article.lead_image == "https://cdn.test/lead.jpg"
    # already present: merged, not duplicated
    again = Article(blocks=[Block(type="figure", src="https://cdn.test/lead.jpg?w=800", caption="Page caption")])
    apply_feed_media(again, media)
    assert len(again.blocks) == 1
    assert (again.blocks[0].caption, again.blocks[0].credit) == ("Page caption", "Photo: Ann")


def test_extract_package_does_not_import_textual() -> None:
    for path in (Path(__file__).parents[1] / "tui" / "extract").glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "textual" for n in names), path
