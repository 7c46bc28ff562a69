"""A site with photos for the picture tests, the bench and the screenshots: a feed whose
articles hold figures (picture, caption, credit), served by the tests' own HTTP server.

The photos are drawn here with Pillow (a sky, a sea, a sun and a hull), so every test knows
exactly what a picture looks like."""

from __future__ import annotations

import io
import time

from feedgen import rss

CAPTION = "Two Mi-24 helicopters fly over the coast at dawn."
CREDIT = "Photo: A. Reporter / Example Agency"


def photo(width: int = 640, height: int = 400, fmt: str = "JPEG", seed: int = 0) -> bytes:
    """A photo-like picture: sky gradient over a sea, a sun, a dark hull."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    horizon = height * 3 // 5
    for y in range(height):
        if y < horizon:
            t = y / horizon
            colour = (int(40 + 180 * t), int(90 + 110 * t), int(200 - 40 * t))
        else:
            t = (y - horizon) / max(1, height - horizon)
            colour = (int(10 + 20 * t), int(60 - 30 * t), int(110 - 50 * t))
        draw.line([(0, y), (width, y)], fill=colour)
    sun = (width // 4 + seed * 37 % (width // 2), horizon // 2)
    r = max(4, min(width, height) // 10)
    draw.ellipse([sun[0] - r, sun[1] - r, sun[0] + r, sun[1] + r], fill=(250, 210, 60))
    draw.rectangle(
        [width // 2, horizon - height // 12, width * 4 // 5, horizon + height // 30],
        fill=(30, 30, 35),
    )
    out = io.BytesIO()
    img.save(out, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return out.getvalue()


def article_page(title: str, figures: list[tuple[str, str, str]], paragraphs: int = 6) -> str:
    """An article page: each figure (picture URL, caption, credit) then paragraphs."""
    body = [f"<h1>{title}</h1>"]
    for n, (src, caption, credit) in enumerate(figures):
        body.append(
            f'<figure><img src="{src}" alt=""><figcaption>{caption} '
            f'<span class="credit">{credit}</span></figcaption></figure>'
        )
        body.extend(
            f"<p>Paragraph {j} after figure {n} of {title}, long enough that the extractor "
            "keeps it as part of the story's body text.</p>"
            for j in range(paragraphs)
        )
    return f"<html><head><title>{title}</title></head><body><article>{''.join(body)}</article></body></html>"


def photo_site(server, stories: int = 1, photos: int = 1, host: str | None = None) -> str:
    """Serve `stories` articles with `photos` figures each; returns the feed URL. Pictures are
    served from `host` (default: the server itself) at /img/S-N.jpg."""
    base = host or server.base
    items = []
    now = time.time()
    for s in range(stories):
        figures = []
        for n in range(photos):
            path = f"/img/{s}-{n}.jpg"
            server.add(path, photo(seed=s * 7 + n), content_type="image/jpeg")
            figures.append((base + path, f"{CAPTION} ({s}.{n})", CREDIT))
        link = server.add(
            f"/story{s}.html",
            article_page(f"Story {s}", figures),
            content_type="text/html; charset=utf-8",
        )
        items.append({"title": f"Story {s}", "guid": f"s{s}", "link": link, "date": now - 60 * s})
    return server.add("/photos.xml", rss("Photo desk", items))
