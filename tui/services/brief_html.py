"""`newsdesk brief --format html`: one self-contained page for a browser, a mail or a phone.

- No script, no remote fetch: no <script>, no <img>, no web fonts or external style; a
  Content-Security-Policy that forbids them anyway (default-src 'none'), should a later change
  slip one in. Links are plain <a href> to http(s) URLs only, opened by the reader's own click,
  with no referrer.
- Every feed string is cleaned (tui.services.brief.item) and then escaped with
  html.escape(quote=True): text shows literally, whatever markup it holds.
- Readable on a phone: a viewport meta and one narrow column that wraps.
"""

from __future__ import annotations

from html import escape

from tui.services.brief import Item, heading, item, photo_line
from tui.services.front import FrontPage

_STYLE = """
body{font:17px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;
max-width:42rem;padding:1rem;color:#1b1b1b;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.3rem;margin:0 0 1rem}
article{border-top:1px solid #ddd;padding:.8rem 0}
h2{font-size:1.15rem;margin:0 0 .3rem}
a{color:#0645ad}
.by,.photo,.also{color:#555;font-size:.9rem;margin:.2rem 0}
.dek{margin:.3rem 0}
@media (prefers-color-scheme:dark){body{background:#121212;color:#e8e8e8}
a{color:#8ab4f8}.by,.photo,.also{color:#aaa}article{border-color:#333}}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _story(i: Item) -> str:
    title = _e(i.title)
    if i.link:
        title = f'<a href="{_e(i.link)}" rel="noopener noreferrer">{title}</a>'
    carried = f"{i.sources} source{'s' if i.sources != 1 else ''}"
    parts = [
        f"<article><h2>{i.rank}. {title}</h2>",
        f'<p class="by">{_e(i.source)} · {_e(i.published)} · {carried}</p>',
    ]
    if i.dek:
        parts.append(f'<p class="dek">{_e(i.dek)}</p>')
    photo = photo_line(i)
    if photo:
        parts.append(f'<p class="photo">{_e(photo)}</p>')
    if i.also:
        parts.append(f'<p class="also">{_e(i.also)}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def to_html(page: FrontPage) -> str:
    title = _e(heading(page))
    body = "\n".join(_story(i) for i in map(item, page.stories))
    if not page.stories:
        body = "<p>Nothing unread in this window.</p>"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style></head>\n"
        f"<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n"
    )
