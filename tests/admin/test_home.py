"""The admin's start page: every queue waiting for a decision, with how many wait in each and a
link to where it is decided."""
import re

from tests import factories


def queue_counts(page):
    """{queue key: (count, link)} as the page shows them."""
    found = re.findall(r'data-testid="queue-(\w+)">\s*<a href="([^"]+)">[^<]+</a>\s*'
                       r'<span class="badge">(\d+)</span>', page)
    return {key: (int(count), link.replace("&amp;", "&")) for key, link, count in found}


def test_the_admin_starts_on_what_waits_for_a_decision(client, db, login_as):
    factories.org("supplier", name="待审核合作社", status="pending")
    supplier = factories.org("supplier", region_code=factories.NYINGCHI_COUNTY)
    factories.certify(supplier, "540421", status="pending")
    flagged = factories.product(supplier=supplier)
    flagged.price_flagged = True
    db.session.commit()
    login_as("admin")
    page = client.get("/admin/").get_data(as_text=True)
    queues = queue_counts(page)
    assert queues["registrations"] == (1, "/admin/organizations?status=pending")
    assert queues["certifications"] == (1, "/admin/catalog/certifications?status=pending")
    assert queues["prices"] == (1, "/admin/catalog/products?flagged=1")
    assert {key: count for key, (count, _link) in queues.items()
            if key not in ("registrations", "certifications", "prices")} \
        == {"exceptions": 0, "after_sales": 0, "pairings": 0}
    assert "待审核合作社" in page
    # Every link leads to a page the admin may open.
    for _count, link in queues.values():
        assert client.get(link).status_code == 200, link


def test_the_queues_speak_english(client, db, login_as):
    login_as("admin")
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get("/admin/").get_data(as_text=True)
    assert "Waiting for you" in page and "After-sales cases to arbitrate" in page
