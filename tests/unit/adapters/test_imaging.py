"""Photos as the system keeps them: what an upload really is, its EXIF kept aside, and served
copies that are upright, small enough and carry no metadata at all (issue #11)."""

from __future__ import annotations

import io
import json
import random
import struct
import warnings
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms
from PIL.TiffImagePlugin import IFDRational

from complaints.adapters import imaging
from complaints.adapters.imaging import ImageTooLarge, NotAnImage, process
from complaints.domain.errors import InvalidInput
from tests.photos import (
    GREY,
    MARK,
    encode,
    exif_for,
    heic_with_exif,
    jpeg_with_exif,
    picture,
    png_with_alpha,
    webp_with_exif,
)

pytestmark = pytest.mark.unit
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "photos"
ICT = timezone(timedelta(hours=7))
TAKEN = datetime(2026, 12, 1, 8, 0, tzinfo=ICT)
HOME = (13.7563, 100.5018)


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def near(color: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color, expected, strict=True))


# --- what is accepted ----------------------------------------------------------------------------


def test_a_jpeg_from_a_phone_gives_its_place_time_and_camera():
    done = process((FIXTURES / "before.jpg").read_bytes())
    assert (done.content_type, done.width, done.height) == ("image/jpeg", 800, 600)
    assert done.exif.lat == pytest.approx(13.738, abs=1e-6)
    assert done.exif.lon == pytest.approx(100.56, abs=1e-6)
    assert done.exif.taken_at == datetime(2026, 12, 1, 8, 0, tzinfo=ICT)
    assert (done.exif.make, done.exif.model) == ("Testcam", "Phone 1")
    assert opened(done.web).format == opened(done.thumbnail).format == "JPEG"


def test_a_png_with_transparency_comes_out_on_white():
    done = process(png_with_alpha((400, 300)))
    assert done.content_type == "image/png"
    web = opened(done.web)
    assert web.mode == "RGB"
    assert near(web.getpixel((300, 200)), (255, 255, 255))  # transparent: white, not black
    assert near(web.getpixel((10, 10)), MARK)  # opaque: kept


def test_a_webp_is_read_with_its_exif():
    done = process(webp_with_exif(*HOME, TAKEN))
    assert (done.content_type, done.width, done.height) == ("image/webp", 640, 480)
    assert (done.exif.lat, done.exif.lon) == pytest.approx(HOME, abs=1e-6)
    assert done.exif.taken_at == TAKEN


def test_a_heic_from_an_iphone_is_read_with_its_exif():
    # pillow-heif encodes HEIC here (x265), so the test makes a real one.
    done = process(heic_with_exif(*HOME, TAKEN))
    assert (done.content_type, done.width, done.height) == ("image/heic", 640, 480)
    assert (done.exif.lat, done.exif.lon) == pytest.approx(HOME, abs=1e-6)
    assert done.exif.taken_at == TAKEN
    assert near(opened(done.web).getpixel((10, 10)), MARK)


def test_the_type_is_what_the_bytes_are_not_what_the_name_says():
    png = encode(picture((100, 80)), "PNG")
    assert process(png).content_type == "image/png"  # whatever the upload declared


# --- what is refused -----------------------------------------------------------------------------


def gif() -> bytes:
    return encode(picture((40, 30)), "GIF")


def bmp() -> bytes:
    return encode(picture((40, 30)), "BMP")


def tiff() -> bytes:
    return encode(picture((40, 30)), "TIFF")


def truncated_jpeg() -> bytes:
    data = jpeg_with_exif(*HOME, TAKEN)
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is a text file\n",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        gif(),
        bmp(),
        tiff(),
        truncated_jpeg(),
        b"\xff\xd8\xff\xe0" + b"\x00" * 200,  # a JPEG's magic and nothing after it
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,  # a PNG's magic and garbage
    ],
    ids=["empty", "text", "pdf", "gif", "bmp", "tiff", "truncated-jpeg", "jpeg-magic-only", "png-garbage"],
)
def test_anything_but_a_whole_jpeg_png_webp_or_heic_is_not_an_image(data):
    with pytest.raises(NotAnImage) as refused:
        process(data)
    assert isinstance(refused.value, InvalidInput)
    assert (refused.value.code, refused.value.status) == ("not_an_image", 400)
    assert all(name in refused.value.message for name in ("JPEG", "PNG", "WebP", "HEIC"))


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width × height but holds one row: what a decompression bomb starts as."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 4)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "size",
    [(9000, 8000), (12_000, 9_000), (30_000, 30_000)],
    ids=["over-our-limit", "pillow-warns", "pillow-refuses"],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(size):
    with warnings.catch_warnings(), pytest.raises(ImageTooLarge) as refused:
        warnings.simplefilter("error")  # Pillow's DecompressionBombWarning is no way out either
        process(png_header(*size))
    assert (refused.value.code, refused.value.status) == ("image_too_large", 400)
    assert isinstance(refused.value, InvalidInput)


def test_the_pixel_limit_is_inclusive(monkeypatch):
    monkeypatch.setattr(imaging, "MAX_PIXELS", 800 * 600)
    assert process(jpeg_with_exif(None, None, None, size=(800, 600))).width == 800
    with pytest.raises(ImageTooLarge):
        process(jpeg_with_exif(None, None, None, size=(801, 600)))


# --- what is served ------------------------------------------------------------------------------


def with_every_kind_of_metadata() -> bytes:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>13,44.28N</exif:GPSLatitude></x:xmpmeta>'
    exif = exif_for(*HOME, TAKEN)
    return encode(picture(), "JPEG", exif, icc_profile=icc, xmp=xmp, comment=b"secret-comment")


@pytest.mark.parametrize(
    "data",
    [
        with_every_kind_of_metadata(),
        encode(picture(), "PNG", exif_for(*HOME, TAKEN)),
        webp_with_exif(*HOME, TAKEN),
        heic_with_exif(*HOME, TAKEN),
    ],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_the_served_copies_carry_no_metadata_at_all(data):
    done = process(data)
    assert done.exif.lat is not None  # it was there, and is kept aside
    for served in (done.thumbnail, done.web):
        im = opened(served)
        assert dict(im.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(im.info)
        for trace in (b"Exif", b"GPS", b"Testcam", b"Phone 1", b"xmpmeta", b"secret", b"ICC_PROFILE"):
            assert trace not in served


# Where the stored image's top-left corner (the red mark) is seen after each EXIF orientation.
CORNERS = {1: "tl", 2: "tr", 3: "br", 4: "bl", 5: "tl", 6: "tr", 7: "br", 8: "bl"}


@pytest.mark.parametrize("orientation", sorted(CORNERS))
def test_the_photo_is_served_upright(orientation):
    done = process(jpeg_with_exif(*HOME, TAKEN, size=(800, 600), orientation=orientation))
    portrait = orientation >= 5
    assert (done.width, done.height) == ((600, 800) if portrait else (800, 600))
    web = opened(done.web)
    assert web.size == (done.width, done.height)
    w, h = web.size
    corners = {"tl": (10, 10), "tr": (w - 10, 10), "bl": (10, h - 10), "br": (w - 10, h - 10)}
    for name, xy in corners.items():
        assert near(web.getpixel(xy), MARK if name == CORNERS[orientation] else GREY), name
    assert opened(done.thumbnail).size == ((240, 320) if portrait else (320, 240))


def test_a_heic_turned_by_the_phone_is_turned_once():
    # pillow-heif applies HEIF's own rotation and resets the EXIF orientation: no second turn.
    data = encode(picture((800, 600)), "HEIF", exif_for(*HOME, TAKEN, orientation=6), quality=60)
    done = process(data)
    assert (done.width, done.height) == (600, 800)
    assert near(opened(done.web).getpixel((590, 10)), MARK)


def test_an_orientation_given_in_xmp_only_is_applied_too():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description tiff:Orientation="6"/></x:xmpmeta>'
    done = process(encode(picture((800, 600)), "JPEG", xmp=xmp))
    assert (done.width, done.height) == (600, 800)
    assert opened(done.web).size == (600, 800)


def test_a_photo_is_upright_even_when_another_exif_tag_is_broken():
    # The camera's make stored as a DOUBLE, not text: Pillow reads it but cannot write it back,
    # which once made ImageOps.exif_transpose fail (and the photo come out sideways).
    blob = exif_for(*HOME, TAKEN, orientation=6).tobytes()
    make_as_text = b"\x01\x0f\x00\x02\x00\x00\x00\x08"  # tag 0x010F, type ASCII, 8 bytes (big-endian)
    assert blob.count(make_as_text) == 1
    done = process(encode(picture((800, 600)), "JPEG", blob.replace(make_as_text, b"\x01\x0f\x00\x0c\x00\x00\x00\x01")))
    assert (done.width, done.height) == (600, 800)
    assert near(opened(done.web).getpixel((590, 10)), MARK)
    assert done.exif.make is None
    assert (done.exif.lat, done.exif.lon) == pytest.approx(HOME, abs=1e-6)


@pytest.mark.parametrize(
    ("size", "web", "thumb"),
    [
        ((2400, 1800), (1600, 1200), (320, 240)),
        ((3400, 2550), (1600, 1200), (320, 240)),  # big enough to be decoded at a reduced scale
        ((1200, 3000), (640, 1600), (128, 320)),
        ((800, 600), (800, 600), (320, 240)),  # the web copy is never enlarged
        ((200, 150), (200, 150), (200, 150)),  # nor is the thumbnail
    ],
)
def test_sizes_of_the_copies(size, web, thumb):
    done = process(jpeg_with_exif(*HOME, TAKEN, size=size))
    assert (done.width, done.height) == size
    assert opened(done.web).size == web
    assert opened(done.thumbnail).size == thumb


def test_a_png_is_resized_like_a_jpeg():
    done = process(encode(picture((2000, 500)), "PNG"))
    assert (opened(done.web).size, opened(done.thumbnail).size) == ((1600, 400), (320, 80))


# --- the EXIF kept aside -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "place",
    [(13.7563, 100.5018), (-33.8688, 151.2093), (40.7128, -74.0060), (-22.9068, -43.1729)],
    ids=["N-E", "S-E", "N-W", "S-W"],
)
def test_south_and_west_are_negative(place):
    exif = process(jpeg_with_exif(*place, TAKEN, size=(64, 48))).exif
    assert (exif.lat, exif.lon) == pytest.approx(place, abs=1e-6)


def test_the_time_keeps_the_offset_the_phone_wrote():
    tokyo = datetime(2026, 12, 1, 10, 0, tzinfo=timezone(timedelta(hours=9)))
    taken = process(jpeg_with_exif(*HOME, tokyo, size=(64, 48))).exif.taken_at
    assert taken == tokyo
    assert taken is not None and taken.utcoffset() == timedelta(hours=9)


def test_a_time_without_offset_is_bangkok_time():
    taken = process(jpeg_with_exif(*HOME, datetime(2026, 12, 1, 8, 0), size=(64, 48))).exif.taken_at
    assert taken == TAKEN
    assert taken is not None and taken.utcoffset() == timedelta(hours=7)


def exif_with(ifd: int | None, **tags: object) -> Image.Exif:
    """The usual EXIF with some tags of IFD0 (ifd None), the Exif IFD or the GPS IFD replaced (None: removed)."""
    exif = exif_for(*HOME, TAKEN)
    table = exif if ifd is None else exif.get_ifd(ifd)
    names = ExifTags.GPS if ifd == ExifTags.IFD.GPSInfo else ExifTags.Base
    for name, value in tags.items():
        table.pop(names[name], None)
        if value is not None:
            table[names[name]] = value
    return exif


def read(exif: Image.Exif) -> imaging.Exif:
    return process(encode(picture((64, 48)), "JPEG", exif)).exif


def test_without_date_time_original_the_date_time_is_used():
    exif = exif_with(ExifTags.IFD.Exif, DateTimeOriginal=None, OffsetTimeOriginal=None)
    exif[ExifTags.Base.DateTime] = "2026:12:02 09:30:00"
    assert read(exif).taken_at == datetime(2026, 12, 2, 9, 30, tzinfo=ICT)


@pytest.mark.parametrize(
    ("when", "offset", "expected"),
    [
        ("0000:00:00 00:00:00", "+07:00", None),
        ("yesterday", "+07:00", None),
        ("    :  :     :  :  ", None, None),
        ("2026:12:01 08:00:00", "+25:00", TAKEN),  # a broken offset: Bangkok's
        ("2026:12:01 08:00:00", "garbage", TAKEN),
    ],
)
def test_a_malformed_time_is_none_or_bangkok_time(when, offset, expected):
    assert read(exif_with(ExifTags.IFD.Exif, DateTimeOriginal=when, OffsetTimeOriginal=offset)).taken_at == expected


R = IFDRational
MALFORMED_GPS = {
    "zero-denominator": {"GPSLatitude": (R(13), R(1, 0), R(0))},
    "minutes-75": {"GPSLatitude": (R(13), R(75), R(0))},
    "latitude-95": {"GPSLatitude": (R(95), R(0), R(0))},
    "longitude-181": {"GPSLongitude": (R(181), R(0), R(0))},
    "no-latitude-ref": {"GPSLatitudeRef": None},
    "unknown-ref": {"GPSLongitudeRef": "X"},
    "a-single-number": {"GPSLatitude": R(13)},
    "four-numbers": {"GPSLatitude": (R(13), R(1), R(2), R(3))},
    "no-longitude": {"GPSLongitude": None},
    "null-island": {"GPSLatitude": (R(0), R(0), R(0)), "GPSLongitude": (R(0), R(0), R(0))},
}


@pytest.mark.parametrize("tags", MALFORMED_GPS.values(), ids=MALFORMED_GPS.keys())
def test_a_malformed_gps_position_is_none_and_the_rest_is_read(tags):
    exif = read(exif_with(ExifTags.IFD.GPSInfo, **tags))
    assert (exif.lat, exif.lon) == (None, None)
    assert exif.taken_at == TAKEN


def test_a_photo_without_exif_has_none_everywhere():
    exif = process(encode(picture((64, 48)), "JPEG")).exif
    assert exif == imaging.Exif(None, None, None, None, None)
    assert exif.as_json() == {"taken_at": None, "lat": None, "lon": None, "make": None, "model": None}


def test_the_exif_kept_aside_is_json():
    kept = process((FIXTURES / "after_elsewhere.jpg").read_bytes()).exif.as_json()
    assert json.loads(json.dumps(kept)) == {
        "taken_at": "2026-12-03T10:00:00+07:00",
        "lat": pytest.approx(13.7563, abs=1e-6),
        "lon": pytest.approx(100.5018, abs=1e-6),
        "make": "Testcam",
        "model": "Phone 1",
    }


def broken_exif_blobs() -> list[bytes]:
    """The usual EXIF cut short at many places, and with bytes flipped at random (seeded)."""
    blob = exif_for(*HOME, TAKEN, orientation=6).tobytes()
    cuts = [blob[:n] for n in range(8, len(blob), 7)]
    rng = random.Random(1555)
    flipped = []
    for _ in range(150):
        body = bytearray(blob)
        for _ in range(rng.randint(1, 6)):
            body[rng.randrange(6, len(body))] = rng.randrange(256)
        flipped.append(bytes(body))
    return cuts + flipped


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow says "possibly corrupt EXIF"
def test_broken_exif_never_stops_a_photo():
    for blob in broken_exif_blobs():
        done = process(encode(picture((64, 48)), "JPEG", blob))
        assert done.width * done.height == 64 * 48
        assert done.exif.lat is None or -90 <= done.exif.lat <= 90
        assert done.exif.lon is None or -180 <= done.exif.lon <= 180
        assert b"Exif" not in done.web
