"""Small photos made in memory, with the EXIF a phone writes (GPS, time, make and model)."""

from __future__ import annotations

import io
from datetime import datetime
from fractions import Fraction

import pillow_heif
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

pillow_heif.register_heif_opener()  # to encode HEIC

GREY = (128, 128, 128)
MARK = (255, 0, 0)  # the stored image's top-left corner, to see where orientation puts it


def dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Decimal degrees (unsigned) as EXIF degrees, minutes and seconds (rationals)."""
    ticks = round(abs(value) * 3600 * 10_000)  # in 1/10 000 of a second of arc
    degrees, rest = divmod(ticks, 3600 * 10_000)
    minutes, rest = divmod(rest, 60 * 10_000)
    seconds = Fraction(rest, 10_000)
    return IFDRational(degrees), IFDRational(minutes), IFDRational(seconds.numerator, seconds.denominator)


def exif_for(
    lat: float | None,
    lon: float | None,
    taken_at: datetime | None,
    orientation: int | None = None,
    make: str = "Testcam",
    model: str = "Phone 1",
) -> Image.Exif:
    """EXIF with the GPS IFD, DateTimeOriginal (and OffsetTimeOriginal when ``taken_at`` is aware)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = make
    exif[ExifTags.Base.Model] = model
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if taken_at is not None:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        sub[ExifTags.Base.DateTimeOriginal] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
        if taken_at.utcoffset() is not None:
            sub[ExifTags.Base.OffsetTimeOriginal] = taken_at.strftime("%z")[:3] + ":" + taken_at.strftime("%z")[3:]
    if lat is not None and lon is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSVersionID] = b"\x02\x03\x00\x00"
        gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        gps[ExifTags.GPS.GPSLatitude] = dms(lat)
        gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        gps[ExifTags.GPS.GPSLongitude] = dms(lon)
    return exif


def picture(size: tuple[int, int] = (800, 600), color: tuple[int, ...] = GREY, mode: str = "RGB") -> Image.Image:
    """A plain picture (RGB or RGBA) with an opaque red mark in its top-left corner."""
    im = Image.new(mode, size, color)
    im.paste((*MARK, 255) if mode == "RGBA" else MARK, (0, 0, max(1, size[0] // 8), max(1, size[1] // 8)))
    return im


def encode(im: Image.Image, fmt: str, exif: Image.Exif | bytes | None = None, **options: object) -> bytes:
    """``im`` saved as ``fmt`` with that EXIF (raw bytes are written as they are, broken or not)."""
    out = io.BytesIO()
    if exif is not None:
        options["exif"] = exif if isinstance(exif, bytes) else exif.tobytes()
    im.save(out, fmt, **options)
    return out.getvalue()


def jpeg_with_exif(
    lat: float | None,
    lon: float | None,
    taken_at: datetime | None,
    size: tuple[int, int] = (800, 600),
    color: tuple[int, int, int] = GREY,
    orientation: int | None = None,
) -> bytes:
    return encode(picture(size, color), "JPEG", exif_for(lat, lon, taken_at, orientation), quality=85)


def png_with_alpha(size: tuple[int, int] = (400, 300)) -> bytes:
    """Transparent, with an opaque red square in the top-left corner."""
    return encode(picture(size, (0, 0, 0, 0), "RGBA"), "PNG")


def webp_with_exif(lat: float, lon: float, taken_at: datetime | None, size: tuple[int, int] = (640, 480)) -> bytes:
    return encode(picture(size), "WEBP", exif_for(lat, lon, taken_at), quality=80)


def heic_with_exif(lat: float, lon: float, taken_at: datetime | None, size: tuple[int, int] = (640, 480)) -> bytes:
    return encode(picture(size), "HEIF", exif_for(lat, lon, taken_at), quality=60)
