"""Uploaded images, checked and re-encoded the same way wherever they come in (product photos,
certification documents, transfer vouchers, photos of what arrived: acceptance and after-sales).

The size the header announces is checked before a single pixel is decoded (a small PNG can
announce 80 megapixels and take a gigabyte once decoded); the image is then verified, decoded,
turned upright and written anew as JPEG or PNG, which drops EXIF (GPS positions, camera
serials) and anything appended to the file.
"""
import io
import uuid
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.errors import ValidationError
from marketplace.i18n import translate as _

MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_SIDE = 1600
# What a buyer's photo of the goods may be (a phone's camera gives one of these).
PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")

# Pillow's own guard, a backstop only: it warns above this and refuses above twice this.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def open_image(data, field, message=None):
    """A verified, fully decoded, upright Pillow image from uploaded bytes.

    :raises ValidationError: not a JPEG, PNG, WebP or GIF image (`message`, code
        not_an_image), or larger than MAX_PIXELS (code too_many_pixels), refused before it
        is decoded.
    """
    refusal = ValidationError(message or _("文件不是有效的图片（支持 JPEG、PNG、WebP、GIF）。"),
                              fields={field: "not_an_image"})
    try:
        with warnings.catch_warnings():
            # Pillow warns about a large image on opening; it is refused just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))  # reads the header only
        with probe:
            kind, (width, height) = probe.format, probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("图片像素过多（%(mp)s 百万像素，最多 %(max)s 百万像素）。",
                      mp=width * height // 1_000_000, max=MAX_PIXELS // 1_000_000),
                    fields={field: "too_many_pixels"})
            probe.verify()
        if kind not in IMAGE_FORMATS:
            raise refusal
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refusal from None
    return ImageOps.exif_transpose(image)


def encode(image, max_side=MAX_SIDE):
    """Re-encode to PNG when transparent, JPEG otherwise (dropping every metadata block).

    :returns: (bytes, extension "png" or "jpg", (width, height)).
    """
    image = image.copy()
    image.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image.convert("RGBA").save(buffer, "PNG", optimize=True)
        return buffer.getvalue(), "png", image.size
    image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue(), "jpg", image.size


def reencoded(data, field, message=None, max_side=MAX_SIDE):
    """An uploaded image checked and written anew: (bytes, extension)."""
    encoded, extension, _size = encode(open_image(data, field, message), max_side)
    return encoded, extension


def photo_upload(photo, field):
    """A buyer's photo of the goods (a file object or bytes) checked and re-encoded, at most
    MAX_SIDE px a side: (bytes, extension), or None when nothing was uploaded. Nothing is
    stored: `store_photo` does that once the rest of the form is right.

    :raises ValidationError: larger than MAX_UPLOAD_BYTES, or not a JPEG, PNG or WebP image
        (on `field`).
    """
    data = photo if isinstance(photo, bytes) else photo.read()
    if not data:
        return None
    if len(data) > current_app.config.get("MAX_UPLOAD_BYTES", 8 * 1024 * 1024):
        raise ValidationError(_("照片过大。"), fields={field: "too_large"})
    message = _("照片必须是 JPEG、PNG 或 WebP 图片。")
    if not data.startswith(PHOTO_SIGNATURES):
        raise ValidationError(message, fields={field: "format"})
    return reencoded(data, field, message)


def store_photo(encoded, extension, folder_name):
    """Write a checked photo under UPLOAD_FOLDER/`folder_name` with a random name; the name."""
    name = f"{uuid.uuid4().hex}.{extension}"
    folder = photo_folder(folder_name)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(encoded)
    return name


def photo_folder(folder_name):
    """The folder (inside UPLOAD_FOLDER) that keeps one kind of photo."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / folder_name
