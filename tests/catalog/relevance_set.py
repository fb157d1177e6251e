"""A fixed catalog and the queries canteen buyers type, each with the products that must come
first: the relevance test set (tests/catalog/test_relevance.py) and its precision at 3
(bench/relevance.py).

Queries are as buyers type them: an origin and a product with or without a space, a product
and a weight, a word inside a longer word, pinyin in full or by initials, a synonym, a label.
`first` lists the products that must fill the first places (in any order among themselves).
"""
from marketplace.catalog import services
from tests import factories
from tests.catalog.helpers import certified_staff, leaf

# (name, county)
SUPPLIERS = [
    ("鲁朗松茸专业合作社", "540402"),        # 巴宜区, 林芝: its name holds 松茸, it also sells fruit
    ("米林县雅江农牧合作社", "540422"),      # 米林县, 林芝
    ("墨脱县雅鲁藏布合作社", "540423"),      # 墨脱县, 林芝
    ("色尼区高原牦牛合作社", "540602"),      # 色尼区, 那曲
    ("当雄县纳木错牧业合作社", "540122"),    # 当雄县, 拉萨
    ("城关区净土农产品合作社", "540102"),    # 城关区, 拉萨
    ("白朗县蔬菜专业合作社", "540228"),      # 白朗县, 日喀则
    ("乃东区雅砻青稞合作社", "540502"),      # 乃东区, 山南
    ("亚东县沟谷特产合作社", "540233"),      # 亚东县, 日喀则
    ("普兰县神山农牧合作社", "542521"),      # 普兰县, 阿里
]

# (name, supplier index, (leaf, top), spec, unit, labels)
PRODUCTS = [
    ("林芝野生松茸", 0, ("松茸", "菌菇"), "500g/袋", "袋", "gi"),
    ("松茸干片", 0, ("松茸", "菌菇"), "250g/罐", "罐", ""),
    ("鲁朗苹果", 0, ("水果", "果蔬"), "5kg/箱", "箱", ""),
    ("林芝核桃", 0, ("干果坚果", "果蔬"), "1kg/袋", "袋", ""),
    ("米林松茸", 1, ("松茸", "菌菇"), "1kg/箱", "箱", ""),
    ("米林藏香猪肉", 1, ("藏香猪", "肉禽蛋"), "", "斤", "gi"),
    ("察隅羊肚菌", 1, ("羊肚菌", "菌菇"), "250g/袋", "袋", "organic"),
    ("墨脱石锅", 2, ("石锅", "特产工艺品"), "", "个", ""),
    ("墨脱茶叶", 2, ("茶叶", "茶叶饮品"), "250g/盒", "盒", "organic"),
    ("墨脱香蕉", 2, ("水果", "果蔬"), "5kg/箱", "箱", ""),
    ("那曲牦牛肉", 3, ("牦牛肉", "肉禽蛋"), "鲜切", "斤", "gi"),
    ("风干牦牛肉", 3, ("肉干", "休闲食品"), "250g/袋", "袋", ""),
    ("牦牛肉干", 3, ("肉干", "休闲食品"), "500g/袋", "袋", ""),
    ("牦牛酸奶", 3, ("酸奶", "乳制品"), "12杯/箱", "箱", ""),
    ("那曲酥油", 3, ("酥油", "乳制品"), "1kg/块", "块", ""),
    ("当雄牦牛肉", 4, ("牦牛肉", "肉禽蛋"), "2.5kg/袋", "袋", ""),
    ("纳木错奶渣", 4, ("奶渣", "乳制品"), "500g/袋", "袋", ""),
    ("牦牛奶粉", 4, ("奶粉", "乳制品"), "400g/罐", "罐", ""),
    ("拉萨糌粑", 5, ("糌粑", "粮油米面"), "1kg/袋", "袋", ""),
    ("青稞挂面", 5, ("面条挂面", "粮油米面"), "1kg/袋", "袋", ""),
    ("藏鸡蛋", 5, ("禽蛋", "肉禽蛋"), "30枚/盒", "盒", "green"),
    ("甜茶粉", 5, ("冲调饮品", "茶叶饮品"), "400g/袋", "袋", ""),
    ("牛肉", 5, ("牛肉", "肉禽蛋"), "", "斤", ""),
    ("白朗香菇", 6, ("香菇", "菌菇"), "5kg/箱", "箱", "green"),
    ("马铃薯", 6, ("蔬菜", "果蔬"), "10kg/袋", "袋", ""),
    ("西红柿", 6, ("蔬菜", "果蔬"), "5kg/箱", "箱", ""),
    ("大白菜", 6, ("蔬菜", "果蔬"), "", "斤", ""),
    ("白朗辣椒", 6, ("辣椒花椒", "调味品"), "500g/袋", "袋", ""),
    ("有机青稞米", 7, ("青稞", "粮油米面"), "5kg/袋", "袋", "organic"),
    ("黑青稞", 7, ("青稞", "粮油米面"), "2.5kg/袋", "袋", "green"),
    ("青稞面粉", 7, ("面粉", "粮油米面"), "5kg/袋", "袋", ""),
    ("山南菜籽油", 7, ("食用油", "粮油米面"), "5L/桶", "桶", ""),
    ("青稞饼干", 7, ("糕点饼干", "休闲食品"), "400g/盒", "盒", ""),
    ("亚东黑木耳", 8, ("木耳", "菌菇"), "250g/袋", "袋", "gi"),
    ("亚东鲑鱼", 8, ("淡水鱼", "水产"), "1kg/袋", "袋", ""),
    ("亚东蜂蜜", 8, ("蜂蜜", "滋补养生"), "500g/瓶", "瓶", ""),
    ("普兰藏红花", 9, ("藏红花", "滋补养生"), "5g/盒", "盒", ""),
    ("阿里藏羊肉", 9, ("羊肉", "肉禽蛋"), "", "斤", ""),
    ("普兰青稞酒", 9, ("酒类", "茶叶饮品"), "500ml/瓶", "瓶", ""),
    ("冬虫夏草", 9, ("虫草花", "滋补养生"), "10g/盒", "盒", ""),
]

SYNONYMS = [("土豆", "马铃薯", "equal"), ("番茄", "西红柿", "equal"), ("蘑菇", "菌菇", "broader"),
            ("牦牛肉", "牛肉", "related"), ("虫草", "冬虫夏草", "equal"), ("黄油", "酥油", "related")]

# (query, products that must come first)
QUERIES = [
    ("林芝松茸", ["林芝野生松茸"]),
    ("西藏牦牛肉", ["那曲牦牛肉", "当雄牦牛肉"]),
    ("那曲牦牛", ["那曲牦牛肉"]),
    ("西藏 牦牛肉", ["那曲牦牛肉", "当雄牦牛肉"]),
    ("松茸", ["林芝野生松茸", "松茸干片", "米林松茸"]),
    ("米林松茸", ["米林松茸"]),
    ("林芝 松茸", ["林芝野生松茸", "米林松茸"]),
    ("牛肉", ["牛肉"]),
    ("牦牛肉干", ["牦牛肉干"]),
    ("牦牛肉干 250g", ["牦牛肉干"]),
    ("风干牦牛肉 250g", ["风干牦牛肉"]),
    ("青稞", ["有机青稞米", "黑青稞"]),
    ("青稞面", ["青稞面粉"]),
    ("青稞 5kg", ["有机青稞米"]),
    ("青稞面粉 5kg", ["青稞面粉"]),
    ("山南青稞", ["有机青稞米", "黑青稞"]),
    ("糌粑", ["拉萨糌粑"]),
    ("拉萨糌粑", ["拉萨糌粑"]),
    ("藏鸡蛋", ["藏鸡蛋"]),
    ("鸡蛋", ["藏鸡蛋"]),
    ("土豆", ["马铃薯"]),
    ("土豆 10kg", ["马铃薯"]),
    ("番茄", ["西红柿"]),
    ("蘑菇", ["白朗香菇", "察隅羊肚菌", "亚东黑木耳", "林芝野生松茸", "松茸干片", "米林松茸"]),
    ("香菇", ["白朗香菇"]),
    ("日喀则香菇", ["白朗香菇"]),
    ("羊肚菌", ["察隅羊肚菌"]),
    ("木耳", ["亚东黑木耳"]),
    ("亚东木耳", ["亚东黑木耳"]),
    ("藏香猪", ["米林藏香猪肉"]),
    ("林芝藏香猪肉", ["米林藏香猪肉"]),
    ("酥油", ["那曲酥油"]),
    ("黄油", ["那曲酥油"]),
    ("奶渣", ["纳木错奶渣"]),
    ("酸奶", ["牦牛酸奶"]),
    ("牦牛奶粉", ["牦牛奶粉"]),
    ("蜂蜜", ["亚东蜂蜜"]),
    ("藏红花", ["普兰藏红花"]),
    ("虫草", ["冬虫夏草"]),
    ("阿里羊肉", ["阿里藏羊肉"]),
    ("菜籽油", ["山南菜籽油"]),
    ("食用油", ["山南菜籽油"]),
    ("苹果", ["鲁朗苹果"]),
    ("墨脱石锅", ["墨脱石锅"]),
    ("墨脱茶", ["墨脱茶叶"]),
    ("挂面", ["青稞挂面"]),
    ("songrong", ["林芝野生松茸", "松茸干片", "米林松茸"]),
    ("srgp", ["松茸干片"]),
    ("srg", ["松茸干片"]),
    ("linzhisongrong", ["林芝野生松茸", "米林松茸"]),
    ("maoniurou", ["那曲牦牛肉", "当雄牦牛肉"]),
    ("qingke", ["有机青稞米", "黑青稞"]),
    ("zanba", ["拉萨糌粑"]),
    ("有机 青稞", ["有机青稞米"]),
    ("地理标志 松茸", ["林芝野生松茸"]),
    ("牦牛肉 5斤", ["那曲牦牛肉", "当雄牦牛肉"]),
    ("我要买一箱苹果", ["鲁朗苹果"]),
]


def build():
    """List the catalog through the services; {name: Product}."""
    admin = factories.user("admin")
    staff = [certified_staff(county, name=name) for name, county in SUPPLIERS]
    products = {}
    for name, supplier, (leaf_name, top), spec, unit, labels in PRODUCTS:
        products[name] = services.create_product(staff[supplier], {
            "name": name, "category": leaf(leaf_name, top).id, "unit": unit, "spec": spec,
            "price": "50.00", "stock": "100", "origin_region_code": SUPPLIERS[supplier][1],
            "labels": labels})
    for word, other, kind in SYNONYMS:
        services.add_synonym(admin, word, other, kind)
    return products


def first_names(query, limit=3):
    """The names of the first `limit` products the product list shows for `query`."""
    page = services.list_cards(services.ProductFilters(q=query), per_page=limit)
    return [card.name for card in page.items]


def precision_at_3(query, expected):
    """How many of the first three (or of the expected, when fewer) are expected ones."""
    shown = first_names(query, 3)
    wanted = min(3, len(expected))
    return sum(1 for name in shown[:wanted] if name in expected) / wanted
