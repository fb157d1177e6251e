"""The platform's standard two-level category tree (标准品类), in the spirit of the national
consumption-assistance platform's: every new database holds it, so suppliers can list products
on a fresh install, and the demo lists its products under it.

The migration `c7e1a9d2b4f6_standard_category_tree` inserts TREE_2026 into every database
(missing nodes only, matched by name under the same parent). A migration must do the same thing
forever, so TREE_2026 is frozen: never edit it (tests/infra/test_migrations.py pins it). A
later change of the standard tree is a new constant beside it and a new revision that adds the
difference; STANDARD_TREE then names the newest.

Leaf names are unique across the tree and differ from every top-level name, so a product's
category can be given by its leaf's name alone (catalog.services.find_category).
"""

# ((top-level name, English name, ((leaf name, English name), ...)), ...), in display order.
TREE_2026 = (
    ("粮油米面", "Grain, oil & flour", (
        ("大米", "Rice"), ("面粉", "Flour"), ("青稞", "Highland barley"), ("糌粑", "Tsampa"),
        ("杂粮豆类", "Coarse grains & beans"), ("面条挂面", "Noodles"),
        ("食用油", "Cooking oil"))),
    ("肉禽蛋", "Meat, poultry & eggs", (
        ("牦牛肉", "Yak meat"), ("牛肉", "Beef"), ("猪肉", "Pork"),
        ("藏香猪", "Tibetan pork"), ("羊肉", "Mutton & lamb"), ("禽肉", "Poultry"),
        ("禽蛋", "Eggs"), ("肉制品", "Cured & processed meat"))),
    ("水产", "Fish & aquatic products", (
        ("淡水鱼", "Freshwater fish"), ("虾蟹贝类", "Shrimp, crab & shellfish"),
        ("水产干货", "Dried aquatic products"))),
    ("乳制品", "Dairy", (
        ("牛奶", "Milk"), ("酸奶", "Yoghurt"), ("奶粉", "Milk powder"), ("酥油", "Butter"),
        ("奶渣", "Dried curd (chhurpi)"), ("奶酪", "Cheese"))),
    ("果蔬", "Fruit & vegetables", (
        ("水果", "Fruit"), ("蔬菜", "Vegetables"), ("干果坚果", "Nuts & dried fruit"),
        ("脱水蔬菜", "Dried vegetables"))),
    ("菌菇", "Mushrooms & fungi", (
        ("松茸", "Matsutake"), ("羊肚菌", "Morels"), ("香菇", "Shiitake"),
        ("木耳", "Wood ear"), ("其他食用菌", "Other edible fungi"))),
    ("茶叶饮品", "Tea & drinks", (
        ("茶叶", "Tea"), ("藏茶", "Tibetan tea"), ("冲调饮品", "Instant drinks"),
        ("饮用水", "Drinking water"), ("果蔬汁", "Juices"), ("酒类", "Beer, wine & spirits"))),
    ("调味品", "Condiments", (
        ("食盐", "Salt"), ("辣椒花椒", "Chilli & Sichuan pepper"),
        ("酱油醋", "Soy sauce & vinegar"), ("酱料", "Sauces & pastes"),
        ("香辛料", "Spices"))),
    ("滋补养生", "Tonics & health foods", (
        ("蜂蜜", "Honey"), ("枸杞", "Goji berries"), ("灵芝", "Lingzhi"),
        ("虫草花", "Cordyceps flower"), ("藏红花", "Saffron"))),
    ("休闲食品", "Snacks", (
        ("糕点饼干", "Pastries & biscuits"), ("肉干", "Jerky"),
        ("果脯蜜饯", "Candied & preserved fruit"), ("糖果", "Sweets"))),
    ("特产工艺品", "Specialities & crafts", (
        ("藏香", "Tibetan incense"), ("木碗", "Wooden bowls"), ("石锅", "Stone pots"),
        ("唐卡", "Thangka"), ("编织刺绣", "Weaving & embroidery"),
        ("其他工艺品", "Other crafts"))),
    ("日用百货", "Household goods", (
        ("厨具餐具", "Kitchenware & tableware"), ("清洁用品", "Cleaning supplies"),
        ("纸品", "Paper goods"))),
)

STANDARD_TREE = TREE_2026


def leaf_names(tree=STANDARD_TREE):
    """Every leaf name of `tree`, in display order."""
    return [leaf for _top, _en, leaves in tree for leaf, _leaf_en in leaves]
