"""`flask demo load` on an empty database: organisations for every role, logins printed."""
from marketplace.accounts.models import Organization, User
from marketplace.accounts.services import authenticate, validate_password
from marketplace.demo import DEMO_PASSWORD


def test_demo_load_creates_every_role_and_prints_the_logins(demo):
    assert "admin@demo.cn" in demo and "supplier@demo.cn" in demo
    for role in ("purchaser", "unit_manager", "supplier_staff", "auditor", "admin"):
        assert role in demo
    for email in ("admin@demo.cn", "purchaser@demo.cn", "manager@demo.cn", "union@demo.cn",
                  "supplier@demo.cn", "auditor@demo.cn", "enterprise@demo.cn"):
        assert authenticate(email, DEMO_PASSWORD) is not None, email
    assert authenticate("pending@demo.cn", DEMO_PASSWORD) is None  # waits for the admin
    suppliers = Organization.query.filter_by(kind="supplier", status="active").all()
    assert len(suppliers) >= 10
    assert len({supplier.region_code[:4] for supplier in suppliers}) >= 6  # prefectures
    assert all(supplier.settlement_account for supplier in suppliers)
    root = Organization.query.filter_by(name="西藏自治区财政厅").one()
    subtree = Organization.query.filter(Organization.tree_path.like(f"{root.tree_path}%")).count()
    assert subtree >= 6
    union = Organization.query.filter_by(kind="union").one()
    assert union.budget_unit.kind == "budget_unit"
    assert Organization.query.filter_by(kind="audit_office").one().jurisdiction_prefix == "54"


def test_demo_load_twice_changes_nothing(app, demo):
    count = User.query.count()
    again = app.test_cli_runner().invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "already loaded" in again.output
    assert User.query.count() == count


def test_demo_context_has_what_later_domains_need(db):
    from marketplace.accounts import demo

    ctx = {"password": DEMO_PASSWORD, "logins": []}
    demo.seed(ctx)
    assert ctx["units"][0].name == "西藏自治区财政厅" and ctx["units"][0].parent_id is None
    assert ctx["union"].budget_unit_id in {unit.id for unit in ctx["units"]}
    assert ctx["audit_office"].region_code == "540000"
    assert len(ctx["suppliers"]) >= 10
    assert set(ctx["users"]) == {"admin", "purchaser", "unit_manager", "union_purchaser",
                                 "supplier_staff", "auditor"}
    assert ctx["users"]["union_purchaser"].organization_id == ctx["union"].id
    assert ctx["users"]["purchaser"].organization_id == ctx["users"]["unit_manager"].organization_id
    assert ctx["platform"].kind == "platform" and ctx["admin"].role == "admin"


def test_every_demo_user_has_its_own_hash_of_a_password_the_policy_accepts(demo):
    users = User.query.all()
    assert len({user.password_hash for user in users}) == len(users) > 20
    assert len({user.session_fingerprint() for user in users}) == len(users)
    for user in users:
        validate_password(DEMO_PASSWORD, user.email, user.name)
