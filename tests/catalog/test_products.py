"""Listings: validation, certification of the origin, life cycle, take-down, audit, photos."""
import os

import pytest

from marketplace.audit.models import AuditEntry
from marketplace.catalog import services, uploads
from marketplace.catalog.models import Product
from marketplace.errors import PermissionDenied, StateError, ValidationError
from tests import factories
from tests.catalog.helpers import MEDOG, certified_staff, listed, product_data
from tests.helpers import image_bytes, upload


def test_a_certified_supplier_lists_a_product_with_price_in_fen(db):
    staff = certified_staff()
    product = services.create_product(staff, product_data(price="128.50", min_order_qty="2",
                                                          labels=["organic", "gi"]))
    assert product.price_fen == 12850 and product.stock == 50 and product.min_order_qty == 2
    assert product.labels == "organic,gi" and product.status == "active"
    entry = AuditEntry.query.filter_by(action="product.create").one()
    assert entry.actor_id == staff.id and entry.object_id == str(product.id)


def test_an_origin_the_supplier_is_not_certified_for_is_refused(db):
    staff = certified_staff()
    with pytest.raises(ValidationError) as error:
        services.create_product(staff, product_data(origin_region_code=MEDOG))
    assert error.value.status == 422
    assert error.value.fields == {"origin_region_code": "not_certified"}
    assert Product.query.count() == 0


@pytest.mark.parametrize("field,value", [
    ("price", "0"), ("price", "-5"), ("price", "abc"), ("price", "99999999"), ("price", "1e400"),
    ("stock", "-1"), ("stock", "2.5"), ("stock", "99999999999"), ("min_order_qty", "0"),
    ("name", "   "), ("name", "松" * 121), ("unit", ""), ("category", "不存在的品类"),
    ("origin_region_code", "999999"), ("labels", ["halal"]),
])
def test_bad_input_is_refused_with_the_field_named(db, field, value):
    staff = certified_staff()
    with pytest.raises(ValidationError) as error:
        services.create_product(staff, product_data(**{field: value}))
    assert field in error.value.fields
    assert Product.query.count() == 0


def test_a_supplier_that_is_not_active_or_not_certified_cannot_list(db):
    uncertified = factories.user("supplier_staff", organization=factories.org("supplier"))
    with pytest.raises(ValidationError):
        services.create_product(uncertified, product_data())
    staff = certified_staff()
    staff.organization.status = "suspended"
    with pytest.raises(PermissionDenied):
        services.create_product(staff, product_data())
    with pytest.raises(PermissionDenied):
        services.create_product(factories.user("purchaser"), product_data())


def test_html_in_a_name_is_stored_as_text(db):
    product = listed(name="<script>alert(1)</script>松茸")
    assert product.name == "<script>alert(1)</script>松茸"


def test_edit_pause_resume_archive_and_each_is_audited(db):
    product = listed()
    staff = product.supplier.users[0]
    services.update_product(staff, product, {"price": "99.90", "stock": 7})
    assert (product.price_fen, product.stock) == (9990, 7)
    services.pause_product(staff, product)
    with pytest.raises(StateError):
        services.pause_product(staff, product)
    services.resume_product(staff, product)
    services.archive_product(staff, product)
    with pytest.raises(StateError):
        services.update_product(staff, product, {"stock": 1})
    actions = [a for (a,) in db.session.query(AuditEntry.action).filter(
        AuditEntry.object_type == "products").order_by(AuditEntry.id)]
    assert actions == ["product.create", "product.update", "product.pause", "product.resume",
                       "product.archive"]
    update = AuditEntry.query.filter_by(action="product.update").one()
    assert update.detail["price_fen"] == ["12800", "9990"]


def test_another_supplier_cannot_edit(db):
    product = listed()
    other = certified_staff()
    with pytest.raises(PermissionDenied):
        services.update_product(other, product, {"stock": 1})
    with pytest.raises(PermissionDenied):
        services.pause_product(other, product)


def test_admin_take_down_hides_the_listing_and_tells_the_supplier(db):
    from marketplace.notifications.models import Notification

    product = listed()
    staff = product.supplier.users[0]
    with pytest.raises(ValidationError):
        services.take_down_product(factories.user("admin"), product, "")
    services.take_down_product(factories.user("admin"), product, "图片与实物不符")
    assert product.status == "taken_down" and product.takedown_reason == "图片与实物不符"
    assert not services.can_view(factories.user("purchaser"), product)
    assert services.can_view(staff, product)
    note = Notification.query.filter_by(user_id=staff.id).one()
    assert "图片与实物不符" in note.message
    with pytest.raises(StateError):
        services.resume_product(staff, product)
    services.restore_product(factories.user("admin"), product)
    assert product.status == "paused"


def test_photos_are_reencoded_with_thumbnails_under_random_names(db):
    staff = certified_staff()
    product = services.create_product(staff, product_data(), photos=[
        upload(image_bytes("PNG", (2000, 1000)), "../../etc/passwd.png"),
        upload(image_bytes("JPEG"), "b.jpg", "image/jpeg")])
    assert len(product.photos) == 2
    first = product.photos[0]
    assert uploads.STORED_NAME.match(first.stored_name) and "passwd" not in first.stored_name
    assert max(first.width, first.height) <= uploads.PHOTO_MAX_SIDE
    assert os.path.exists(uploads.path_of(first.stored_name))
    assert os.path.exists(uploads.path_of(first.thumb_name))


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(db):
    staff = certified_staff()
    with pytest.raises(ValidationError) as error:
        services.create_product(staff, product_data(), photos=[
            upload(b"<?php system($_GET['c']); ?>", "shell.php.png")])
    assert error.value.fields == {"photos": "not_an_image"}
    assert Product.query.count() == 0


def test_stored_names_never_leave_the_upload_folder():
    for name in ("../x.jpg", "a/b.jpg", "0" * 32 + ".php", ""):
        with pytest.raises(ValueError):
            uploads.path_of(name)
