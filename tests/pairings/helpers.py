"""A small 万企兴万村 world for the pairing tests: an enterprise and its buyer, cooperatives
certified in Nyingchi's Bayi district and in Lhasa, their products, the admin."""
from types import SimpleNamespace

from marketplace.catalog.services import certify_supplier
from marketplace.pairings import services
from tests import factories

NYINGCHI = factories.NYINGCHI_COUNTY  # 巴宜区
MAINLING = "540422"                   # 米林县
LHASA = factories.LHASA_COUNTY        # 城关区
DAGZE = "540104"                      # 达孜区


def world():
    """The admin, an enterprise with a buyer, two cooperatives of 巴宜区 (one with staff) and
    one of 达孜区, each with a product."""
    admin = factories.user("admin", name="平台管理员")
    enterprise = factories.org("enterprise", name="拉萨净土农牧产品贸易有限公司")
    buyer = factories.user("purchaser", organization=enterprise, name="孙采购")
    coop = factories.org("supplier", name="鲁朗松茸合作社", region_code=NYINGCHI)
    coop2 = factories.org("supplier", name="鲁朗藏香猪合作社", region_code=NYINGCHI)
    dagze = factories.org("supplier", name="达孜青稞合作社", region_code=DAGZE)
    for supplier, county in ((coop, NYINGCHI), (coop2, NYINGCHI), (dagze, DAGZE)):
        certify_supplier(admin, supplier, county)
    staff = factories.user("supplier_staff", organization=coop, name="扎西")
    matsutake = factories.product(supplier=coop, name="鲁朗松茸", price_fen=12_800, stock=1000)
    pork = factories.product(supplier=coop2, name="藏香猪肉", price_fen=8_850, stock=1000)
    barley = factories.product(supplier=dagze, name="达孜青稞", price_fen=1_250, stock=1000,
                               origin_region_code=DAGZE)
    return SimpleNamespace(admin=admin, enterprise=enterprise, buyer=buyer, coop=coop,
                           coop2=coop2, dagze=dagze, staff=staff, matsutake=matsutake,
                           pork=pork, barley=barley)


def pair(w, village="扎西岗村", county=NYINGCHI, suppliers=None, year=2026,
         target="200000.00", enterprise=None, projects=None):
    """An active pairing made by the admin (the enterprise and 鲁朗松茸合作社 by default)."""
    return services.create_pairing(
        w.admin, (enterprise or w.enterprise).id, village, county,
        [s.id for s in (suppliers or [w.coop])], year, target,
        projects if projects is not None else [
            {"kind": "folk_tourism", "name": "鲁朗民宿", "households": 46, "bases": 1}])
