"""The Alembic migrations: they build exactly the schema the models describe, a new database
holds the standard category tree, and a database at the baseline keeps its data through every
revision since — on both databases."""
import hashlib
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from marketplace.catalog.models import Category, Product
from marketplace.catalog.services import find_category
from marketplace.catalog.standard_tree import STANDARD_TREE, TREE_2026, leaf_names
from marketplace.errors import ValidationError
from marketplace.extensions import db
from tests.helpers import app_on

# The revision existing databases (demo, benchmark, production) carry: never edited.
BASELINE = "a4f2f6044459"
# TREE_2026 is what revision c7e1a9d2b4f6 inserts, forever: this digest changes only if someone
# edits it, which a migration must never see (add a new tree and a new revision instead).
TREE_2026_DIGEST = "04d3869c7602d8269b51162d85129959e546ca3c2f257506d35265779b59d3ec"
# Columns a revision fills in where they were empty (the rest of every row stays as it was).
FILLED_IN = {("categories", "name_en"), ("regions", "name_en"), ("orders", "payment_reference"),
             ("orders", "due_date")}


@pytest.fixture
def migrated_app(empty_database_url):
    """An app on the empty database (nothing built yet); its engine is let go afterwards."""
    app = app_on(empty_database_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(migrated_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations differ: {differences}"
    downgrade(revision="base")
    with db.engine.connect() as connection:
        tables = db.inspect(connection).get_table_names()
    assert set(tables) <= {"alembic_version"}


def test_a_new_database_holds_the_standard_category_tree(migrated_app):
    upgrade()
    tree = [(top.name, top.name_en, [(leaf.name, leaf.name_en) for leaf in leaves])
            for top, leaves in _tree()]
    assert tree == [(top, en, list(leaves)) for top, en, leaves in STANDARD_TREE]
    # Every leaf can be named alone: no leaf name repeats or is also a top-level name.
    names = leaf_names()
    assert len(names) == len(set(names))
    assert not set(names) & {top for top, _en, _leaves in STANDARD_TREE}
    assert find_category("松茸").parent.name == "菌菇"


def test_the_2026_tree_is_frozen():
    digest = hashlib.sha256(repr(TREE_2026).encode()).hexdigest()
    assert digest == TREE_2026_DIGEST, digest


def _tree():
    categories = Category.query.order_by(Category.sort_order, Category.id).all()
    return [(top, [c for c in categories if c.parent_id == top.id])
            for top in categories if top.parent_id is None]


def _snapshot(connection):
    """Every row of every table but alembic_version, as {table: {primary key: row dict}}."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    rows = {}
    for table in metadata.sorted_tables:
        if table.name == "alembic_version":
            continue
        key = [column.name for column in table.primary_key.columns]
        rows[table.name] = {tuple(row[k] for k in key): dict(row)
                            for row in connection.execute(sa.select(table)).mappings()}
    return rows


def _fill_baseline(connection):
    """Data as a database at the baseline holds it: regions, a supplier and a school with
    users, the old demo's categories (菌菇 › 松茸, 粮油 › 青稞, without English names) and an
    admin's own (山珍 › 木耳), a product, an accepted order with a review."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    t = metadata.tables
    at = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)

    def insert(table, **values):
        connection.execute(t[table].insert().values(**values))

    insert("regions", code="540000", name="西藏自治区", level=1, aided=False)
    insert("regions", code="540400", name="林芝市", parent_code="540000", level=2, aided=False)
    insert("regions", code="540402", name="巴宜区", parent_code="540400", level=3, aided=True)
    for org_id, name, kind in ((1, "巴宜区松茸合作社", "supplier"),
                               (2, "林芝市第一中学", "budget_unit")):
        insert("organizations", id=org_id, name=name, kind=kind, status="active",
               region_code="540402", tree_path=f"/{org_id}/", created_at=at)
    for user_id, org_id, role in ((1, 1, "supplier_staff"), (2, 2, "purchaser")):
        insert("users", id=user_id, email=f"user{user_id}@example.com", password_hash="x",
               name=f"用户{user_id}", role=role, organization_id=org_id, active=True,
               created_at=at, session_generation=0)
    for category_id, name, parent_id in ((1, "菌菇", None), (2, "松茸", 1), (3, "粮油", None),
                                         (4, "青稞", 3), (5, "山珍", None), (6, "木耳", 5)):
        insert("categories", id=category_id, name=name, parent_id=parent_id, sort_order=0)
    insert("products", id=1, supplier_id=1, name="林芝松茸", category_id=2, unit="斤",
           price_fen=12800, stock=480, min_order_qty=1, origin_region_code="540402", labels="",
           status="active", sales_count=20, search_text="林芝松茸", price_flagged=False,
           created_at=at, updated_at=at)
    insert("orders", id=1, number="T000000001", status="accepted", purpose="canteen",
           buyer_organization_id=2, budget_unit_id=2, supplier_id=1, placed_by_id=2,
           total_fen=256000, delivery_address="第一中学食堂", payment_method="bank_transfer",
           payment_terms="goods_first", payment_status="unpaid", paid_fen=0, refunded_fen=0,
           due_extended=False, created_at=at, accepted_at=at)
    insert("order_lines", id=1, order_id=1, product_id=1, product_name="林芝松茸", unit="斤",
           unit_price_fen=12800, origin_region_code="540402", origin_aided=True, quantity=20,
           accepted_quantity=19, refunded_fen=0)
    insert("reviews", id=1, product_id=1, supplier_id=1, user_id=2, organization_id=2, stars=5,
           text="新鲜", created_at=at)
    if connection.dialect.name == "postgresql":  # rows were given ids: move the sequences on
        for name in ("organizations", "users", "categories", "products", "orders",
                     "order_lines", "reviews"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                    f"(SELECT MAX(id) FROM {name}))"))


def test_data_at_the_baseline_survives_the_upgrade_to_head(migrated_app):
    upgrade(revision=BASELINE)
    with db.engine.begin() as connection:
        _fill_baseline(connection)
        before = _snapshot(connection)
    upgrade()
    with db.engine.connect() as connection:
        after = _snapshot(connection)
    for table, rows in before.items():
        for key, row in rows.items():
            kept = after[table].get(key)
            assert kept is not None, f"{table} {key} was lost"
            changed = {column: (value, kept[column]) for column, value in row.items()
                       if kept[column] != value and (table, column) not in FILLED_IN}
            assert changed == {}, f"{table} {key} changed: {changed}"
    # What revisions fill in where it was missing: English names of the standard categories
    # and of the shipped counties; an order's payment terms (set when placed and accepted
    # since, never when read).
    assert after["regions"][("540402",)]["name_en"] == "Bayi District"
    order = after["orders"][(1,)]
    assert order["payment_reference"].startswith("FK000001")
    assert str(order["due_date"]) == "2026-03-31"    # accepted 2026-03-01 (CST) + 30 days

    # The old tree was completed, never duplicated: 菌菇 › 松茸 is the same row, now with its
    # English name, and the product still lists under it.
    tree = {top.name: [leaf.name for leaf in leaves] for top, leaves in _tree()}
    assert set(tree) == {top for top, _en, _l in STANDARD_TREE} | {"粮油", "山珍"}
    assert Category.query.filter_by(name="菌菇").count() == 1
    assert Category.query.filter_by(name="松茸").count() == 1
    matsutake = db.session.get(Category, 2)
    assert matsutake.name_en == "Matsutake"
    assert tree["菌菇"][0] == "松茸" and len(tree["菌菇"]) == 5
    assert db.session.get(Product, 1).category.name == "松茸"
    assert find_category("松茸").id == 2
    # The admin's own nodes stay as they were; a leaf name two parents now have must be
    # chosen by id, and the message says which leaves there are.
    assert tree["山珍"] == ["木耳"] and tree["粮油"] == ["青稞"]
    with pytest.raises(ValidationError) as refused:
        find_category("青稞")
    assert refused.value.fields == {"category": "ambiguous"}
    assert "粮油 › 青稞" in refused.value.message and "粮油米面 › 青稞" in refused.value.message
    leaves = Category.query.filter(Category.parent_id.isnot(None)).count()
    assert leaves == len(leaf_names()) + 2  # the standard leaves, and the old 青稞 and 木耳


def test_orders_made_before_terms_were_set_at_placing_get_them(migrated_app):
    """Every order gets its transfer reference, and its due date once its terms give one:
    pay-first 30 days after placing, goods-first 30 days after acceptance."""
    from datetime import date

    upgrade(revision=BASELINE)
    metadata = sa.MetaData()
    metadata.reflect(db.engine)
    t = metadata.tables
    placed = datetime(2026, 3, 1, 20, 0, tzinfo=timezone.utc)     # 03-02 in CST
    with db.engine.begin() as connection:
        connection.execute(t["regions"].insert().values(code="540000", name="西藏自治区",
                                                        level=1, aided=False))
        for number, kind in ((1, "budget_unit"), (2, "supplier")):
            connection.execute(t["organizations"].insert().values(
                id=number, name=f"org{number}", kind=kind, status="active",
                region_code="540000", tree_path=f"/{number}/", created_at=placed))
        connection.execute(t["users"].insert().values(
            id=1, email="a@example.com", password_hash="x", name="a", role="purchaser",
            organization_id=1, active=True, created_at=placed, session_generation=0))
        for number, terms, accepted in ((1, "pay_first", None), (2, "goods_first", placed),
                                        (3, "goods_first", None)):
            connection.execute(t["orders"].insert().values(
                id=number, number=f"N{number}", status="placed", purpose="canteen",
                buyer_organization_id=1, supplier_id=2, placed_by_id=1, total_fen=100,
                delivery_address="x", payment_method="bank_transfer", payment_terms=terms,
                payment_status="unpaid", paid_fen=0, refunded_fen=0, due_extended=False,
                created_at=placed, accepted_at=accepted))
    upgrade()
    with db.engine.connect() as connection:
        rows = {row.id: row for row in connection.execute(t["orders"].select())}
    assert all(row.payment_reference.startswith(f"FK{number:06d}")
               for number, row in rows.items())
    assert str(rows[1].due_date) == str(date(2026, 4, 1))
    assert str(rows[2].due_date) == str(date(2026, 4, 1))
    assert rows[3].due_date is None            # goods-first, not yet accepted


def test_timeline_notes_keep_only_peoples_words(migrated_app):
    """Notes the app once wrote in Chinese into an order's timeline lose those words: the
    acceptance keeps the buyer's note (the shortfall is read from the lines), the restock its
    lines; a buyer's own note is left as it was."""
    upgrade(revision=BASELINE)
    with db.engine.begin() as connection:
        _fill_baseline(connection)
        events = sa.Table("order_events", sa.MetaData(), autoload_with=connection)
        at = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
        for event_id, status, note in (
                (1, "accepted", "两斤压坏；部分验收：林芝松茸 19/20"),
                (2, "accepted", "部分验收：林芝松茸 19/20"),
                (3, "restocked", "退回库存：林芝松茸 ×1，青稞面 ×2"),
                (4, "shipped", "部分验收：由买方写的字")):
            connection.execute(events.insert().values(id=event_id, order_id=1, at=at,
                                                      to_status=status, note=note))
    upgrade()
    with db.engine.connect() as connection:
        notes = dict(connection.execute(text("SELECT id, note FROM order_events")).all())
    assert notes == {1: "两斤压坏", 2: None, 3: "林芝松茸 ×1 · 青稞面 ×2",
                     4: "部分验收：由买方写的字"}
