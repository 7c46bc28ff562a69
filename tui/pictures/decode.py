"""Decode a picture from untrusted bytes, within caps, and keep a small compressed copy.

Only the raster formats Pillow decodes itself and that the web uses for photos (JPEG, PNG,
GIF, WebP) are opened; anything else is refused by its header. The size in the header is
checked before any pixel is decoded, so a decompression bomb (a small file declaring a huge
image) is refused with the memory of its header. A JPEG is decoded at a reduced scale
(libjpeg's DCT scaling) when that is all we keep, so a large photo costs an eighth of its
pixels.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported when a picture is first decoded
    from PIL.Image import Image

FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# Pixels we decode at full size: 12 MP of RGBA is 48 MB, the memory a refused bomb may cost.
MAX_PIXELS = 12_000_000
# Pixels a JPEG may declare: decoded at 1/8 scale at worst, 80 MP costs 1.25 MP (and stays
# under Pillow's own bomb warning at 89 MP).
MAX_JPEG_PIXELS = 80_000_000
# What the cache keeps: enough for a wide pane in Kitty graphics, small enough to store many.
KEEP_BOX = (960, 720)
KEEP_QUALITY = 78


BOMB = "refused: the picture declares more pixels than newsdesk decodes"


class PictureError(Exception):
    """A picture that cannot be shown; the message is the one-line reason."""


@dataclass(frozen=True)
class Kept:
    """A downscaled copy, as stored: JPEG bytes and their size in pixels."""

    data: bytes
    width: int
    height: int


def open_capped(data: bytes, box: tuple[int, int] | None = None) -> Image:
    """Open and decode within the caps; with `box`, a JPEG is decoded no larger than needed
    to fill it. Raises PictureError with a short reason."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        img = PILImage.open(io.BytesIO(data), formats=FORMATS)
    except UnidentifiedImageError:
        raise PictureError("not a picture format newsdesk shows (JPEG, PNG, GIF, WebP)") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise PictureError(f"broken picture: {_short(exc)}") from None
    except PILImage.DecompressionBombError:
        raise PictureError(BOMB) from None
    width, height = img.size
    limit = MAX_JPEG_PIXELS if img.format == "JPEG" else MAX_PIXELS
    if width <= 0 or height <= 0 or width * height > limit:
        img.close()
        raise PictureError(f"refused: {width} x {height} pixels is more than newsdesk decodes")
    if img.format == "JPEG":
        img.draft("RGB", _draft_box(box or KEEP_BOX, (width, height)))
        if img.size[0] * img.size[1] > MAX_PIXELS:
            img.close()
            raise PictureError(f"refused: {width} x {height} pixels is more than newsdesk decodes")
    try:
        img.load()  # the first frame only, for GIF and animated WebP
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise PictureError(f"broken picture: {_short(exc)}") from None
    except PILImage.DecompressionBombError:
        raise PictureError(BOMB) from None
    return img


def _draft_box(box: tuple[int, int], size: tuple[int, int]) -> tuple[int, int]:
    """The smallest size draft() may scale to that still covers `box` with the aspect kept."""
    scale = min(1.0, max(box[0] / size[0], box[1] / size[1]))
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def to_rgb(img: Image) -> Image:
    """Flatten transparency onto white (how a web page shows it) and drop palettes."""
    from PIL import Image as PILImage

    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = PILImage.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return img if img.mode == "RGB" else img.convert("RGB")


def keep(data: bytes) -> Kept:
    """The copy the cache keeps: at most KEEP_BOX, JPEG. Raises PictureError."""
    img = open_capped(data, KEEP_BOX)
    try:
        rgb = to_rgb(img)
        rgb.thumbnail(KEEP_BOX)
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=KEEP_QUALITY, optimize=True)
        return Kept(out.getvalue(), rgb.size[0], rgb.size[1])
    finally:
        img.close()


def load_kept(data: bytes, box: tuple[int, int]) -> Image:
    """A stored copy, decoded for a renderer at no more than `box` (aspect kept), RGB."""
    from PIL.Image import Resampling

    img = open_capped(data, box)
    rgb = to_rgb(img)
    if rgb.size[0] > box[0] or rgb.size[1] > box[1]:
        # BOX: an average of the pixels each one covers; the renderers resize again anyway,
        # and the default (bicubic) took 16 ms a picture here against 1 ms
        rgb.thumbnail(box, Resampling.BOX)
    return rgb


def warm() -> None:
    """Import what decoding needs (Pillow and its JPEG, PNG, GIF and WebP plugins)."""
    from PIL import GifImagePlugin, JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]
