"""Demo organisations and users: the platform, a tree of Tibetan budget units with canteens, a
union, an enterprise, an audit office and cooperatives across Tibet's prefectures.

Fills ctx["platform"], ctx["admin"], ctx["units"] (the root department first), ctx["union"],
ctx["enterprise"], ctx["audit_office"], ctx["suppliers"], ctx["users"] and ctx["logins"].
"""
from marketplace.accounts.models import DeliveryAddress
from marketplace.accounts.services import create_organization, create_user, hash_password
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.regions.services import load_csv

# (name, county code, contact, bank) of the cooperatives, in several prefectures.
SUPPLIERS = [
    ("林芝市巴宜区鲁朗松茸种植专业合作社", "540402", "扎西", "中国农业银行林芝分行"),
    ("米林县南伊沟藏香猪养殖专业合作社", "540422", "次仁多吉", "西藏银行林芝分行"),
    ("波密县易贡茶叶种植专业合作社", "540424", "格桑", "中国农业银行波密县支行"),
    ("拉萨市达孜区青稞种植专业合作社", "540104", "尼玛", "西藏银行拉萨分行"),
    ("当雄县纳木错牦牛养殖专业合作社", "540122", "旦增", "中国农业银行当雄县支行"),
    ("山南市乃东区藏鸡养殖专业合作社", "540502", "拉巴", "中国农业银行山南分行"),
    ("贡嘎县高原蔬菜种植专业合作社", "540522", "央金", "西藏银行山南分行"),
    ("那曲市色尼区酥油奶渣加工专业合作社", "540602", "多吉", "中国农业银行那曲分行"),
    ("日喀则市桑珠孜区糌粑加工专业合作社", "540202", "普布", "中国农业银行日喀则分行"),
    ("亚东县黑木耳种植专业合作社", "540233", "边巴", "西藏银行日喀则分行"),
    ("昌都市卡若区核桃种植专业合作社", "540302", "洛桑", "中国农业银行昌都分行"),
    ("芒康县盐井葡萄种植专业合作社", "540328", "德吉", "西藏银行昌都分行"),
    ("噶尔县狮泉河牦牛肉加工专业合作社", "542523", "索朗", "中国农业银行阿里分行"),
]


def _credit_code(county, number):
    """A made-up 18-character unified social credit code (93: a farmers' cooperative)."""
    return f"93{county}MA{number:07d}X"


def _user(ctx, email, name, org, role):
    # Every demo user gets its own salted hash of the shared password: with one hash for all,
    # one user's login fingerprint would fit every other's.
    user = create_user(email, ctx["password"], name, org, role,
                       password_hash=hash_password(ctx["password"]))
    ctx["logins"].append((role, email, ctx["password"], org.name))
    return user


def _unit(name, region_code, parent=None, **fields):
    return create_organization(name, "budget_unit", region_code, parent=parent, **fields)


def _ensure_regions():
    """Demo data needs the region registry; load the shipped CSV when it is empty."""
    if db.session.query(Region.code).first() is None:
        load_csv()


def seed(ctx):
    """Create the demo organisations and one user for every role (password ctx["password"])."""
    _ensure_regions()
    ctx.setdefault("logins", [])
    platform = create_organization("消费帮扶采购平台运营中心", "platform", "540000")
    admin = _user(ctx, "admin@demo.cn", "平台管理员", platform, "admin")

    # The budget-unit tree: the finance department, two prefecture bureaus, their units.
    root = _unit("西藏自治区财政厅", "540000", contact_name="财务处", contact_phone="0891-6321234")
    lhasa = _unit("拉萨市财政局", "540100", parent=root)
    nyingchi = _unit("林芝市财政局", "540400", parent=root)
    lhasa_school = _unit("拉萨市第一中学", "540102", parent=lhasa, contact_name="后勤处",
                         approval_threshold_fen=2_000_000)
    lhasa_hospital = _unit("拉萨市人民医院", "540102", parent=lhasa, contact_name="总务科")
    chengguan = _unit("拉萨市城关区机关事务服务中心", "540102", parent=lhasa)
    nyingchi_school = _unit("林芝市第一中学", "540402", parent=nyingchi, contact_name="后勤处")
    nyingchi_hospital = _unit("林芝市人民医院", "540402", parent=nyingchi)
    mainling = _unit("米林县人民政府", "540422", parent=nyingchi)
    units = [root, lhasa, nyingchi, lhasa_school, lhasa_hospital, chengguan, nyingchi_school,
             nyingchi_hospital, mainling]

    union = create_organization("拉萨市第一中学工会委员会", "union", "540102",
                                budget_unit=lhasa_school, contact_name="工会办公室")
    enterprise = create_organization("拉萨净土农牧产品贸易有限公司", "enterprise", "540102",
                                     credit_code="91540100MA6T1234X5")
    audit_office = create_organization("西藏自治区审计厅", "audit_office", "540000")

    suppliers = []
    for number, (name, county, contact, bank) in enumerate(SUPPLIERS, start=1):
        suppliers.append(create_organization(
            name, "supplier", county, contact_name=contact,
            contact_phone=f"139{county[2:]}{number:04d}",
            credit_code=_credit_code(county, number),
            address=f"{db.session.get(Region, county).name}",
            settlement_bank=bank, settlement_account=f"6228{county}{number:08d}",
            settlement_account_name=name))
    pending = create_organization("比如县虫草采集专业合作社", "supplier", "540622",
                                  status="pending", contact_name="桑珠",
                                  contact_phone="13908960001")

    users = {
        "admin": admin,
        "purchaser": _user(ctx, "purchaser@demo.cn", "王采购（一中食堂）", lhasa_school, "purchaser"),
        "unit_manager": _user(ctx, "manager@demo.cn", "李主任（一中后勤）", lhasa_school,
                              "unit_manager"),
        "union_purchaser": _user(ctx, "union@demo.cn", "达瓦（一中工会）", union, "purchaser"),
        "supplier_staff": _user(ctx, "supplier@demo.cn", f"{SUPPLIERS[0][2]}（合作社）",
                                suppliers[0], "supplier_staff"),
        "auditor": _user(ctx, "auditor@demo.cn", "赵审计", audit_office, "auditor"),
    }
    _user(ctx, "finance@demo.cn", "陈处长（财政厅）", root, "unit_manager")
    _user(ctx, "purchaser2@demo.cn", "刘采购（林芝一中食堂）", nyingchi_school, "purchaser")
    _user(ctx, "hospital@demo.cn", "周采购（拉萨人民医院）", lhasa_hospital, "purchaser")
    _user(ctx, "enterprise@demo.cn", "孙采购（企业）", enterprise, "purchaser")
    for number, supplier in enumerate(suppliers[1:], start=2):
        _user(ctx, f"supplier{number}@demo.cn", f"{SUPPLIERS[number - 1][2]}（合作社）",
              supplier, "supplier_staff")
    _user(ctx, "pending@demo.cn", "桑珠（待审核）", pending, "supplier_staff")

    for org, label, recipient, phone, address in [
        (lhasa_school, "学生食堂", "王采购", "0891-6330001", "拉萨市城关区江苏路 1 号 拉萨市第一中学食堂"),
        (lhasa_hospital, "职工食堂", "周采购", "0891-6330002", "拉萨市城关区北京中路 18 号 拉萨市人民医院"),
        (nyingchi_school, "学生食堂", "刘采购", "0894-5820001", "林芝市巴宜区双拥路 6 号 林芝市第一中学食堂"),
        (union, "工会活动室", "达瓦", "0891-6330003", "拉萨市城关区江苏路 1 号 拉萨市第一中学工会"),
        (enterprise, "公司仓库", "孙采购", "0891-6330004", "拉萨市城关区金珠西路 99 号"),
    ]:
        db.session.add(DeliveryAddress(organization_id=org.id, label=label, recipient=recipient,
                                       phone=phone, address=address))
    db.session.flush()

    ctx.update(platform=platform, admin=admin, units=units, union=union, enterprise=enterprise,
               audit_office=audit_office, suppliers=suppliers, users=users)
