"""Supplier certification: apply with documents, approve, reject, suspend, and its history."""
import pytest

from marketplace.audit.models import AuditEntry
from marketplace.catalog import services
from marketplace.catalog.models import Product, SupplierDocument
from marketplace.errors import PermissionDenied, StateError, ValidationError
from tests import factories
from tests.catalog.helpers import MEDOG, NYINGCHI, listed
from tests.helpers import PDF, image_bytes, upload


def test_application_with_a_pdf_is_pending_until_the_admin_approves(db):
    staff = factories.user("supplier_staff")
    certs = services.apply_for_certification(staff, [NYINGCHI, MEDOG],
                                             [upload(PDF, "licence.pdf", "application/pdf")])
    assert [c.status for c in certs] == ["pending", "pending"]
    assert not services.is_certified(staff.organization, NYINGCHI)
    services.approve_certification(factories.user("admin"), certs[0])
    assert services.is_certified(staff.organization, NYINGCHI)
    assert not services.is_certified(staff.organization, MEDOG)
    history = [(e.from_status, e.to_status) for e in certs[0].events]
    assert history == [(None, "pending"), ("pending", "approved")]
    assert SupplierDocument.query.filter_by(supplier_id=staff.organization_id).count() == 1
    actions = {a for (a,) in db.session.query(AuditEntry.action)}
    assert {"certification.apply", "certification.approve", "supplier_document.upload"} <= actions


def test_an_image_document_is_accepted_and_reencoded(db):
    staff = factories.user("supplier_staff")
    services.apply_for_certification(staff, [NYINGCHI], [upload(image_bytes("PNG"), "licence.png")])
    document = SupplierDocument.query.one()
    assert document.content_type in ("image/jpeg", "image/png")
    assert document.stored_name != "licence.png"


def test_a_document_that_is_neither_pdf_nor_image_is_refused_and_nothing_stored(db):
    staff = factories.user("supplier_staff")
    with pytest.raises(ValidationError) as error:
        services.apply_for_certification(staff, [NYINGCHI],
                                         [upload(b"MZ\x90\x00 not a licence", "licence.exe")])
    assert "documents" in error.value.fields
    assert services.certifications_of(staff.organization) == []


def test_an_oversized_document_is_refused(db, app):
    staff = factories.user("supplier_staff")
    big = b"%PDF-1.4\n" + b"0" * (app.config["MAX_UPLOAD_BYTES"] + 10) + b"%%EOF"
    with pytest.raises(ValidationError) as error:
        services.apply_for_certification(staff, [NYINGCHI], [upload(big, "big.pdf")])
    assert error.value.fields == {"documents": "too_large"}


def test_an_application_needs_a_document_and_a_county(db):
    staff = factories.user("supplier_staff")
    with pytest.raises(ValidationError):
        services.apply_for_certification(staff, [NYINGCHI], [])
    with pytest.raises(ValidationError):
        services.apply_for_certification(staff, ["540400"], [upload(PDF, "a.pdf")])
    with pytest.raises(ValidationError):
        services.apply_for_certification(staff, [], [upload(PDF, "a.pdf")])


def test_rejection_needs_a_reason_the_supplier_sees_and_it_may_reapply(db):
    staff = factories.user("supplier_staff")
    cert, = services.apply_for_certification(staff, [NYINGCHI], [upload(PDF, "a.pdf")])
    boss = factories.user("admin")
    with pytest.raises(ValidationError):
        services.reject_certification(boss, cert, "  ")
    services.reject_certification(boss, cert, "营业执照不清晰")
    assert cert.status == "rejected" and cert.reason == "营业执照不清晰"
    with pytest.raises(StateError):
        services.approve_certification(boss, cert)
    services.apply_for_certification(staff, [NYINGCHI], [upload(PDF, "b.pdf")])
    assert cert.status == "pending"
    assert [e.to_status for e in cert.events] == ["pending", "rejected", "pending"]


def test_applying_twice_for_a_pending_county_is_a_conflict(db):
    staff = factories.user("supplier_staff")
    services.apply_for_certification(staff, [NYINGCHI], [upload(PDF, "a.pdf")])
    with pytest.raises(StateError):
        services.apply_for_certification(staff, [NYINGCHI], [upload(PDF, "a.pdf")])


def test_suspension_takes_the_county_listings_off_sale_and_reinstating_puts_them_back(db):
    product = listed()
    staff = product.supplier.users[0]
    paused = listed(staff, name="青稞")
    services.pause_product(staff, paused)
    cert, = services.certifications_of(product.supplier)
    services.suspend_certification(factories.user("admin"), cert, "抽检不合格")
    assert services.unavailable_reason(product) == "not_certified"
    assert services.list_products(services.ProductFilters()).total == 0
    with pytest.raises(ValidationError):
        services.resume_product(staff, paused)    # a paused one cannot come back meanwhile
    services.approve_certification(factories.user("admin"), cert)
    # Nothing was rewritten: the listing is on sale again as it was, the paused one still paused.
    assert db.session.get(Product, product.id).status == "active"
    assert services.unavailable_reason(product) is None
    assert [p.id for p in services.list_products(services.ProductFilters()).items] == [product.id]
    services.resume_product(staff, paused)
    assert paused.status == "active"


def test_only_admins_decide_and_only_supplier_staff_apply(db):
    purchaser = factories.user("purchaser")
    with pytest.raises(PermissionDenied):
        services.apply_for_certification(purchaser, [NYINGCHI], [upload(PDF, "a.pdf")])
    staff = factories.user("supplier_staff")
    cert, = services.apply_for_certification(staff, [NYINGCHI], [upload(PDF, "a.pdf")])
    with pytest.raises(PermissionDenied):
        services.approve_certification(staff, cert)
