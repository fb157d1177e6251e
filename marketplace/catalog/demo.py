"""Demo catalogue: certified suppliers and 100+ Tibetan products, listed under the platform's
standard category tree (the one `db upgrade` puts in every database).

`seed(ctx)` needs ctx["admin"] and ctx["suppliers"] (supplier organisations whose
`region_code` is a county); it certifies each supplier for its county, lists products from
it, draws a picture for each product (`demo_pictures`: the demo has no photographs), sets a
few reference prices (so that some listings are flagged) and puts the products in
ctx["products"]. `refresh()` draws the pictures into a demo database loaded before there were
any.
"""
from decimal import Decimal

from marketplace.catalog import demo_pictures, search, services
from marketplace.catalog.models import Product, ProductPhoto
from marketplace.extensions import db

# (name, category, [(spec, unit, price yuan, stock)], preferred prefecture prefix, labels,
#  shelf life, storage, description)
PRODUCTS = [
    ("林芝野生松茸", "松茸", [("500g/袋", "袋", "168.00", 120), ("1kg/箱", "箱", "318.00", 40)],
     "5404", "gi", "冷藏 7 天", "0-4℃冷藏", "海拔 3000 米原始森林采摘，当日冷链发出。"),
    ("松茸干片", "松茸", [("250g/罐", "罐", "188.00", 80)], "5404", "", "12 个月", "阴凉干燥处",
     "新鲜松茸切片低温烘干。"),
    ("察隅羊肚菌", "羊肚菌", [("250g/袋", "袋", "220.00", 60), ("500g/袋", "袋", "430.00", 30)],
     "5404", "organic", "12 个月", "阴凉干燥处", "野生羊肚菌，肉厚味鲜。"),
    ("波密黑木耳", "木耳", [("500g/袋", "袋", "58.00", 200)], "5404", "green", "18 个月",
     "阴凉干燥处", "高原椴木黑木耳。"),
    ("亚东黑木耳", "木耳", [("250g/袋", "袋", "36.00", 150)], "5402", "gi", "18 个月",
     "阴凉干燥处", "亚东沟谷出产。"),
    ("林芝灵芝切片", "灵芝", [("200g/盒", "盒", "128.00", 50)], "5404", "", "24 个月",
     "阴凉干燥处", "林下仿野生种植。"),
    ("白朗香菇", "香菇", [("5kg/箱", "箱", "160.00", 40), ("500g/袋", "袋", "18.00", 300)],
     "5402", "green", "冷藏 10 天", "0-4℃冷藏", "白朗县蔬菜基地大棚香菇。"),
    ("有机青稞米", "青稞", [("5kg/袋", "袋", "79.00", 300), ("1kg/袋", "袋", "18.00", 500)],
     "5402", "organic", "12 个月", "阴凉干燥处", "日喀则高原有机青稞，去皮留胚。"),
    ("黑青稞", "青稞", [("2.5kg/袋", "袋", "58.00", 150)], "5405", "green", "12 个月",
     "阴凉干燥处", "山南黑青稞，花青素丰富。"),
    ("青稞挂面", "面条挂面", [("1kg/袋", "袋", "22.00", 400), ("10袋/箱", "箱", "198.00", 60)],
     "5401", "", "12 个月", "阴凉干燥处", "青稞粉含量 30%。"),
    ("青稞面粉", "面粉", [("5kg/袋", "袋", "65.00", 200)], "5402", "", "9 个月", "阴凉干燥处",
     "石磨青稞面粉，可做饼、馍。"),
    ("青稞饼干", "糕点饼干", [("400g/盒", "盒", "28.00", 300)], "5401", "", "9 个月", "阴凉干燥处",
     "低糖青稞饼干。"),
    ("糌粑", "糌粑", [("1kg/袋", "袋", "26.00", 400), ("5kg/袋", "袋", "120.00", 80)], "5401",
     "", "6 个月", "阴凉干燥处", "炒青稞磨制，传统藏族主食。"),
    ("酥油糌粑礼盒", "糌粑", [("1.5kg/盒", "盒", "88.00", 100)], "5401", "", "3 个月",
     "阴凉干燥处", "糌粑配酥油、奶渣、白糖。"),
    ("菜籽油", "食用油", [("5L/桶", "桶", "98.00", 120)], "5405", "green", "18 个月",
     "避光常温", "高原油菜籽物理压榨。"),
    ("牦牛肉（鲜）", "牦牛肉", [("1kg/袋", "袋", "128.00", 150), ("斤", "斤", "66.00", 400)],
     "5406", "gi", "冷冻 12 个月", "-18℃冷冻", "那曲草原散养牦牛，排酸冷冻。"),
    ("风干牦牛肉", "牦牛肉", [("250g/袋", "袋", "78.00", 300), ("500g/袋", "袋", "148.00", 150)],
     "5406", "", "9 个月", "阴凉干燥处", "传统风干工艺。"),
    ("牦牛肉酱", "牦牛肉", [("200g/瓶", "瓶", "32.00", 300)], "5401", "", "12 个月", "常温",
     "牦牛肉粒配辣椒熬制。"),
    ("牦牛排骨", "牦牛肉", [("2kg/袋", "袋", "150.00", 80)], "5406", "", "冷冻 12 个月",
     "-18℃冷冻", "适合食堂炖煮。"),
    ("牦牛骨髓汤料", "牦牛肉", [("1kg/袋", "袋", "45.00", 120)], "5406", "", "冷冻 12 个月",
     "-18℃冷冻", "熬汤专用。"),
    ("藏香猪肉", "藏香猪", [("斤", "斤", "58.00", 300), ("5kg/箱", "箱", "560.00", 30)],
     "5404", "gi", "冷冻 12 个月", "-18℃冷冻", "林芝放养藏香猪，肉质紧实。"),
    ("藏香猪腊肉", "藏香猪", [("500g/袋", "袋", "88.00", 150)], "5404", "", "6 个月",
     "阴凉通风处", "松枝熏制。"),
    ("藏香猪排骨", "藏香猪", [("1kg/袋", "袋", "96.00", 100)], "5404", "", "冷冻 12 个月",
     "-18℃冷冻", "食堂红烧、炖汤皆宜。"),
    ("藏鸡（整只）", "禽肉", [("只", "只", "168.00", 80)], "5405", "", "冷冻 6 个月",
     "-18℃冷冻", "山南散养藏鸡，生长期 12 个月以上。"),
    ("藏鸡蛋", "禽蛋", [("30枚/盒", "盒", "78.00", 300), ("360枚/箱", "箱", "880.00", 30)],
     "5401", "green", "30 天", "0-10℃", "林周县放养藏鸡蛋，蛋黄饱满。"),
    ("绿壳藏鸡蛋", "禽蛋", [("20枚/盒", "盒", "68.00", 200)], "5404", "", "30 天", "0-10℃",
     "林芝绿壳蛋。"),
    ("岗巴羊肉", "羊肉", [("斤", "斤", "62.00", 300), ("5kg/箱", "箱", "580.00", 40)], "5402",
     "gi", "冷冻 12 个月", "-18℃冷冻", "岗巴县高原藏系绵羊，国家地理标志产品。"),
    ("羊排", "羊肉", [("2kg/袋", "袋", "168.00", 60)], "5425", "", "冷冻 12 个月", "-18℃冷冻",
     "阿里高原放牧。"),
    ("酥油", "酥油", [("500g/块", "块", "48.00", 300), ("2.5kg/桶", "桶", "225.00", 60)], "5406",
     "", "冷藏 6 个月", "0-4℃冷藏", "那曲牦牛奶手工提炼。"),
    ("酥油茶粉", "冲调饮品", [("400g/袋", "袋", "36.00", 400)], "5401", "", "12 个月", "阴凉干燥处",
     "冲调即饮。"),
    ("奶渣", "奶渣", [("500g/袋", "袋", "38.00", 200)], "5406", "", "6 个月", "阴凉干燥处",
     "牦牛奶发酵晾干。"),
    ("牦牛奶酸奶", "酸奶", [("1kg/桶", "桶", "32.00", 200)], "5401", "", "冷藏 21 天",
     "0-4℃冷藏", "拉萨本地酸奶厂出品。"),
    ("牦牛奶粉", "奶粉", [("400g/罐", "罐", "128.00", 100)], "5406", "", "18 个月",
     "阴凉干燥处", "全脂牦牛奶粉。"),
    ("林芝苹果", "水果", [("5kg/箱", "箱", "68.00", 200), ("10kg/箱", "箱", "128.00", 100)],
     "5404", "green", "冷藏 60 天", "0-4℃冷藏", "朗县、米林高原苹果，昼夜温差大，脆甜。"),
    ("察隅猕猴桃", "水果", [("3kg/箱", "箱", "88.00", 120)], "5404", "", "冷藏 30 天",
     "0-4℃冷藏", "察隅河谷种植。"),
    ("米林核桃", "干果坚果", [("1kg/袋", "袋", "58.00", 200)], "5404", "", "12 个月", "阴凉干燥处",
     "薄皮核桃。"),
    ("加查核桃", "干果坚果", [("2kg/箱", "箱", "98.00", 100)], "5405", "gi", "12 个月", "阴凉干燥处",
     "千年古核桃树所产。"),
    ("芒康葡萄干", "干果坚果", [("500g/袋", "袋", "32.00", 200)], "5403", "", "12 个月",
     "阴凉干燥处", "澜沧江河谷葡萄晾制。"),
    ("朗县辣椒", "辣椒花椒", [("250g/袋", "袋", "22.00", 300)], "5404", "gi", "12 个月",
     "阴凉干燥处", "朗县线椒，香辣适中。"),
    ("墨脱辣椒酱", "辣椒花椒", [("220g/瓶", "瓶", "26.00", 300)], "5404", "", "12 个月", "常温",
     "墨脱小米辣制作。"),
    ("芒康花椒", "辣椒花椒", [("250g/袋", "袋", "38.00", 200)], "5403", "", "18 个月",
     "阴凉干燥处", "麻味足。"),
    ("高原土豆", "蔬菜", [("10kg/袋", "袋", "36.00", 300), ("斤", "斤", "2.50", 2000)], "5402",
     "", "冷藏 60 天", "阴凉通风处", "白朗、江孜土豆，适合食堂大宗采购。"),
    ("白朗番茄", "蔬菜", [("5kg/箱", "箱", "45.00", 150)], "5402", "green", "冷藏 10 天",
     "0-10℃", "白朗县温室番茄。"),
    ("高原白菜", "蔬菜", [("斤", "斤", "2.20", 3000)], "5401", "", "冷藏 15 天", "0-4℃冷藏",
     "拉萨近郊蔬菜基地。"),
    ("高原萝卜", "蔬菜", [("斤", "斤", "1.80", 3000)], "5405", "", "冷藏 30 天", "0-4℃冷藏",
     "山南河谷萝卜。"),
    ("蕨麻（人参果）", "干果坚果", [("500g/袋", "袋", "68.00", 150)], "5406", "", "12 个月",
     "阴凉干燥处", "野生蕨麻。"),
    ("易贡茶", "茶叶", [("250g/盒", "盒", "128.00", 120)], "5404", "gi", "24 个月",
     "阴凉干燥处", "易贡茶场高山绿茶。"),
    ("墨脱绿茶", "茶叶", [("200g/盒", "盒", "168.00", 100)], "5404", "organic", "24 个月",
     "阴凉干燥处", "墨脱云雾茶园。"),
    ("藏式甜茶粉", "冲调饮品", [("500g/袋", "袋", "28.00", 300)], "5401", "", "12 个月",
     "阴凉干燥处", "拉萨甜茶馆配方。"),
    ("高原矿泉水", "饮用水", [("550ml×24瓶/箱", "箱", "48.00", 500), ("5L×4桶/箱", "箱", "56.00", 300)],
     "5406", "", "24 个月", "常温避光", "念青唐古拉山冰川水源。"),
    ("青稞啤酒", "酒类", [("500ml×12罐/箱", "箱", "96.00", 200)], "5401", "", "12 个月",
     "常温避光", "拉萨青稞啤酒。"),
    ("藏区湖盐", "食盐", [("500g/袋", "袋", "8.00", 800)], "5425", "", "36 个月", "常温干燥",
     "阿里盐湖天然湖盐。"),
    ("芒康井盐", "食盐", [("400g/袋", "袋", "15.00", 400)], "5403", "gi", "36 个月", "常温干燥",
     "盐井古法晒制红盐。"),
    ("墨脱石锅", "石锅", [("直径 26cm", "口", "380.00", 40), ("直径 32cm", "口", "580.00", 20)],
     "5404", "", "", "", "墨脱皂石手工凿制，适合炖鸡。"),
    ("尼木藏香", "藏香", [("50支/盒", "盒", "45.00", 300)], "5401", "gi", "", "干燥处",
     "尼木县吞巴乡传统手工藏香。"),
    ("察雅木碗", "木碗", [("个", "个", "120.00", 80)], "5403", "", "", "干燥处",
     "桦木手工车制。"),
    ("野生蜂蜜", "蜂蜜", [("500g/瓶", "瓶", "88.00", 120)], "5404", "", "24 个月", "常温",
     "林芝山花蜜。"),
    ("虫草花", "虫草花", [("200g/袋", "袋", "42.00", 200)], "5406", "", "12 个月", "阴凉干燥处",
     "人工培育虫草花，煲汤用。"),
    ("藏红花", "藏红花", [("2g/瓶", "瓶", "98.00", 100)], "5401", "", "24 个月", "阴凉干燥处",
     "高原温室种植。"),
    ("手工牦牛奶皮", "奶渣", [("250g/袋", "袋", "46.00", 100)], "5406", "", "3 个月",
     "0-4℃冷藏", "那曲牧民手工制作。"),
]

# A few references below the asking price, so the admin's flagged list has entries.
REFERENCES = [("松茸", "袋", "120.00"), ("牦牛肉", "斤", "45.00"), ("水果", "箱", "60.00"),
              ("禽蛋", "盒", "55.00")]


def _supplier_for(suppliers, prefix, index):
    """A supplier in the preferred prefecture when one exists, else one in turn."""
    local = [s for s in suppliers if s.region_code.startswith(prefix)]
    pool = local or suppliers
    return pool[index % len(pool)]


def _listings():
    """Every (name, category, spec, unit, price, stock, prefix, labels, shelf life, storage,
    description) to list: each variant of PRODUCTS, plus a gift-box edition of the first ones
    until there are at least 100."""
    rows = [(name, category, spec, unit, price, stock, prefix, labels, shelf_life, storage,
             description)
            for name, category, variants, prefix, labels, shelf_life, storage, description
            in PRODUCTS for spec, unit, price, stock in variants]
    extra = 0
    while len(rows) < 100:
        name, category, spec, unit, price, stock, *rest = rows[extra]
        rows.append((f"{name}礼盒", category, f"礼盒 {spec}", "盒",
                     f"{Decimal(price) * Decimal('1.2') + 20:.2f}", max(10, stock // 5), *rest))
        extra += 1
    return rows


def seed(ctx):
    """Categories, certifications, 100+ products and reference prices (see the module docstring)."""
    admin = ctx["admin"]
    # Products name a county as origin, so only suppliers registered in a county take part.
    suppliers = [supplier for supplier in ctx["suppliers"]
                 if supplier.region is not None and supplier.region.level == 3]
    leaves = services.standard_leaves()
    for supplier in suppliers:
        services.certify_supplier(admin, supplier, supplier.region_code)
    products = []
    for index, (name, category, spec, unit, price, stock, prefix, labels, shelf_life, storage,
                description) in enumerate(_listings()):
        supplier = _supplier_for(suppliers, prefix, index)
        product = services.prepare_product(supplier, {
            "name": name, "category": leaves[category], "spec": spec, "unit": unit,
            "price": price, "stock": stock, "origin_region_code": supplier.region_code,
            "shelf_life": shelf_life, "storage": storage, "description": description,
            "labels": labels, "min_order_qty": 1})
        product.sales_count = (index * 37) % 500
        db.session.add(product)
        products.append(product)
    db.session.flush()
    demo_pictures.add_pictures(products)
    search.index_products(products)
    for category, unit, price in REFERENCES:
        services.set_reference_price(admin, leaves[category], unit, price)
    db.session.flush()
    ctx["products"] = products
    ctx["categories"] = leaves
    return products


def refresh():
    """Draw a picture for every product that has no photo (a demo loaded before pictures)."""
    bare = Product.query.filter(~db.exists().where(ProductPhoto.product_id == Product.id)).all()
    demo_pictures.add_pictures(bare)
    return len(bare)
