"""Uploaded files: photos are verified and re-encoded (`marketplace.images`), documents checked
by type and size.

Files are stored under random names in UPLOAD_FOLDER/catalog and only ever served back
through a view that accepts nothing but those names, so an upload can neither run nor
overwrite another file, whatever its original name says.
"""
import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app

from marketplace import images
from marketplace.errors import ValidationError
from marketplace.inputs import read_upload
from marketplace.i18n import translate as _

STORED_NAME = re.compile(r"^[0-9a-f]{32}(_t)?\.(jpg|png|pdf)$")
PHOTO_MAX_SIDE = 1600
THUMB_SIDE = 400
MAX_PIXELS = images.MAX_PIXELS


def folder():
    """The folder catalog uploads live in (created on first use)."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "catalog"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored_name):
    """The file behind a stored name. :raises ValueError: not a name this module produced."""
    if not STORED_NAME.match(stored_name or ""):
        raise ValueError("not a stored name")
    return folder() / stored_name


def _read(upload, field):
    """The bytes of an uploaded file. :raises ValidationError: empty or larger than allowed."""
    return read_upload(upload, field, _("文件为空。"), _("文件过大（最大 %(mb)s MB）。"))


def _open_image(data, field):
    """A verified, fully decoded Pillow image. :raises ValidationError: not an image we accept."""
    return images.open_image(data, field)


def _encode(image, max_side):
    """Re-encode to PNG when transparent, JPEG otherwise (dropping every metadata block)."""
    return images.encode(image, max_side)


def _write(data, extension, suffix=""):
    name = f"{secrets.token_hex(16)}{suffix}.{extension}"
    target = folder() / name
    # O_EXCL: never overwrite, even if a random name were to repeat.
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return name


def save_photo(upload, field="photos"):
    """Store a product photo and its thumbnail.

    :returns: dict(stored_name, thumb_name, width, height).
    :raises ValidationError: empty, too large, or not an image.
    """
    image = _open_image(_read(upload, field), field)
    data, extension, size = _encode(image, PHOTO_MAX_SIDE)
    thumb, thumb_extension, _size = _encode(image, THUMB_SIDE)
    stored = _write(data, extension)
    thumb_name = stored.replace(f".{extension}", f"_t.{thumb_extension}")
    descriptor = os.open(folder() / thumb_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(thumb)
    return {"stored_name": stored, "thumb_name": thumb_name, "width": size[0], "height": size[1]}


def save_document(upload, field="documents"):
    """Store a certification document: a PDF (checked by its signature) or an image (re-encoded).

    :returns: dict(stored_name, original_name, content_type, size).
    :raises ValidationError: empty, too large, or neither a PDF nor an image.
    """
    data = _read(upload, field)
    original = os.path.basename((upload.filename or "document").replace("\\", "/"))[:200]
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("PDF 文件不完整。"), fields={field: "broken_pdf"})
        return {"stored_name": _write(data, "pdf"), "original_name": original,
                "content_type": "application/pdf", "size": len(data)}
    try:
        image = _open_image(data, field)
    except ValidationError:
        raise ValidationError(_("证明材料须为 PDF 或图片。"), fields={field: "bad_type"}) from None
    encoded, extension, _size = _encode(image, PHOTO_MAX_SIDE)
    content_type = "image/png" if extension == "png" else "image/jpeg"
    return {"stored_name": _write(encoded, extension), "original_name": original,
            "content_type": content_type, "size": len(encoded)}


def remove(*stored_names):
    """Delete stored files (after their rows are gone); missing files are ignored."""
    for name in stored_names:
        try:
            path_of(name).unlink(missing_ok=True)
        except ValueError:
            continue


# A bulk file checked by a dry run waits here for its confirmation: one per user, under a
# random token, for an hour at most.
KEPT_SHEET = re.compile(r"^[0-9a-f]{32}$")
SHEET_LIFETIME = 3600


def _sheet_folder():
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "bulk"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_sheet(user_id, data):
    """Keep a checked bulk file of `user_id` (dropping the user's earlier one); its token."""
    drop_sheet(user_id)
    token = secrets.token_hex(16)
    descriptor = os.open(_sheet_folder() / f"{int(user_id)}-{token}.xlsx",
                         os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return token


def kept_sheet(user_id, token):
    """The bytes kept under `token` for this user, or None (another user's, expired, unknown)."""
    if not KEPT_SHEET.match(token or ""):
        return None
    path = _sheet_folder() / f"{int(user_id)}-{token}.xlsx"
    try:
        if time.time() - path.stat().st_mtime > SHEET_LIFETIME:
            path.unlink(missing_ok=True)
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def drop_sheet(user_id):
    """Forget every bulk file kept for this user."""
    for path in _sheet_folder().glob(f"{int(user_id)}-*.xlsx"):
        path.unlink(missing_ok=True)
