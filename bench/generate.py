"""A deterministic synthetic dataset at national scale, into DATABASE_URL (SQLite or PostgreSQL).

    DATABASE_URL=postgresql://... python bench/generate.py --reset            # full size
    DATABASE_URL=sqlite:///instance/bench.sqlite python bench/generate.py --scale 0.01 --reset

Full size (scale 1): 20,000 budget units in a tree over the shipped regions with two years of
filings, 2,000 unions, 500 enterprises, 2,000 suppliers, 100,000 products with Chinese names,
about 500,000 orders with 2,000,000 lines over the year before --anchor, in every status and
purpose, with snapshots, partial acceptances, refunds, cancellations, events and payments.

The schema is built by the app's migrations (`flask db upgrade`), as in production, which also
put the platform's standard category tree in; the products are listed under its leaves. Rows go
in with COPY on
PostgreSQL (psycopg 3) and with SQLAlchemy Core executemany in chunks on SQLite; secondary
indexes are dropped during the load and rebuilt after it. The same --seed and --scale always
give the same rows. Every user's password is bench.common.PASSWORD.
"""
import argparse
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PASSWORD, Timer, database_url, machine, make_app  # noqa: E402

ANCHOR = "2026-11-28T00:00:00+08:00"  # the dataset's "now": orders cover the year before it
UNITS, SUPPLIERS, PRODUCTS, LINES = 20_000, 2_000, 100_000, 2_000_000
CHUNK = 10_000

DEPARTMENTS = ["教育局", "卫生健康委员会", "公安局", "财政局", "农业农村局", "民政局", "交通运输局",
               "住房和城乡建设局", "人力资源和社会保障局", "自然资源局", "文化和旅游局", "市场监督管理局"]
LEAF_KINDS = ["第一中学", "第二中学", "实验小学", "第三小学", "中心小学", "幼儿园", "人民医院",
              "中医医院", "疾病预防控制中心", "职业技术学校", "机关服务中心", "福利院", "派出所",
              "妇幼保健院", "图书馆", "党校", "消防救援大队", "气象局", "税务局", "法院"]
SUPPLIER_KINDS = ["农牧民专业合作社", "家庭农场", "农业开发有限公司", "特色产品有限公司",
                  "生态农业合作社", "食品有限公司"]
# A leaf of the standard category tree (marketplace/catalog/standard_tree.py, in every database
# `db upgrade` builds) → [(word, unit, spec choices, base price in fen)]
CATALOG = {
    "青稞": [("青稞", "袋", ["5kg/袋", "2.5kg/袋", "10kg/袋"], 4500)],
    "糌粑": [("糌粑", "袋", ["1kg/袋", "500g/袋"], 2800)],
    "面粉": [("青稞面", "袋", ["2kg/袋", "5kg/袋"], 3600), ("面粉", "袋", ["10kg/袋", "25kg/袋"], 6500)],
    "大米": [("大米", "袋", ["10kg/袋", "25kg/袋"], 8900)],
    "食用油": [("菜籽油", "桶", ["5L/桶", "10L/桶"], 12800)],
    "牦牛肉": [("牦牛肉", "斤", ["鲜切", "冷冻"], 6800)],
    "藏香猪": [("藏香猪", "斤", ["鲜切", "冷冻"], 5200)],
    "羊肉": [("藏系羊肉", "斤", ["鲜切", "冷冻"], 5800)],
    "肉干": [("牦牛肉干", "袋", ["250g/袋", "500g/袋"], 9800)],
    "禽蛋": [("藏鸡蛋", "盒", ["30枚/盒", "20枚/盒"], 4800), ("鸡蛋", "箱", ["360枚/箱"], 16800)],
    "禽肉": [("藏鸡", "只", ["整只"], 12800)],
    "酥油": [("酥油", "斤", ["500g/块", "1kg/块"], 4200)],
    "奶渣": [("奶渣", "袋", ["500g/袋"], 3500)],
    "酸奶": [("牦牛酸奶", "箱", ["12杯/箱"], 7200)],
    "奶粉": [("牦牛奶粉", "罐", ["400g/罐"], 16800)],
    "松茸": [("松茸", "斤", ["特级", "一级", "冻干"], 19800)],
    "羊肚菌": [("羊肚菌", "斤", ["干货", "鲜品"], 38800)],
    "木耳": [("黑木耳", "袋", ["250g/袋", "500g/袋"], 4800)],
    "干果坚果": [("核桃", "斤", ["薄皮", "带壳"], 2600)],
    "灵芝": [("灵芝", "盒", ["250g/盒"], 29800)],
    "蜂蜜": [("蜂蜜", "瓶", ["500g/瓶", "1kg/瓶"], 6800)],
    "水果": [("苹果", "箱", ["5kg/箱", "10kg/箱"], 6800), ("桃子", "箱", ["5kg/箱"], 5800),
           ("葡萄", "箱", ["5kg/箱"], 7800)],
    "蔬菜": [("土豆", "袋", ["10kg/袋", "25kg/袋"], 3200), ("萝卜", "斤", ["鲜品"], 300),
           ("大白菜", "斤", ["鲜品"], 250), ("辣椒", "斤", ["鲜品", "干货"], 1200),
           ("蔓菁", "斤", ["鲜品"], 600)],
    "冲调饮品": [("甜茶粉", "袋", ["400g/袋", "1kg/袋"], 3800), ("酥油茶", "盒", ["10袋/盒"], 4200)],
    "藏茶": [("砖茶", "块", ["1kg/块"], 5600)],
    "辣椒花椒": [("花椒", "袋", ["250g/袋", "500g/袋"], 4600)],
    "食盐": [("藏盐", "袋", ["1kg/袋"], 1500)],
    "酱料": [("辣椒酱", "瓶", ["280g/瓶"], 1800)],
}
QUALITIES = ["野生", "有机", "高原", "精选", "特级", "农家", "散养", "生态", "手工", "古法", "原生态",
             "优选", "地标", "新鲜", ""]
LABEL_CHOICES = ("", "", "", "organic", "gi", "green")  # catalog.models.LABELS
STATUS_WEIGHTS = [("active", 92), ("paused", 4), ("archived", 2), ("taken_down", 2)]
# Quota policies per region prefix: (min_ratio, eligible origin prefixes, count union purchases)
POLICIES = {"54": ("0.10", ["54"], True), "5401": ("0.12", ["54"], True),
            "63": ("0.15", [], True), "51": ("0.15", ["51", "54", "63"], True),
            "53": ("0.30", [], True), "11": ("0.30", [], False), "44": ("0.15", [], True)}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every size (0.01 for a quick run)")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--anchor", default=ANCHOR, help="the dataset's 'now' (ISO 8601)")
    parser.add_argument("--reset", action="store_true", help="drop every table first")
    parser.add_argument("--no-fk-triggers-off", action="store_true",
                        help="PostgreSQL: keep FK triggers during COPY (slower)")
    return parser.parse_args(argv)


def half_up(value):
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def short_name(region_name):
    for suffix in ("藏族自治州", "藏族羌族自治州", "彝族自治州", "自治州", "地区", "自治县", "市", "县", "区"):
        if region_name.endswith(suffix) and len(region_name) > len(suffix) + 1:
            return region_name[: -len(suffix)]
    return region_name


# --- writing -------------------------------------------------------------------------------

class Writer:
    """COPY on PostgreSQL, Core executemany in chunks elsewhere; one transaction per call."""

    def __init__(self, engine, fk_off=True):
        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"
        self.fk_off = fk_off
        self.counts = {}

    def write(self, table, columns, rows):
        if not rows:
            return
        columns, rows = with_defaults(table, columns, rows)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        if self.pg:
            raw = self.engine.raw_connection()
            try:
                conn = raw.driver_connection
                with conn.cursor() as cur:
                    if self.fk_off:
                        cur.execute("SET session_replication_role = replica")
                    names = ", ".join(columns)
                    with cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    if self.fk_off:
                        cur.execute("SET session_replication_role = DEFAULT")
                conn.commit()
            finally:
                raw.close()
        else:
            with self.engine.begin() as conn:
                statement = table.insert()
                for start in range(0, len(rows), CHUNK):
                    chunk = rows[start:start + CHUNK]
                    conn.execute(statement, [dict(zip(columns, row)) for row in chunk])


def with_defaults(table, columns, rows):
    """Add the NOT NULL columns this script does not know (added by a domain later) with their
    model's scalar default, so COPY and executemany never write NULL into them."""
    extra = [c for c in table.columns if c.name not in columns and not c.nullable
             and c.default is not None and getattr(c.default, "is_scalar", False)]
    if not extra:
        return columns, rows
    values = tuple(c.default.arg for c in extra)
    return tuple(columns) + tuple(c.name for c in extra), [tuple(row) + values for row in rows]


def build_schema(app, reset):
    """The schema by the migrations (`flask db upgrade`); --reset drops every table first."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from marketplace.extensions import db

    with app.app_context():
        engine = db.engine
        if reset:
            db.drop_all()
            with engine.begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        inspector = sa.inspect(engine)
        if "organizations" in inspector.get_table_names():
            with engine.connect() as conn:
                if conn.execute(sa.text("SELECT count(*) FROM organizations")).scalar():
                    raise SystemExit("The database has data: pass --reset to replace it.")
        upgrade()


BIG_TABLES = ("organizations", "users", "products", "orders", "order_lines", "order_events",
              "payments", "refunds", "filings", "product_search")


# Primary keys that PostgreSQL would otherwise maintain row by row in random order during COPY.
PK_DROPPED_DURING_LOAD = ()


def drop_indexes(engine, metadata):
    """Drop the secondary indexes of the big tables (and, on PostgreSQL, the primary key of the
    search-term table) for the load; `create_indexes` puts them back."""
    import sqlalchemy as sa

    dropped = []
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for name in PK_DROPPED_DURING_LOAD:
                table = metadata.tables.get(name)
                if table is None:
                    continue
                pk = sa.inspect(conn).get_pk_constraint(name)
                if pk and pk.get("name"):
                    conn.execute(sa.text(f'ALTER TABLE {name} DROP CONSTRAINT "{pk["name"]}"'))
                    columns = ", ".join(f'"{c}"' for c in pk["constrained_columns"])
                    dropped.append(sa.text(f'ALTER TABLE {name} ADD CONSTRAINT "{pk["name"]}" '
                                           f"PRIMARY KEY ({columns})"))
        for name in BIG_TABLES:
            table = metadata.tables.get(name)
            if table is None:
                continue
            for index in table.indexes:
                index.drop(conn, checkfirst=True)
                dropped.append(index)
    return dropped


def create_indexes(engine, indexes):
    import sqlalchemy as sa

    with engine.begin() as conn:
        for index in indexes:
            if isinstance(index, sa.TextClause):
                conn.execute(index)
            else:
                index.create(conn, checkfirst=True)


# --- the dataset ---------------------------------------------------------------------------

class Dataset:
    def __init__(self, args, regions):
        self.args = args
        self.rng = random.Random(args.seed)
        self.anchor = datetime.fromisoformat(args.anchor).astimezone(timezone.utc)
        self.regions = regions  # code → (name, parent_code, level, aided)
        self.scale = args.scale
        self.next_id = {}

    def ids(self, table, count=1):
        first = self.next_id.get(table, 1)
        self.next_id[table] = first + count
        return range(first, first + count)

    def size(self, full, minimum=1):
        return max(minimum, int(round(full * self.scale)))

    def within(self, prefix, level=None):
        return [code for code, (_, _, lvl, _) in self.regions.items()
                if code.startswith(prefix) and (level is None or lvl == level)]

    def prefix(self, code):
        from marketplace.regions.models import region_prefix
        return region_prefix(code)


def gen_organizations(ds, password_hash):
    """Platform, audit offices, budget-unit tree, unions, enterprises, suppliers; their users."""
    rng, regions, created = ds.rng, ds.regions, ds.anchor - timedelta(days=900)
    provinces = [code for code, r in regions.items() if r[2] == 1]
    orgs, users = [], []
    org_cols = ("id", "name", "kind", "status", "region_code", "parent_id", "budget_unit_id",
                "tree_path", "approval_threshold_fen", "credit_code", "contact_name",
                "contact_phone", "address", "created_at")
    user_cols = ("id", "email", "password_hash", "name", "role", "organization_id", "active",
                 "created_at")

    def org(name, kind, region, parent=None, budget_unit=None, threshold=None):
        (oid,) = ds.ids("organizations")
        path = (parent[1] if parent else "/") + f"{oid}/"
        orgs.append((oid, name, kind, "active", region, parent[0] if parent else None,
                     budget_unit, path, threshold, f"91540{oid:013d}", "联系人",
                     f"0891-{6000000 + oid}", f"{regions[region][0]}{oid}号", created))
        return oid, path

    def user(prefix, oid, role, name):
        (uid,) = ds.ids("users")
        users.append((uid, f"{prefix}{oid}@bench.example.com", password_hash, name, role, oid, True,
                      created))
        return uid

    platform = org("消费帮扶采购平台", "platform", "540000")
    user("admin", platform[0], "admin", "平台管理员")
    auditors = []
    for code, (name, _, level, _) in regions.items():
        if level in (1, 2):
            office = org(f"{name}财政{'厅' if level == 1 else '局'}", "audit_office", code)
            user("a", office[0], "auditor", f"{name}审计员")
            auditors.append(office[0])

    # The budget-unit tree: provincial departments → prefecture bureaus → county units → leaves.
    units = []          # (id, path, region, depth)
    n_units = ds.size(UNITS, 50)
    n_roots = max(1, min(len(DEPARTMENTS), n_units // 200))
    for province in provinces:
        for dept in DEPARTMENTS[:n_roots]:
            oid, path = org(f"{regions[province][0]}{dept.replace('局', '厅')}", "budget_unit",
                            province)
            units.append((oid, path, province, 0))
    level1 = []
    for root in list(units):
        for pref in ds.within(ds.prefix(root[2]), 2):
            if len(units) >= n_units:
                break
            dept = orgs[root[0] - 1][1][len(regions[root[2]][0]):].replace("厅", "局")
            oid, path = org(f"{regions[pref][0]}{dept}", "budget_unit", pref, parent=root[:2])
            units.append((oid, path, pref, 1))
            level1.append(units[-1])
    weights = [6.0 if u[2].startswith("54") else 1.0 for u in level1]
    children = {}
    while len(units) < n_units:
        parent = rng.choices(level1, weights)[0]
        kids = children.setdefault(parent[0], [])
        if kids and rng.random() < 0.35:
            parent = rng.choice(kids)
        counties = ds.within(ds.prefix(parent[2]), 3) or [parent[2]]
        region = parent[2] if parent[3] >= 2 else rng.choice(counties)
        threshold = rng.choice((5_000_000, 10_000_000, 50_000_000)) if rng.random() < 0.05 else None
        oid, path = org(f"{regions[region][0]}{rng.choice(LEAF_KINDS)}", "budget_unit", region,
                        parent=parent[:2], threshold=threshold)
        unit = (oid, path, region, parent[3] + 1)
        units.append(unit)
        if unit[3] == 2:
            kids.append(unit)
    for oid, *_ in units:
        user("p", oid, "purchaser", f"采购员{oid}")
        user("m", oid, "unit_manager", f"单位管理员{oid}")

    unions = []
    for oid, _, region, _ in rng.sample(units, max(1, len(units) // 10)):
        uid, _ = org(f"{orgs[oid - 1][1]}工会", "union", region, budget_unit=oid)
        user("p", uid, "purchaser", f"工会采购员{uid}")
        unions.append((uid, oid, region))
    enterprises = []
    all_counties = [c for c, r in regions.items() if r[2] == 3]
    for index in range(ds.size(500, 5)):
        region = rng.choice(all_counties)
        eid, _ = org(f"{regions[region][0]}企业{index + 1}有限公司", "enterprise", region)
        user("p", eid, "purchaser", f"企业采购员{eid}")
        enterprises.append((eid, region))

    aided_tibet = [c for c in all_counties if c.startswith("54") and regions[c][3]]
    aided_other = [c for c in all_counties if not c.startswith("54") and regions[c][3]]
    not_aided = [c for c in all_counties if not regions[c][3]]
    suppliers = []
    for index in range(ds.size(SUPPLIERS, 5)):
        roll = rng.random()
        pool = aided_tibet if roll < 0.75 else aided_other if roll < 0.95 else not_aided
        region = rng.choice(pool)
        sid, _ = org(f"{short_name(regions[region][0])}{rng.choice(QUALITIES) or '雪域'}"
                     f"{rng.choice(SUPPLIER_KINDS)}{index + 1}", "supplier", region)
        user("s", sid, "supplier_staff", f"供应商员工{sid}")
        suppliers.append((sid, region))
    return dict(org_cols=org_cols, orgs=orgs, user_cols=user_cols, users=users, units=units,
                unions=unions, enterprises=enterprises, suppliers=suppliers, auditors=auditors,
                platform=platform[0])


def gen_policies_and_filings(ds, world):
    rng = ds.rng
    years = (ds.anchor.year - 1, ds.anchor.year)
    policies = []
    for year in years:
        for prefix, (ratio, eligible, unions) in POLICIES.items():
            policies.append(dict(region_prefix=prefix, year=year, min_ratio=Decimal(ratio),
                                 eligible_origin_prefixes=eligible, count_union_purchases=unions,
                                 updated_at=datetime(year, 1, 5, tzinfo=timezone.utc)))
    min_ratio = {}
    for unit_id, _, region, _ in world["units"]:
        best = max((p for p in POLICIES if region.startswith(p)), key=len, default=None)
        min_ratio[unit_id] = Decimal(POLICIES[best][0]) if best else Decimal("0.10")
    managers = {row[5]: row[0] for row in world["users"] if row[4] == "unit_manager"}
    cols = ("id", "budget_unit_id", "year", "version", "is_current", "canteen_status",
            "food_budget_fen", "ratio", "reserved_fen", "exception_ref", "representative_unit_id",
            "late", "filed_by_id", "filed_at")
    rows = []
    unit_ids = [u[0] for u in world["units"]]
    region_of = {u[0]: u[2] for u in world["units"]}
    for year in years:
        reps = {}
        statuses = {}
        for unit_id in unit_ids:
            roll = rng.random()
            statuses[unit_id] = ("not_filed" if roll < 0.03 else "none" if roll < 0.08 else
                                 "shared_representative" if roll < 0.11 else
                                 "shared_member" if roll < 0.17 else
                                 "outsourced" if roll < 0.25 else "own")
            if statuses[unit_id] == "shared_representative":
                reps.setdefault(region_of[unit_id][:4], []).append(unit_id)
        for unit_id in unit_ids:
            status = statuses[unit_id]
            if status == "not_filed":
                continue
            versions = 2 if rng.random() < 0.1 else 1
            for version in range(1, versions + 1):
                budget = ratio = reserved = exception = rep = None
                if status == "shared_member":
                    nearby = reps.get(region_of[unit_id][:4])
                    rep = rng.choice(nearby) if nearby else None
                    if rep is None:
                        status = "own"
                if status in ("own", "outsourced", "shared_representative"):
                    budget = rng.randrange(20_000_000, 500_000_000, 100)  # ¥200k–5m in fen
                    ratio = min_ratio[unit_id]
                    if rng.random() < 0.2:
                        ratio += Decimal(rng.choice(("0.02", "0.05", "0.10")))
                    elif rng.random() < 0.02:
                        ratio = (ratio - Decimal("0.05")).max(Decimal("0.01"))
                        exception = f"财预〔{year}〕{rng.randrange(1, 300)}号"
                    reserved = half_up(Decimal(budget) * ratio)
                filed = datetime(year, 1, 1, tzinfo=timezone.utc) + \
                    timedelta(days=rng.randrange(10, 80) + 30 * (version - 1),
                              hours=rng.random() * 10)
                (fid,) = ds.ids("filings")
                rows.append((fid, unit_id, year, version, version == versions, status, budget,
                             ratio, reserved, exception, rep, filed.month > 3, managers[unit_id],
                             filed))
    return policies, cols, rows


def standard_categories(conn, categories_table):
    """The categories `db upgrade` put in (rows as dicts) and the leaves products go under:
    [(id, leaf name, words)] for every leaf of CATALOG, in CATALOG's order."""
    import sqlalchemy as sa

    c = categories_table.c
    rows = [dict(row) for row in conn.execute(
        sa.select(c.id, c.name, c.parent_id).order_by(c.id)).mappings()]
    ids = {row["name"]: row["id"] for row in rows if row["parent_id"] is not None}
    missing = [name for name in CATALOG if name not in ids]
    if missing:
        raise SystemExit(f"the standard category tree lacks {missing}: is the schema migrated?")
    return rows, [(ids[name], name, words) for name, words in CATALOG.items()]


def search_text_for(name, spec, origin_names, supplier_name, category_name):
    """Fallback search text when the catalog module offers no builder: every searchable word."""
    return " ".join(filter(None, [name, spec, *origin_names, supplier_name, category_name]))


def gen_products(ds, world, leaves, builder):
    rng, regions = ds.rng, ds.regions
    org_names = {row[0]: row[1] for row in world["orgs"]}
    cols = ("id", "supplier_id", "name", "category_id", "spec", "unit", "price_fen",
            "reference_price_fen", "stock", "min_order_qty", "origin_region_code", "shelf_life",
            "storage", "description", "labels", "status", "sales_count", "search_text",
            "created_at", "updated_at")
    rows = []
    by_supplier = {}
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    n_products = ds.size(PRODUCTS, 20)
    suppliers = world["suppliers"]
    for index in range(n_products):
        supplier_id, origin = suppliers[index % len(suppliers)] if index < len(suppliers) \
            else rng.choice(suppliers)
        category_id, category_name, words = rng.choice(leaves)
        word, unit, specs, base = rng.choice(words)
        spec = rng.choice(specs)
        county = regions[origin]
        prefecture = regions.get(county[1], county)
        place = short_name(rng.choice((county[0], prefecture[0])))
        name = f"{place}{rng.choice(QUALITIES)}{word}"
        if rng.random() < 0.3:
            name += f" {spec}"
        price = max(100, int(base * rng.uniform(0.6, 1.8)) // 10 * 10)
        reference = max(10, int(price * rng.uniform(0.7, 1.1)) // 10 * 10) \
            if rng.random() < 0.4 else None
        (pid,) = ds.ids("products")
        status = rng.choice(statuses)
        created = ds.anchor - timedelta(days=rng.uniform(30, 800))
        text = builder(name, spec, (county[0], prefecture[0]), org_names[supplier_id],
                       category_name)
        rows.append((pid, supplier_id, name, category_id, spec, unit, price, reference,
                     0 if rng.random() < 0.03 else rng.randrange(10, 5000),
                     rng.choice((1, 1, 1, 2, 5)), origin, rng.choice(("12个月", "6个月", "7天", "30天")),
                     rng.choice(("常温", "冷藏 0-4℃", "冷冻 -18℃", "阴凉干燥处")),
                     f"产自{county[0]}的{word}，{spec}，{category_name}。", 
                     rng.choice(LABEL_CHOICES), status, 0, text,
                     created, created))
        if status == "active" or rng.random() < 0.3:  # old orders also name now-inactive products
            by_supplier.setdefault(supplier_id, []).append(
                (pid, name, unit, price, origin, regions[origin][3]))
    return cols, rows, by_supplier


ORDER_COLS = ("id", "number", "status", "purpose", "buyer_organization_id", "budget_unit_id",
              "supplier_id", "placed_by_id", "checkout_key", "total_fen", "delivery_address",
              "wished_delivery_date", "invoice_title", "payment_method", "payment_terms",
              "payment_status", "paid_fen", "refunded_fen", "payment_reference", "due_date",
              "due_extended", "created_at", "approved_at", "confirmed_at", "shipped_at", "carrier",
              "tracking_number", "accepted_at", "acceptance_note", "completed_at", "cancelled_at",
              "cancel_reason")
LINE_COLS = ("id", "order_id", "product_id", "product_name", "unit", "unit_price_fen",
             "origin_region_code", "origin_aided", "quantity", "accepted_quantity", "refunded_fen")
EVENT_COLS = ("id", "order_id", "at", "actor_id", "from_status", "to_status", "note")
PAYMENT_COLS = ("id", "order_id", "method", "amount_fen", "status", "payment_intent_id",
                "transferred_at", "payer_account", "reference", "amount_mismatch",
                "created_by_id", "created_at", "confirmed_by_id", "confirmed_at")
REFUND_COLS = ("id", "order_id", "line_id", "payment_id", "amount_fen", "reason",
               "stripe_refund_id", "transfer_reference", "status", "created_by_id", "created_at")


class OrderMaker:
    """Orders with a realistic life: each step happens if its time is before the anchor."""

    def __init__(self, ds, world, by_supplier):
        self.ds = ds
        self.rng = ds.rng
        self.anchor = ds.anchor
        users = world["users"]
        self.purchaser = {row[5]: row[0] for row in users if row[4] == "purchaser"}
        self.staff = {row[5]: row[0] for row in users if row[4] == "supplier_staff"}
        self.units = [u[0] for u in world["units"]]
        self.unions = [(u[0], u[1]) for u in world["unions"]]
        self.enterprises = [e[0] for e in world["enterprises"]]
        self.suppliers = [s for s, _ in world["suppliers"] if by_supplier.get(s)]
        self.by_supplier = by_supplier
        self.names = {row[0]: row[1] for row in world["orgs"]}

    def buyer(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.80:
            unit = self.units[int(len(self.units) * rng.random() ** 1.6)]
            purpose = "canteen" if rng.random() < 0.85 else "other"
            return unit, unit, purpose
        if roll < 0.93 and self.unions:
            union, unit = rng.choice(self.unions)
            return union, unit, "union_welfare" if rng.random() < 0.9 else "other"
        return rng.choice(self.enterprises), None, "other"

    def make(self, orders, lines, events, payments, refunds):
        ds, rng, anchor = self.ds, self.rng, self.anchor
        (oid,) = ds.ids("orders")
        buyer, unit, purpose = self.buyer()
        supplier = rng.choice(self.suppliers)
        placed_by = self.purchaser[buyer]
        staff = self.staff[supplier]
        created = anchor - timedelta(seconds=rng.random() * 365 * 86400)
        catalogue = self.by_supplier[supplier]
        count = min(len(catalogue), rng.choice((1, 1, 2, 3, 3, 4, 4, 5, 6, 7, 8, 8)))
        picked = rng.sample(catalogue, count)
        order_lines = []
        for pid, name, unit_name, price, origin, aided in picked:
            if rng.random() < 0.15:  # the price or name has changed since: the snapshot keeps it
                price = max(10, int(price * rng.uniform(0.8, 1.2)))
            if rng.random() < 0.03:
                name = f"{name}（旧款）"
            if rng.random() < 0.01:
                aided = not aided  # the county's aided flag has changed since
            (lid,) = ds.ids("order_lines")
            order_lines.append([lid, oid, pid, name, unit_name, price, origin, aided,
                                rng.choice((1, 1, 2, 2, 3, 5, 5, 10, 10, 20, 30, 50)), None, 0])
        total = sum(line[5] * line[8] for line in order_lines)
        method = "bank_transfer" if rng.random() < 0.55 else "stripe"
        terms = "pay_first" if rng.random() < 0.6 else "goods_first"

        steps = []  # (time, from, to, actor)
        now_status = "placed"
        approved = confirmed = shipped = accepted = completed = cancelled = None
        t = created
        needs_approval = rng.random() < 0.05
        if needs_approval:
            now_status = "pending_approval"
            steps.append((created, None, "pending_approval", placed_by))
            t = created + timedelta(hours=rng.uniform(2, 72))
            if t < anchor:
                approved = t
                steps.append((t, "pending_approval", "placed", placed_by))
                now_status = "placed"
        else:
            steps.append((created, None, "placed", placed_by))
        fate = rng.random()
        if now_status == "placed":
            if fate < 0.06:
                t += timedelta(hours=rng.uniform(1, 72))
                if t < anchor:
                    cancelled, now_status = t, "cancelled"
                    steps.append((t, "placed", "cancelled", placed_by))
            elif fate < 0.07:
                t += timedelta(hours=rng.uniform(1, 48))
                if t < anchor:
                    now_status = "rejected"
                    steps.append((t, "placed", "rejected", staff))
            else:
                t += timedelta(hours=rng.uniform(1, 48))
                if t < anchor:
                    confirmed, now_status = t, "confirmed"
                    steps.append((t, "placed", "confirmed", staff))
                    t += timedelta(hours=rng.uniform(12, 96))
                    if t < anchor:
                        shipped, now_status = t, "shipped"
                        steps.append((t, "confirmed", "shipped", staff))
                        t += timedelta(hours=rng.uniform(24, 24 * 9))
                        if t < anchor:
                            accepted, now_status = t, "accepted"
                            steps.append((t, "shipped", "accepted", placed_by))
        # acceptance: full, partial, or refused lines
        accepted_value = total
        if accepted:
            accepted_value = 0
            for line in order_lines:
                roll = rng.random()
                quantity = line[8]
                if roll < 0.05 and quantity > 1:
                    line[9] = rng.randrange(1, quantity)
                elif roll < 0.065:
                    line[9] = 0
                else:
                    line[9] = quantity
                accepted_value += line[9] * line[5]
        # payment
        paid_at = None
        if now_status not in ("cancelled", "rejected", "pending_approval"):
            if terms == "pay_first":
                paid_at = created + timedelta(hours=rng.uniform(1, 24 * 20))
            elif accepted:
                paid_at = accepted + timedelta(days=rng.uniform(1, 45))
            if paid_at and paid_at >= anchor:
                paid_at = None
        paid = (total if terms == "pay_first" else accepted_value) if paid_at else 0
        payment_id = None
        if paid_at and paid > 0:
            (payment_id,) = ds.ids("payments")
            payments.append((payment_id, oid, method, paid,
                             "confirmed" if method == "bank_transfer" else "succeeded",
                             f"pi_bench_{oid}" if method == "stripe" else None,
                             paid_at.date() if method == "bank_transfer" else None,
                             "6222020200112233" if method == "bank_transfer" else None,
                             f"BT{oid:010d}" if method == "bank_transfer" else None, False,
                             placed_by, paid_at, staff if method == "bank_transfer" else None,
                             paid_at))
        # refunds on accepted lines (what was paid for it, or its accepted value)
        refunded = 0
        if accepted:
            for line in order_lines:
                value = line[9] * line[5]
                if value > 0 and rng.random() < 0.03:
                    amount = value if rng.random() < 0.3 else rng.randrange(1, value + 1)
                    when = accepted + timedelta(days=rng.uniform(1, 40))
                    if when >= anchor:
                        continue
                    line[10] = amount
                    refunded += amount
                    (rid,) = ds.ids("refunds")
                    refunds.append((rid, oid, line[0], payment_id, amount, "质量问题，部分退款",
                                    f"re_bench_{rid}" if payment_id and method == "stripe"
                                    else None,
                                    f"RT{rid:010d}" if payment_id and method == "bank_transfer"
                                    else None,
                                    "succeeded", staff, when))
        if paid_at and accepted:
            completed = max(paid_at, accepted)
            if completed < anchor:
                now_status = "completed"
                steps.append((completed, "accepted", "completed", None))
        elif accepted and not paid_at and terms == "pay_first":
            pass
        elif accepted and paid == 0 and accepted_value - refunded <= 0:
            completed = accepted
            now_status = "completed"
            steps.append((completed, "accepted", "completed", None))
        payment_status = "unpaid"
        if paid:
            payment_status = ("refunded" if refunded >= paid else
                              "partially_refunded" if refunded else "paid")
        elif method == "stripe" and now_status in ("placed", "confirmed") and rng.random() < 0.2:
            payment_status = "pending"
        if terms == "pay_first":
            due = (created + timedelta(days=30)).date()
        else:
            due = (accepted + timedelta(days=30)).date() if accepted else None
        extended = due is not None and rng.random() < 0.03
        if extended:
            due += timedelta(days=15)
        orders.append((oid, f"B{created.strftime('%y%m%d')}{oid:08d}", now_status, purpose, buyer,
                       unit, supplier, placed_by, None, total,
                       f"{self.names[buyer]} 食堂库房", (created + timedelta(days=5)).date(),
                       self.names[buyer] if rng.random() < 0.5 else None, method, terms,
                       payment_status, paid, refunded,
                       f"BT{oid:010d}" if method == "bank_transfer" else None, due, extended,
                       created, approved, confirmed, shipped,
                       "中国邮政" if shipped else None, f"YT{oid:012d}" if shipped else None,
                       accepted, "部分验收：部分商品不合格" if accepted and any(
                           line[9] != line[8] for line in order_lines) else None,
                       completed if now_status == "completed" else None, cancelled,
                       "采购计划变更" if cancelled else None))
        lines.extend(tuple(line) for line in order_lines)
        for at, before, after, actor in steps:
            (eid,) = ds.ids("order_events")
            events.append((eid, oid, at, actor, before, after, None))
        return len(order_lines)


def main(argv=None):
    args = parse_args(argv)
    url = database_url()
    print(f"generate: scale {args.scale}, seed {args.seed}, anchor {args.anchor}, "
          f"database {url.split('@')[-1]}", flush=True)
    print(f"  machine: {machine()}", flush=True)
    timer = Timer()
    started = time.perf_counter()
    app = make_app(url)
    import sqlalchemy as sa

    from marketplace.accounts.services import hash_password
    from marketplace.extensions import db
    from marketplace.regions.services import load_csv

    with timer("schema (flask db upgrade)"):
        build_schema(app, args.reset)
    with app.app_context():
        engine = db.engine
        metadata = db.metadata
        tables = metadata.tables
        writer = Writer(engine, fk_off=not args.no_fk_triggers_off)
        with timer("regions"):
            load_csv()
            db.session.commit()
            regions_en = dict(db.session.execute(sa.select(
                tables["regions"].c.code, tables["regions"].c.name_en)).all())
            regions = {r.code: (r.name, r.parent_code, r.level, r.aided)
                       for r in db.session.execute(sa.select(
                           tables["regions"].c.code, tables["regions"].c.name,
                           tables["regions"].c.parent_code, tables["regions"].c.level,
                           tables["regions"].c.aided).order_by(tables["regions"].c.code))}
        ds = Dataset(args, regions)
        ds.regions_en = regions_en
        indexes = drop_indexes(engine, metadata)
        with timer("organisations and users"):
            world = gen_organizations(ds, fixed_password_hash(hash_password))
            writer.write(tables["organizations"], world["org_cols"], world["orgs"])
            writer.write(tables["users"], world["user_cols"], world["users"])
        with timer("quota policies and filings"):
            policies, cols, filings = gen_policies_and_filings(ds, world)
            with engine.begin() as conn:
                conn.execute(tables["quota_policies"].insert(), policies)
            writer.write(tables["filings"], cols, filings)
        with timer("supplier certifications"):
            certify_suppliers(ds, world, tables, writer)
        with timer("categories and products"):
            with engine.connect() as conn:
                _categories, leaves = standard_categories(conn, tables["categories"])
            builder = catalog_search_text_builder()
            cols, products, by_supplier = gen_products(ds, world, leaves, builder)
            if "price_flagged" in tables["products"].c:
                cols += ("price_flagged",)
                products = [row + (bool(row[7]) and row[6] * 10 > row[7] * 13,) for row in products]
            writer.write(tables["products"], cols, products)
        with timer("catalog search index"):
            write_search_index(app)
        n_lines = ds.size(LINES, 100)
        with timer(f"orders ({n_lines:,} lines)"):
            maker = OrderMaker(ds, world, by_supplier)
            made = 0
            while made < n_lines:
                orders, lines, events, payments, refunds = [], [], [], [], []
                while len(lines) < 50_000 and made + len(lines) < n_lines:
                    maker.make(orders, lines, events, payments, refunds)
                made += len(lines)
                writer.write(tables["orders"], ORDER_COLS, orders)
                writer.write(tables["order_lines"], LINE_COLS, lines)
                writer.write(tables["order_events"], EVENT_COLS, events)
                writer.write(tables["payments"], PAYMENT_COLS, payments)
                writer.write(tables["refunds"], REFUND_COLS, refunds)
                print(f"    {made:,} lines", flush=True)
        with timer("indexes"):
            create_indexes(engine, indexes)
        with timer("sales counts, sequences, ANALYZE"):
            finish(engine, tables, ds)
            with engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(sa.text("ANALYZE"))
    total = time.perf_counter() - started
    print("rows: " + ", ".join(f"{name} {count:,}" for name, count in writer.counts.items()))
    print(f"total {total:.1f} s ({total / 60:.1f} min)")


def fixed_password_hash(hash_password):
    """The app's argon2 hash of PASSWORD with a fixed salt, so that reruns give the same rows."""
    try:
        from marketplace.accounts.services import _hasher

        hasher = _hasher if hasattr(_hasher, "hash") else _hasher()
        return hasher.hash(PASSWORD, salt=b"bench-fixed-salt")
    except (ImportError, TypeError, AttributeError):
        return hash_password(PASSWORD)


def certify_suppliers(ds, world, tables, writer):
    """Certify every supplier for its county (and record the approval), once the catalog
    defines certifications."""
    table = tables.get("supplier_certifications")
    if table is None:
        print("    (no certification table in this build: skipped)")
        return
    applied, decided = ds.anchor - timedelta(days=850), ds.anchor - timedelta(days=840)
    rows, events = [], []
    admin = next(row[0] for row in world["users"] if row[4] == "admin")
    for supplier_id, region in world["suppliers"]:
        (cid,) = ds.ids(table.name)
        rows.append((cid, supplier_id, region, "approved", applied, decided))
        events.append((cid, applied, None, "pending", None, supplier_id))
        events.append((cid, decided, "pending", "approved", admin, None))
    writer.write(table, ("id", "supplier_id", "region_code", "status", "applied_at",
                         "decided_at"), rows)
    if "certification_events" in tables:
        writer.write(tables["certification_events"],
                     ("id", "certification_id", "at", "from_status", "to_status", "actor_id"),
                     [(ds.ids("certification_events")[0], cid, at, before, after, actor)
                      for cid, at, before, after, actor, _ in events])


def catalog_search_text_builder():
    """The catalog's convention for Product.search_text when it keeps a term index (name and
    spec), else the fallback here."""
    try:
        from marketplace.catalog import search  # noqa: F401  (only: does it exist?)
    except ImportError:
        return search_text_for
    return lambda name, spec, *_: " ".join(filter(None, [name, spec]))


def write_search_index(app):
    """The catalog's search rows and vocabulary, by the app's own rebuild (`flask catalog
    reindex`), while the GIN index is dropped (it is built with the other indexes after)."""
    try:
        from marketplace.catalog.search import rebuild_index
    except ImportError:
        print("    (no catalog search index in this build: skipped)")
        return
    from marketplace.extensions import db

    count = rebuild_index()
    db.session.commit()
    print(f"    {count:,} products indexed", flush=True)


def finish(engine, tables, ds):
    import sqlalchemy as sa

    with engine.begin() as conn:
        conn.execute(sa.text(
            "UPDATE products SET sales_count = s.quantity FROM (SELECT l.product_id, "
            "SUM(l.quantity) AS quantity FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "WHERE o.status NOT IN ('cancelled', 'rejected') GROUP BY l.product_id) AS s "
            "WHERE products.id = s.product_id"))
        if engine.dialect.name == "postgresql":
            for name, table in tables.items():
                if "id" in table.c and isinstance(table.c.id.type, sa.Integer) and \
                        table.c.id.primary_key and table.c.id.autoincrement in (True, "auto"):
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))


if __name__ == "__main__":
    main()
