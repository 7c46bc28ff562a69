"""Pictures for the demo's figures: drawn here (a sky, a sea or a field, a sun, a skyline),
each story its own colours, so `--demo` shows pictures offline with no image files shipped."""

from __future__ import annotations

import hashlib
import io

from tui.store import Store
from tui.store.pictures import save_picture

SIZE = (320, 180)


def drawn(seed: str) -> bytes:
    """A small JPEG, the same every time for the same seed."""
    from PIL import Image, ImageDraw, ImageOps

    h = hashlib.sha256(seed.encode()).digest()
    w, ht = SIZE
    horizon = ht * (50 + h[0] % 20) // 100
    sky = ImageOps.colorize(
        Image.linear_gradient("L").resize((w, horizon)),
        black=(20 + h[1] % 60, 60 + h[2] % 80, 150 + h[3] % 100),
        white=(200 + h[4] % 55, 160 + h[5] % 60, 120 + h[6] % 80),
    )
    ground = ImageOps.colorize(
        Image.linear_gradient("L").resize((w, ht - horizon)),
        black=(10 + h[7] % 60, 40 + h[8] % 90, 40 + h[9] % 90),
        white=(h[10] % 40, 20 + h[11] % 40, 30 + h[12] % 50),
    )
    img = Image.new("RGB", SIZE)
    img.paste(sky, (0, 0))
    img.paste(ground, (0, horizon))
    draw = ImageDraw.Draw(img)
    sun = (w * (10 + h[13] % 80) // 100, horizon * (20 + h[14] % 50) // 100)
    draw.ellipse([sun[0] - 14, sun[1] - 14, sun[0] + 14, sun[1] + 14], fill=(250, 215, 90))
    x = 0
    for i in range(6 + h[15] % 6):  # a skyline or a hull along the horizon
        width = 12 + h[16 + i] % 30
        height = 8 + h[(24 + i) % 32] % (horizon // 2)
        shade = 25 + h[(20 + i) % 32] % 40
        draw.rectangle([x, horizon - height, x + width, horizon], fill=(shade, shade, shade + 8))
        x += width + h[(8 + i) % 32] % 20
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def keep_drawn(store: Store, entry_id: int, urls: list[str]) -> None:
    """Keep a drawn picture for each of these figure URLs, as a prefetch would keep one."""
    for url in urls:
        save_picture(store, entry_id, url, drawn(url), *SIZE)
