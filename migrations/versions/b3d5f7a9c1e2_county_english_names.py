"""English names of the shipped counties and districts (the registry had them only down to
prefecture level, so English pages showed 巴宜区 beside "Nyingchi"): the pinyin of the name with
its kind in English, as data/regions.csv now ships them. Only rows without an English name are
filled, so a name the admin typed is kept.

Revision ID: b3d5f7a9c1e2
Revises: a9f3c5e7b1d2
Create Date: 2026-12-05 04:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b3d5f7a9c1e2'
down_revision = 'a9f3c5e7b1d2'
branch_labels = None
depends_on = None

NAMES = {
    "110101": "Dongcheng District",
    "110102": "Xicheng District",
    "110108": "Haidian District",
    "440104": "Yuexiu District",
    "440106": "Tianhe District",
    "510104": "Jinjiang District",
    "510107": "Wuhou District",
    "513301": "Kangding City",
    "513322": "Luding County",
    "513323": "Danba County",
    "513334": "Litang County",
    "513337": "Daocheng County",
    "520502": "Qixingguan District",
    "520526": "Weiningyizuhuizumiaozu Autonomous County",
    "533301": "Lushui City",
    "533323": "Fugong County",
    "533324": "Gongshandulongzunuzu Autonomous County",
    "533325": "Lanpingbaizupumizu Autonomous County",
    "540102": "Chengguan District",
    "540103": "Duilongdeqing District",
    "540104": "Dazi District",
    "540121": "Linzhou County",
    "540122": "Dangxiong County",
    "540123": "Nimu County",
    "540124": "Qushui County",
    "540127": "Mozhugongka County",
    "540202": "Sangzhuzi District",
    "540221": "Nanmulin County",
    "540222": "Jiangzi County",
    "540223": "Dingri County",
    "540224": "Sajia County",
    "540225": "Lazi County",
    "540226": "Angren County",
    "540227": "Xietongmen County",
    "540228": "Bailang County",
    "540229": "Renbu County",
    "540230": "Kangma County",
    "540231": "Dingjie County",
    "540232": "Zhongba County",
    "540233": "Yadong County",
    "540234": "Jilong County",
    "540235": "Nielamu County",
    "540236": "Saga County",
    "540237": "Gangba County",
    "540302": "Karuo District",
    "540321": "Jiangda County",
    "540322": "Gongjue County",
    "540323": "Leiwuqi County",
    "540324": "Dingqing County",
    "540325": "Chaya County",
    "540326": "Basu County",
    "540327": "Zuogong County",
    "540328": "Mangkang County",
    "540329": "Luolong County",
    "540330": "Bianba County",
    "540402": "Bayi District",
    "540421": "Gongbujiangda County",
    "540422": "Milin County",
    "540423": "Motuo County",
    "540424": "Bomi County",
    "540425": "Chayu County",
    "540426": "Lang County",
    "540502": "Naidong District",
    "540521": "Zhanang County",
    "540522": "Gongga County",
    "540523": "Sangri County",
    "540524": "Qiongjie County",
    "540525": "Qusong County",
    "540526": "Cuomei County",
    "540527": "Luozha County",
    "540528": "Jiacha County",
    "540529": "Longzi County",
    "540530": "Cuona County",
    "540531": "Langqiazi County",
    "540602": "Seni District",
    "540621": "Jiali County",
    "540622": "Biru County",
    "540623": "Nierong County",
    "540624": "Anduo County",
    "540625": "Shenzha County",
    "540626": "Suo County",
    "540627": "Bange County",
    "540628": "Baqing County",
    "540629": "Nima County",
    "540630": "Shuanghu County",
    "542521": "Pulan County",
    "542522": "Zhada County",
    "542523": "Gaer County",
    "542524": "Ritu County",
    "542525": "Geji County",
    "542526": "Gaize County",
    "542527": "Cuoqin County",
    "622901": "Linxia City",
    "622926": "Dongxiangzu Autonomous County",
    "622927": "Jishishanbaoanzudongxiangzusalazu Autonomous County",
    "632621": "Maqin County",
    "632622": "Banma County",
    "632623": "Gande County",
    "632624": "Dari County",
    "632625": "Jiuzhi County",
    "632626": "Maduo County",
}

regions = sa.table("regions", sa.column("code", sa.String), sa.column("name_en", sa.String))


def upgrade():
    for code, english in NAMES.items():
        op.execute(regions.update().where(regions.c.code == code, regions.c.name_en.is_(None))
                   .values(name_en=english))


def downgrade():
    for code, english in NAMES.items():
        op.execute(regions.update().where(regions.c.code == code, regions.c.name_en == english)
                   .values(name_en=None))
