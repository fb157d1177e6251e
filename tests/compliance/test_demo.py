"""The compliance demo seed: a policy, a window and filings, with every status represented."""
from marketplace.compliance import demo
from marketplace.compliance import services as q
from tests import factories
from tests.compliance.helpers import unit


def test_demo_seed_files_for_most_units(db):
    root = unit("根")
    units = [root] + [unit(f"单位{i}", parent=root) for i in range(8)]
    ctx = {"admin": factories.user("admin"), "units": units}
    demo.seed(ctx)
    rows = {row["unit_id"]: row for row in q.quota_rows(ctx["quota_year"])}
    assert rows[units[7].id]["status"] == "not_filed"
    assert rows[units[1].id]["status"] == rows[units[8].id]["status"] == "exempt"
    assert str(rows[units[3].id]["reserved"]) == "240000.00"
    assert len(q.filing_history(units[3], ctx["quota_year"])) == 2
    assert not q.current_filing(units[0], ctx["quota_year"]).late
