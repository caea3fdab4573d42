"""Photos: check what an upload really is, keep its EXIF aside, make the served copies.

Pure functions on bytes (Pillow and pillow-heif, no AWS, no clock). The served copies are
fresh JPEGs without any metadata (EXIF, XMP, ICC, comments): no citizen's home coordinates
leak through a photo. The few EXIF facts the audit needs (where and when it was taken) are
returned apart, to be stored privately.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pillow_heif
from PIL import ExifTags, Image, ImageCms

from ..domain.calendar import BANGKOK
from ..domain.errors import InvalidInput

pillow_heif.register_heif_opener()

MAX_PIXELS = 64_000_000  # 48–50 MP phone photos pass; under Pillow's own bomb warning (89 MP)
THUMB_SIDE = 320  # longest side of the thumbnail
WEB_SIDE = 1600  # longest side of the web-size copy (never enlarged)
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
_T = Image.Transpose  # what each EXIF orientation asks, to be seen upright
_TRANSPOSE = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE, 6: _T.ROTATE_270}
_TRANSPOSE |= {7: _T.TRANSVERSE, 8: _T.ROTATE_90}
_TURNING = {_T.TRANSPOSE, _T.ROTATE_270, _T.TRANSVERSE, _T.ROTATE_90}  # width and height swap

_Base, _IFD, _GPS = ExifTags.Base, ExifTags.IFD, ExifTags.GPS
_SRGB = ImageCms.createProfile("sRGB")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


class NotAnImage(InvalidInput):
    code = "not_an_image"
    status = 400

    def __init__(self) -> None:
        super().__init__(
            "ไฟล์นี้ไม่ใช่รูปภาพที่รับได้ ส่งได้เฉพาะ JPEG, PNG, WebP หรือ HEIC / "
            "This file is not an image we accept: send a JPEG, PNG, WebP or HEIC photo"
        )


class ImageTooLarge(InvalidInput):
    code = "image_too_large"
    status = 400

    def __init__(self) -> None:
        mp = MAX_PIXELS // 1_000_000
        super().__init__(
            f"รูปภาพมีจำนวนพิกเซลเกิน {mp} ล้าน กรุณาส่งรูปที่เล็กลง / "
            f"The image has more than {mp} million pixels: send a smaller one"
        )


@dataclass(frozen=True)
class Exif:
    taken_at: datetime | None
    lat: float | None
    lon: float | None
    make: str | None
    model: str | None

    def as_json(self) -> dict[str, Any]:
        """JSON-safe, to be kept aside privately (never served)."""
        taken = self.taken_at.isoformat() if self.taken_at else None
        return {"taken_at": taken, "lat": self.lat, "lon": self.lon, "make": self.make, "model": self.model}


@dataclass(frozen=True)
class Processed:
    content_type: str  # what the bytes really are (sniffed, not declared)
    width: int  # of the original, after orientation
    height: int
    thumbnail: bytes  # JPEG, longest side min(THUMB_SIDE, original)
    web: bytes  # JPEG, longest side min(WEB_SIDE, original)
    exif: Exif


def process(data: bytes) -> Processed:
    """Check and decode ``data``; its EXIF facts and two metadata-free JPEG copies.

    Raises NotAnImage (not one of FORMATS, truncated, corrupt, empty) or ImageTooLarge."""
    im = _open(data)
    content_type, (width, height) = FORMATS[str(im.format)], im.size
    if im.format == "JPEG":  # decode at a reduced scale when the web copy is smaller anyway
        im.draft(None, _fit(im.size, WEB_SIDE))
    try:
        im.load()
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:  # truncated, corrupt
        raise NotAnImage() from exc
    exif = _read_exif(im)
    im, turned = _oriented(im)
    width, height = (height, width) if turned else (width, height)
    rgb = _rgb(im)
    return Processed(content_type, width, height, _jpeg(rgb, THUMB_SIDE), _jpeg(rgb, WEB_SIDE), exif)


def _open(data: bytes) -> Image.Image:
    """Image.open is lazy: it reads the header only, so the pixel count is checked before decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge() from exc
    except Exception as exc:  # any plugin's idea of "not mine" or "broken"
        raise NotAnImage() from exc
    if im.format not in FORMATS:
        raise NotAnImage()
    if im.width * im.height > MAX_PIXELS:
        raise ImageTooLarge()
    return im


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """``size`` scaled down so that its longest side is at most ``side`` (never enlarged)."""
    w, h = size
    scale = min(1.0, side / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def _oriented(im: Image.Image) -> tuple[Image.Image, bool]:
    """The image as it should be seen (EXIF or XMP orientation), and whether it was turned a quarter.

    What ImageOps.exif_transpose does, without rewriting the EXIF it carries: that fails on EXIF
    Pillow cannot write back (a tag of an unexpected type), and the copies drop the EXIF anyway."""
    try:
        method = _TRANSPOSE.get(int(im.getexif().get(_Base.Orientation, 1)))
    except Exception:  # unreadable EXIF: as stored
        return im, False
    if method is None:
        return im, False
    return im.transpose(method), method in _TURNING


def _rgb(im: Image.Image) -> Image.Image:
    """RGB in sRGB: colours converted from the embedded profile, transparency laid on white."""
    if im.mode.startswith("I"):  # 16-bit grey: scaled to 8 bits, not clipped
        im = im.convert("I").point(lambda v: v / 256).convert("L")
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "CMYK"):  # a broken profile: the colours as they are
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
            im = ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode="RGB") or im
    if im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    return im.convert("RGB")


def _jpeg(im: Image.Image, side: int) -> bytes:
    """A fresh JPEG, longest side at most ``side``, carrying no metadata at all."""
    copy = im.resize(_fit(im.size, side), Image.Resampling.LANCZOS)
    copy.info = {}  # no comment either
    out = io.BytesIO()
    copy.save(out, "JPEG", **JPEG_OPTIONS)
    return out.getvalue()


# --- EXIF ---------------------------------------------------------------------------------------


def _read_exif(im: Image.Image) -> Exif:
    """Where, when and with what the photo was taken; malformed or missing values are None."""
    try:
        exif = im.getexif()
        ifd0, sub, gps = dict(exif), exif.get_ifd(_IFD.Exif), exif.get_ifd(_IFD.GPSInfo)
    except Exception:
        return Exif(None, None, None, None, None)
    lat = _coordinate(gps.get(_GPS.GPSLatitude), gps.get(_GPS.GPSLatitudeRef), "N", "S", 90)
    lon = _coordinate(gps.get(_GPS.GPSLongitude), gps.get(_GPS.GPSLongitudeRef), "E", "W", 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):  # 0, 0: a camera without a fix
        lat = lon = None
    taken = _when(sub.get(_Base.DateTimeOriginal), sub.get(_Base.OffsetTimeOriginal))
    if taken is None:
        taken = _when(ifd0.get(_Base.DateTime), sub.get(_Base.OffsetTime))
    return Exif(taken, lat, lon, _text(ifd0.get(_Base.Make)), _text(ifd0.get(_Base.Model)))


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = "".join(c for c in value if c.isprintable()).strip()
    return value[:100] or None


def _coordinate(value: Any, ref: Any, plus: str, minus: str, limit: int) -> float | None:
    """Degrees, minutes, seconds and a hemisphere as signed decimal degrees; None when malformed."""
    sign = {plus: 1, minus: -1}.get((_text(ref) or "").upper()[:1])
    if sign is None or not isinstance(value, tuple) or not 1 <= len(value) <= 3:
        return None
    try:
        parts = [float(v) for v in value]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    d, m, s = (*parts, 0.0, 0.0)[:3]
    if not all(math.isfinite(v) and v >= 0 for v in (d, m, s)) or m > 60 or s > 60:
        return None
    degrees = d + m / 60 + s / 3600
    return round(sign * degrees, 7) if degrees <= limit else None


def _when(value: Any, offset: Any) -> datetime | None:
    """``YYYY:MM:DD HH:MM:SS`` with its ``±HH:MM`` offset (Bangkok's when absent or malformed)."""
    text, off = _text(value), _OFFSET.match(_text(offset) or "")
    if text is None:
        return None
    try:
        naive = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    zone = BANGKOK
    if off and int(off[2]) <= 14 and int(off[3]) < 60:
        delta = timedelta(hours=int(off[2]), minutes=int(off[3]))
        zone = timezone(delta if off[1] == "+" else -delta)
    return naive.replace(tzinfo=zone)
