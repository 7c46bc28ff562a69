"""The article extractor: structure, figures with captions and credits, boilerplate, fallbacks."""

from __future__ import annotations

import ast
import json
import time
import unicodedata
from pathlib import Path

import pytest

from tui.extract import apply_feed_media, article_to_text, extract_article, html_to_blocks
from tui.extract.credits import split_credit
from tui.models import Article, Block, Media

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text("utf-8"))


def load(name: str) -> Article | None:
    return extract_article((PAGES / name).read_text("utf-8"), EXPECTED.get(name, {}).get("url"))


@pytest.fixture(scope="module")
def news() -> Article:
    article = load("news_figures.html")
    assert article is not None
    return article


def _index(blocks: list[Block], start: str) -> int:
    return next(
        i for i, b in enumerate(blocks) if b.type == "paragraph" and b.text.startswith(start)
    )


def _figure(blocks: list[Block], caption_start: str) -> int:
    return next(
        i
        for i, b in enumerate(blocks)
        if b.type == "figure" and (b.caption or "").startswith(caption_start)
    )


def test_metadata(news: Article) -> None:
    assert news.title == "Harbour town rebuilds its lighthouse after winter storm"
    assert news.byline == "Mara Lindqvist"
    assert news.published.startswith("2024-03-14")
    assert news.site == "The Coastal Ledger"
    assert news.lead_image == "https://static.coastal-ledger.test/img/lighthouse-lead.jpg"


@pytest.mark.parametrize(
    "name", ["news_figures.html", "wire_credits.html", "standfirst_lead.html", "figure_shapes.html"]
)
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
    for phrase in (
        "close this page",
        "patron",
        "newsletter",
        "share this article",
        "cookies",
        "follow us",
        "before you go",
        "related stories",
    ):
        assert phrase not in text, phrase
    assert news.blocks[-1].text.startswith("Fairweather says the town")
    wire = load("wire_credits.html")
    assert "Read more" not in wire.body_text()
    assert wire.body_text().endswith("published in the spring.")


def test_structure(news: Article) -> None:
    headings = [(b.level, b.text) for b in news.blocks if b.type == "heading"]
    assert headings == [(2, "A tower built from donated oak"), (3, "What happens next")]
    lists = [b.items for b in news.blocks if b.type == "list"]
    assert lists == [
        [
            "Oak frame: donated by a local farm",
            "Glazing: cut at the Westerly boatyard",
            "Brass fittings: cast at the bell foundry",
        ]
    ]
    quotes = [b.text for b in news.blocks if b.type == "quote"]
    assert quotes and quotes[0].startswith("Every stone of that tower")


@pytest.mark.parametrize("name", ["paywall.html", "script_only.html"])
def test_no_body_gives_none(name: str) -> None:
    article = load(name)
    assert article is None or not [b for b in article.blocks if b.type != "figure"]


@pytest.mark.parametrize(
    "html", ["", b"", "<html>", "<" * 1000, "\x00\x1b[31m", b"\xff\xfe\x00garbage"]
)
def test_junk_never_raises(html) -> None:
    assert extract_article(html) is None


def test_deep_nesting_and_size_guard() -> None:
    deep = "<html><body>" + "<div>" * 50_000 + "<p>x</p>" + "</div>" * 50_000 + "</body></html>"
    extract_article(deep)  # must not raise; None or an article are both acceptable
    big = "<html><body>" + "<p>word " * 2_000_000 + "</body></html>"  # ~2M elements
    assert len(big) > 5 * 1024 * 1024
    assert extract_article(big) is None  # too many elements: fall back to the feed, fast


_PARAGRAPH = (
    "<p>" + "The harbour board met on Tuesday to discuss the new pier and its cost. " * 4 + "</p>"
)


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            lambda: (
                "<html><body><article>"
                + _PARAGRAPH * (50 * 1024 * 1024 // len(_PARAGRAPH))
                + "</article></body></html>"
            ),
            id="50MB",
        ),
        pytest.param(
            lambda: (
                "<html><body>"
                + "<div>" * 100_000
                + _PARAGRAPH * 5
                + "</div>" * 100_000
                + "</body></html>"
            ),
            id="100k-deep",
        ),
        pytest.param(
            lambda: (
                "<html><body>"
                + "<script>document.write('hello world ' + 1);</script>" * 100_000
                + "</body></html>"
            ),
            id="all-script",
        ),
    ],
)
def test_hostile_pages_give_none_quickly(page) -> None:
    html = page()
    start = time.perf_counter()
    assert extract_article(html, "https://example.test/a") is None
    # bounded, not a speed target (that is bench/extract_quality.py): a runaway takes minutes
    assert time.perf_counter() - start < 10.0


def test_control_characters_stripped() -> None:
    page = (
        (PAGES / "news_figures.html")
        .read_text("utf-8")
        .replace("For more than a century", "For more \x1b[31mthan\x07 a century")
    )
    article = extract_article(page, "https://coastal-ledger.test/x")
    text = article.body_text(figures=True)
    assert "than a century" in text  # the parser may drop ESC itself and leave "[31m" as text
    assert "\x1b" not in text and "\x07" not in text


def _all_text(article: Article) -> list[str]:
    out = [article.title or "", article.byline or "", article.site or ""]
    for b in article.blocks:
        out += [
            b.text,
            b.caption or "",
            b.credit or "",
            *b.items,
            *(c for row in b.rows for c in row),
        ]
    return out


def test_no_control_characters_in_any_field() -> None:
    junk = "\x1b[31m\x07\x9b2J\x00\x08\u202e"
    page = (PAGES / "news_figures.html").read_text("utf-8")
    for target in (
        "Harbour town",
        "Mara Lindqvist",
        "A tower built",
        "Oak frame",
        "Every stone",
        "The keeper's cottage",
        "Photograph: Jane",
        "Children sand",
        "For more than",
    ):
        page = page.replace(target, target[:3] + junk + target[3:])
    article = extract_article(page, "https://coastal-ledger.test/x")
    assert article is not None
    for text in _all_text(article):
        bad = [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf")]
        assert not bad, (text, bad)


@pytest.mark.parametrize("entity", ["&#27;", "&#x1B;", "&#0007;", "&#31"])
def test_control_character_entities_do_not_lose_the_body(entity: str) -> None:
    """trafilatura's output tree cannot hold a C0 control: one entity used to cost the body."""
    paras = "".join(
        f"<p>Paragraph {i} of an ordinary article. "
        + "Plain words here. " * 15
        + (f"{entity}[31m red" if i == 3 else "")
        + "</p>"
        for i in range(6)
    )
    page = f"<html><body><article>{paras}</article></body></html>"
    for html in (page, page.encode()):
        article = extract_article(html, "https://example.test/p")
        assert article is not None and len(article.blocks) == 6
        assert all(
            c == "\n" or unicodedata.category(c) != "Cc" for t in _all_text(article) for c in t
        )


def test_lead_figure_after_standfirst_is_kept() -> None:
    article = load("standfirst_lead.html")
    assert article.blocks[0].text.startswith("Forty apple growers")  # the standfirst
    lead = article.blocks[1]
    assert (lead.type, lead.credit) == ("figure", "Photo: Lena Fisk/Upland Courier")
    assert lead.src == "https://upland-courier.test/img/cider-press-lead.jpg"


def test_author_avatar_and_teasers_are_not_figures() -> None:
    text = article_to_text(load("standfirst_lead.html"), width=1000)
    assert "correspondent" not in text and "Portrait" not in text
    assert "hedgerow in bloom" not in text.lower()


def test_read_more_line_does_not_take_its_neighbours() -> None:
    article = load("standfirst_lead.html")
    text = article.body_text(figures=False)
    assert "Read more" not in text and "Hedgerow grants" not in text
    headings = [b.text for b in article.blocks if b.type == "heading"]
    assert headings == ["Growers want a fair share"]
    assert "contribute labour on pressing days" in text
    assert "newsletter" not in text.lower()


def test_short_body_under_a_headline_still_finds_its_figure() -> None:
    """One long paragraph plus a headline block: the body is where the text is, not the header."""
    sentence = (
        "The association regrets that the ministers' meeting ended without an agreement "
        "on the distance rule for wind turbines in the region."
    )
    body = " ".join([sentence] * 8)
    page = f"""<html><head><meta property="og:title" content="Wind power: association disappointed"></head>
    <body><main><div class="container"><div class="header"><h1>Wind power needs the distance rule gone,
    says the association</h1></div></div>
    <div class="container"><div class="gallery"><div><figure><a href="#"><img src="/img/minister.jpg" alt="">
    </a></figure><figcaption class="text-xs"> Foto: Christof Stache </figcaption></div></div></div>
    <div class="container"><div class="rte"><p>{body}</p></div></div></main></body></html>"""
    article = extract_article(page, "https://association.test/press")
    figures = [(b.caption, b.credit, b.src) for b in article.blocks if b.type == "figure"]
    assert figures == [(None, "Foto: Christof Stache", "https://association.test/img/minister.jpg")]


@pytest.mark.parametrize(
    "text,caption,credit",
    [
        (
            "Puerto de Montevideo. Foto: Archivo El País.",
            "Puerto de Montevideo.",
            "Foto: Archivo El País.",
        ),
        (". Imagen: Télam", "", "Imagen: Télam"),
        (
            "Police guard the square. Mike Blake/Reuters files",
            "Police guard the square.",
            "Mike Blake/Reuters files",
        ),
        ("Crowds in Paris. AFP via Getty Images", "Crowds in Paris.", "AFP via Getty Images"),
        ("Der Minister in Berlin. Bild: dpa", "Der Minister in Berlin.", "Bild: dpa"),
        ("Le ministre à Paris. Crédit photo : AFP", "Le ministre à Paris.", "Crédit photo : AFP"),
        ("Die Demo am Samstag (Foto: Max Muster)", "Die Demo am Samstag", "(Foto: Max Muster)"),
        ("Un barco en el puerto (EFE)", "Un barco en el puerto", "(EFE)"),
        ("Protesters gather (Photo by Jane Doe)", "Protesters gather", "(Photo by Jane Doe)"),
        ("(Fuente: Télam)", "", "(Fuente: Télam)"),
        ("Image via Getty Images", "", "Image via Getty Images"),
        ("He spoke. The minister told AP", "He spoke. The minister told AP", None),
        ("The market fell. Reuters reported it.", "The market fell. Reuters reported it.", None),
        (
            "Pictures by the river show the flood line",
            "Pictures by the river show the flood line",
            None,
        ),
        (
            "Video: In this talk a professor of physiology explains how the body detects scents far from the nose.",
            "Video: In this talk a professor of physiology explains how the body detects scents far from the nose.",
            None,
        ),
    ],
)
def test_split_credit_languages_and_agencies(text: str, caption: str, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


@pytest.mark.parametrize(
    "text,caption,credit",
    [
        (
            "Mi-24 helicopters fly over Minsk. Photograph: Jane Doe for The Paper",
            "Mi-24 helicopters fly over Minsk.",
            "Photograph: Jane Doe for The Paper",
        ),
        ("A harbour at dawn. © Agency 2024", "A harbour at dawn.", "© Agency 2024"),
        (
            "Protesters in Geneva (Reuters/Denis Balibouse)",
            "Protesters in Geneva",
            "(Reuters/Denis Balibouse)",
        ),
        ("Crowds outside. Credit: Sam Lee", "Crowds outside.", "Credit: Sam Lee"),
        ("Photo: ATON", "", "Photo: ATON"),
        ("A photo of the new pier at low tide", "A photo of the new pier at low tide", None),
    ],
)
def test_split_credit(text: str, caption: str, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


def test_html_to_blocks() -> None:
    fragment = """<p>First <b>bold</b> paragraph.</p>loose text<h3>Sub head</h3>
    <ul><li>one</li><li>two</li></ul><blockquote>Quoted words</blockquote>
    <figure><img src="/a.jpg"><figcaption>A pier. <span class="credit">Photo: Kim Ode</span></figcaption></figure>
    <script>alert(1)</script><p>Last\x1b[2J one.</p>"""
    blocks = html_to_blocks(fragment, "https://example.test/story")
    assert [b.type for b in blocks] == [
        "paragraph",
        "paragraph",
        "heading",
        "list",
        "quote",
        "figure",
        "paragraph",
    ]
    assert blocks[0].text == "First bold paragraph."
    assert blocks[1].text == "loose text"
    assert (blocks[2].level, blocks[2].text) == (3, "Sub head")
    assert blocks[3].items == ["one", "two"]
    assert blocks[4].text == "Quoted words"
    assert (blocks[5].caption, blocks[5].credit, blocks[5].src) == (
        "A pier.",
        "Photo: Kim Ode",
        "https://example.test/a.jpg",
    )
    assert blocks[6].text == "Last one."
    assert html_to_blocks("") == []
    assert html_to_blocks("just text") == [Block(type="paragraph", text="just text")]


def test_article_to_text(news: Article) -> None:
    text = article_to_text(news, width=60)
    lines = text.splitlines()
    assert lines[0] == "Harbour town rebuilds its lighthouse after winter storm"
    assert set(lines[1]) == {"="}
    assert "Mara Lindqvist · Thu 14 Mar 2024" in lines[2]  # a date as people write it
    assert "[image] The keeper's cottage, now a small museum, lost half" in text
    assert "    — Photograph: Jane Doe for The Coastal Ledger" in lines
    assert "  • Oak frame: donated by a local farm" in lines
    assert "> Every stone of that tower has been carried up the hill by" in lines
    assert "A tower built from donated oak" in lines
    assert max(len(line) for line in lines) <= 60


def test_apply_feed_media() -> None:
    article = Article(blocks=[Block(type="paragraph", text="Body.")])
    media = [
        Media(
            url="https://cdn.test/lead.jpg",
            caption="Lead caption",
            credit="Photo: Ann",
            type="image/jpeg",
        )
    ]
    apply_feed_media(article, media)
    assert article.blocks[0] == Block(
        type="figure", caption="Lead caption", credit="Photo: Ann", src="https://cdn.test/lead.jpg"
    )
    assert article.lead_image == "https://cdn.test/lead.jpg"
    # already present: merged, not duplicated
    again = Article(
        blocks=[Block(type="figure", src="https://cdn.test/lead.jpg?w=800", caption="Page caption")]
    )
    apply_feed_media(again, media)
    assert len(again.blocks) == 1
    assert (again.blocks[0].caption, again.blocks[0].credit) == ("Page caption", "Photo: Ann")


def test_extract_package_does_not_import_textual() -> None:
    for path in (Path(__file__).parents[2] / "tui" / "extract").glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not any(n.split(".")[0] == "textual" for n in names), path
