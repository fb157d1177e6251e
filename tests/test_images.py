"""Uploaded images (marketplace/images.py): a decompression bomb is refused from its header,
before any pixel is decoded, wherever images come in; vouchers and acceptance photos are
written anew like catalog photos, without EXIF or anything appended; PDFs are downloaded."""
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from marketplace import images
from marketplace.catalog import uploads
from marketplace.errors import ValidationError
from marketplace.ordering import services as ordering
from marketplace.payments import services as payments
from tests.helpers import upload

SCRIPT = b"<script>alert(document.cookie)</script>"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width=9000, height=8800):
    """A ~79-megapixel, 1-bit PNG of a few hundred bytes (most of it one zlib stream of 0s)."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    pixels = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels)
            + _chunk(b"IEND", b""))


def jpeg_with_gps_and_a_script():
    """A JPEG carrying an EXIF GPS position and a script appended after its end."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (29.0, 39.0, 0.0), 3: "E", 4: (94.0, 21.0, 0.0)}  # GPSInfo
    exif[0x010F] = "CameraMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 40)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue() + SCRIPT


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any image is decoded."""
    def refuse(self, *args, **kwargs):
        raise AssertionError("an image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_the_bomb_is_small_but_announces_79_megapixels():
    data = bomb_png()
    assert len(data) < 300_000
    with pytest.warns(Image.DecompressionBombWarning), Image.open(io.BytesIO(data)) as probe:
        assert probe.size[0] * probe.size[1] > 79_000_000


def test_a_bomb_is_refused_from_its_header_before_decoding(no_decoding):
    with pytest.raises(ValidationError) as caught:
        images.open_image(bomb_png(), "photo")
    assert caught.value.fields == {"photo": "too_many_pixels"}
    # Just under the limit is no bomb: it is read (here: decoding is what the fixture forbids).
    with pytest.raises(AssertionError, match="decoded"):
        images.open_image(bomb_png(6000, 6000), "photo")


def test_every_entry_point_refuses_the_bomb(app, db, no_decoding):
    with app.test_request_context():
        with pytest.raises(ValidationError):
            uploads.save_photo(upload(bomb_png()))
        with pytest.raises(ValidationError):
            uploads.save_document(upload(bomb_png()))
        with pytest.raises(ValidationError):
            payments.save_voucher(upload(bomb_png(), filename="回单.png"))
        with pytest.raises(ValidationError):
            ordering.save_acceptance_photo(None, bomb_png())


def _stored_clean(path):
    data = Path(path).read_bytes()
    assert SCRIPT not in data
    with Image.open(io.BytesIO(data)) as stored:
        exif = stored.getexif()
        assert 0x8825 not in exif and 0x010F not in exif
        assert stored.size == (32, 24)


def test_vouchers_and_acceptance_photos_are_written_anew_without_exif(app, db):
    original = jpeg_with_gps_and_a_script()
    with Image.open(io.BytesIO(original)) as probe:
        assert 0x8825 in probe.getexif()
    with app.test_request_context():
        voucher = payments.save_voucher(upload(original, filename="回单.jpg",
                                               content_type="image/jpeg"))
        _stored_clean(Path(app.config["UPLOAD_FOLDER"]) / voucher)
        photo = ordering.save_acceptance_photo(None, original)
        _stored_clean(ordering.photo_folder() / photo)
        stored = uploads.save_photo(upload(original, filename="p.jpg"))
        _stored_clean(uploads.path_of(stored["stored_name"]))


def test_a_voucher_pretending_to_be_an_image_is_refused(app, db):
    with app.test_request_context():
        with pytest.raises(ValidationError):
            payments.save_voucher(upload(b"\x89PNG\r\n\x1a\n" + SCRIPT, filename="v.png"))
        with pytest.raises(ValidationError):
            ordering.save_acceptance_photo(None, b"\xff\xd8\xff" + SCRIPT)
