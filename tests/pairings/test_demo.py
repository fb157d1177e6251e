"""The demo data: pairings around Lhasa and Nyingchi with real purchases, every pace, a request
waiting for the admin, a village with several enterprises, one without a partner, the board."""
from marketplace.accounts.models import User
from marketplace.accounts.services import authenticate
from marketplace.demo import DEMO_PASSWORD
from marketplace.pairings import services
from marketplace.pairings.models import NeedConversation, Pairing, VillageNeed


def test_the_demo_pairs_enterprises_with_villages_around_lhasa_and_nyingchi(demo):
    assert "enterprise2@demo.cn" in demo
    assert authenticate("enterprise2@demo.cn", DEMO_PASSWORD) is not None
    pairings = Pairing.query.order_by(Pairing.id).all()
    prefectures = {p.village.county_code[:4] for p in pairings}
    assert {"5401", "5404"} <= prefectures
    active = [p for p in pairings if p.status == "active"]
    progress = services.progress_map(active)
    assert all(progress[p.id].purchased > 0 for p in active)
    assert {progress[p.id].pace for p in active} >= {"met", "behind"}
    for pairing in active:   # every figure is the sum of its lines
        assert sum(line["counted_fen"] for line in services.pairing_lines(pairing)) == \
            progress[pairing.id].purchased
    assert [p.status for p in pairings].count("requested") == 1
    villages = {}
    for pairing in active:
        villages.setdefault(pairing.village_id, set()).add(pairing.enterprise_id)
    assert max(len(enterprises) for enterprises in villages.values()) >= 2  # several to one
    admin = User.query.filter_by(email="admin@demo.cn").one()
    view = services.overview(admin, pairings[0].year)
    assert "易贡乡易贡村" in [v.name for v in view.unpartnered]
    assert VillageNeed.query.count() >= 3 and NeedConversation.query.count() >= 1
