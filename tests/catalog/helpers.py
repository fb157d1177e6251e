"""Factories of the catalog tests: certified suppliers, categories, products through the service
(files to upload are in tests/helpers.py)."""
from marketplace.catalog import services
from marketplace.catalog.models import Category
from marketplace.extensions import db
from tests import factories

NYINGCHI = factories.NYINGCHI_COUNTY   # 巴宜区
MEDOG = "540423"                        # 墨脱县


def certified_staff(*counties, name=None):
    """A supplier staff user whose organisation is certified for `counties` (巴宜区 by default)."""
    counties = counties or (NYINGCHI,)
    supplier = factories.org("supplier", name=name, region_code=counties[0])
    staff = factories.user("supplier_staff", organization=supplier)
    boss = factories.user("admin")
    for county in counties:
        services.certify_supplier(boss, supplier, county)
    return staff


def leaf(name="菌菇", top="农产品"):
    parent = Category.query.filter_by(name=top, parent_id=None).first()
    if parent is None:
        parent = Category(name=top)
        db.session.add(parent)
        db.session.flush()
    child = Category.query.filter_by(name=name, parent_id=parent.id).first()
    if child is None:
        child = Category(name=name, parent=parent)
        db.session.add(child)
        db.session.flush()
    return child


def product_data(**overrides):
    data = {"name": "林芝松茸", "category": leaf().id, "unit": "斤", "spec": "500g/袋",
            "price": "128.00", "stock": "50", "origin_region_code": NYINGCHI,
            "description": "野生松茸"}
    data.update(overrides)
    return data


def listed(staff=None, **overrides):
    """A product created through the service (so it is indexed for search)."""
    staff = staff or certified_staff()
    return services.create_product(staff, product_data(**overrides))


def page_text(client, url):
    """The text of a page that must answer 200, search highlights (<mark>) taken out."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")
