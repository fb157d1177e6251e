"""Pictures for the demo's products: a small still-life drawn with Pillow for each listing.

The demo has no photographs, and a list of pale tiles does not show what the pages look like
with the photos suppliers upload. Each picture is seeded from the product (its name, spec and
category), so no two are alike and a rebuilt demo draws the same ones: a wall and a table in
colours of its own, the category's motif (mushrooms, a sack of grain, a cut of meat, eggs,
jars, bottles, fruit, tea leaves, a bowl) arranged on it, and a paper tag with the name when a
CJK font is installed. The picture is stored like an upload (`uploads.save_photo`), so it is
checked, re-encoded and served exactly as a supplier's photo.
"""
import colorsys
import functools
import hashlib
import io
import os
import random

from flask import current_app
from PIL import Image, ImageDraw, ImageFont
from werkzeug.datastructures import FileStorage

from marketplace.catalog import uploads
from marketplace.catalog.models import ProductPhoto

# Drawn at twice the stored size and scaled down: Pillow's shapes have no anti-aliasing.
SIZE = (480, 360)
SCALE = 2

MOTIFS = {
    "mushroom": {"松茸", "羊肚菌", "香菇", "灵芝", "木耳", "虫草花"},
    "sack": {"青稞", "糌粑", "面粉", "面条挂面", "糕点饼干", "干果坚果"},
    "meat": {"牦牛肉", "藏香猪", "羊肉", "禽肉"},
    "eggs": {"禽蛋"},
    "jar": {"酥油", "奶渣", "酸奶", "奶粉", "蜂蜜", "冲调饮品", "食盐", "藏红花"},
    "bottle": {"食用油", "饮用水", "酒类", "辣椒花椒"},
    "leaves": {"茶叶", "藏香"},
    "bowl": {"石锅", "木碗"},
}


# The objects' colours by motif, as ranges of (hue, saturation, value): mushrooms brown, meat
# red, leaves green; jars and bottles any colour (their labels and contents vary).
PALETTES = {
    "mushroom": ((.06, .11), (.35, .7), (.45, .8)), "sack": ((.08, .13), (.2, .45), (.6, .85)),
    "meat": ((-.03, .02), (.5, .75), (.55, .8)), "eggs": ((0, 1), (.3, .6), (.5, .8)),
    "jar": ((0, 1), (.3, .7), (.55, .85)), "bottle": ((0, 1), (.4, .75), (.5, .85)),
    "leaves": ((.22, .36), (.45, .8), (.35, .7)), "bowl": ((.05, .1), (.15, .5), (.35, .65)),
    "fruit": ((-.02, .3), (.55, .85), (.6, .9)),
}


def motif_of(category_name):
    """The kind of thing drawn for a category (fruit when none is named for it)."""
    for motif, names in MOTIFS.items():
        if category_name in names:
            return motif
    return "fruit"


def _colour(hue, saturation, value):
    red, green, blue = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return (round(red * 255), round(green * 255), round(blue * 255))


def _shade(colour, factor):
    return tuple(max(0, min(255, round(part * factor))) for part in colour)


@functools.lru_cache(maxsize=1)
def _font_path():
    """The CJK font the PDF reports use, when it is installed (else no tag is written)."""
    path = current_app.config.get("REPORTS_CJK_FONT")
    return path if path and os.path.exists(path) else None


@functools.lru_cache(maxsize=4)
def _font(path, size):
    return ImageFont.truetype(path, size, index=current_app.config.get("REPORTS_CJK_FONT_INDEX", 0))


def _mushroom(draw, rng, x, y, s, colour):
    stem = (238, 226, 204)
    draw.rounded_rectangle((x - s * .18, y - s * .55, x + s * .18, y), s * .1, fill=stem)
    draw.pieslice((x - s * .6, y - s * 1.05, x + s * .6, y - s * .25), 180, 360, fill=colour)
    for _dot in range(rng.randint(0, 4)):
        dx, dy = rng.uniform(-.35, .35) * s, rng.uniform(-.8, -.7) * s
        draw.ellipse((x + dx - s * .05, y + dy - s * .05, x + dx + s * .05, y + dy + s * .05),
                     fill=_shade(colour, 1.35))


def _sack(draw, rng, x, y, s, colour):
    draw.rounded_rectangle((x - s * .5, y - s * 1.1, x + s * .5, y), s * .25, fill=colour)
    draw.polygon([(x - s * .3, y - s * 1.05), (x, y - s * 1.3), (x + s * .3, y - s * 1.05)],
                 fill=_shade(colour, .8))
    draw.line((x - s * .35, y - s * 1.0, x + s * .35, y - s * 1.0), fill=_shade(colour, .6),
              width=max(2, int(s * .06)))
    grain = _shade(colour, 1.3)
    for _grain in range(rng.randint(4, 9)):
        gx, gy = x + rng.uniform(-1.0, 1.0) * s, y + rng.uniform(-.05, .12) * s
        draw.ellipse((gx - s * .06, gy - s * .035, gx + s * .06, gy + s * .035), fill=grain)


def _meat(draw, rng, x, y, s, colour):
    draw.ellipse((x - s * .8, y - s * .7, x + s * .8, y), fill=_shade(colour, .85))
    draw.ellipse((x - s * .7, y - s * .65, x + s * .7, y - s * .08), fill=colour)
    fat = (245, 232, 220)
    for _streak in range(rng.randint(2, 4)):
        sx = x + rng.uniform(-.45, .35) * s
        draw.arc((sx - s * .3, y - s * .55, sx + s * .3, y - s * .15), 200, 320, fill=fat,
                 width=max(2, int(s * .05)))


def _eggs(draw, rng, x, y, s, colour):
    shell = _shade((236, 222, 200), rng.uniform(.9, 1.05))
    for offset in (-.45, 0, .45):
        ex = x + offset * s
        draw.ellipse((ex - s * .22, y - s * .6, ex + s * .22, y), fill=shell)
    draw.rounded_rectangle((x - s * .8, y - s * .2, x + s * .8, y + s * .05), s * .05, fill=colour)


def _jar(draw, rng, x, y, s, colour):
    glass = _shade(colour, 1.25)
    draw.rounded_rectangle((x - s * .45, y - s * 1.0, x + s * .45, y), s * .15, fill=glass)
    draw.rectangle((x - s * .35, y - s * 1.15, x + s * .35, y - s * .95), fill=_shade(colour, .55))
    draw.rectangle((x - s * .45, y - s * .6, x + s * .45, y - s * .3), fill=_shade(colour, .8))


def _bottle(draw, rng, x, y, s, colour):
    draw.rounded_rectangle((x - s * .3, y - s * 1.1, x + s * .3, y), s * .12, fill=colour)
    draw.polygon([(x - s * .3, y - s * 1.05), (x - s * .1, y - s * 1.4),
                  (x + s * .1, y - s * 1.4), (x + s * .3, y - s * 1.05)], fill=colour)
    draw.rectangle((x - s * .1, y - s * 1.55, x + s * .1, y - s * 1.38), fill=_shade(colour, .5))
    draw.rectangle((x - s * .3, y - s * .7, x + s * .3, y - s * .4), fill=(250, 246, 236))


def _leaves(draw, rng, x, y, s, colour):
    for _leaf in range(rng.randint(3, 6)):
        angle = rng.uniform(-.6, .6)
        lx, ly = x + rng.uniform(-.6, .6) * s, y - rng.uniform(.1, .5) * s
        tip = (lx + angle * s * .5, ly - s * .55)
        draw.polygon([(lx, ly), (tip[0] - s * .15, (ly + tip[1]) / 2), tip,
                      (tip[0] + s * .15, (ly + tip[1]) / 2)], fill=_shade(colour, rng.uniform(.7, 1.2)))


def _bowl(draw, rng, x, y, s, colour):
    draw.chord((x - s * .8, y - s * .9, x + s * .8, y + s * .2), 0, 180, fill=colour)
    draw.ellipse((x - s * .8, y - s * .45, x + s * .8, y - s * .2), fill=_shade(colour, .7))
    draw.rectangle((x - s * .25, y - s * .02, x + s * .25, y + s * .05), fill=_shade(colour, .6))


def _fruit(draw, rng, x, y, s, colour):
    draw.ellipse((x - s * .4, y - s * .8, x + s * .4, y), fill=colour)
    draw.ellipse((x - s * .22, y - s * .66, x - s * .05, y - s * .5), fill=_shade(colour, 1.35))
    draw.line((x, y - s * .8, x + s * .06, y - s * .98), fill=(90, 60, 30),
              width=max(2, int(s * .05)))


DRAWERS = {"mushroom": _mushroom, "sack": _sack, "meat": _meat, "eggs": _eggs, "jar": _jar,
           "bottle": _bottle, "leaves": _leaves, "bowl": _bowl, "fruit": _fruit}


def draw_picture(name, category_name, spec=""):
    """A still-life for a product: a Pillow RGB image of SIZE, the same for the same arguments."""
    seed = hashlib.sha256(f"{name}|{category_name}|{spec}".encode()).digest()
    rng = random.Random(seed)
    width, height = SIZE[0] * SCALE, SIZE[1] * SCALE
    hue = rng.random()
    wall = _colour(hue, rng.uniform(.15, .35), rng.uniform(.8, .95))
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    # A soft light from one side of the wall.
    light = _shade(wall, 1.08)
    side = rng.choice((0, width // 2))
    draw.rectangle((side, 0, side + width // 2, height), fill=light)
    table_top = int(height * rng.uniform(.58, .68))
    table = _colour(hue + rng.uniform(.3, .7), rng.uniform(.3, .55), rng.uniform(.45, .7))
    draw.rectangle((0, table_top, width, height), fill=table)
    draw.rectangle((0, table_top, width, table_top + 10), fill=_shade(table, 1.15))
    cloth = _colour(hue + .5, rng.uniform(.2, .5), .95)
    cloth_left = rng.randint(width // 10, width // 3)
    draw.polygon([(cloth_left, table_top + 12), (cloth_left + width // 2, table_top + 12),
                  (cloth_left + width // 2 + 60, height), (cloth_left - 60, height)], fill=cloth)
    motif = motif_of(category_name)
    count = rng.randint(2, 4)
    base = _colour(*(rng.uniform(low, high) for low, high in PALETTES[motif]))
    for index in range(count):
        x = width * (index + 1) / (count + 1) + rng.uniform(-.05, .05) * width
        y = table_top + rng.uniform(.2, .45) * (height - table_top)
        size = height * rng.uniform(.22, .32)
        # A shadow on the table, then the object.
        draw.ellipse((x - size * .7, y - size * .08, x + size * .7, y + size * .12),
                     fill=_shade(table, .8))
        DRAWERS[motif](draw, rng, x, y, size, _shade(base, rng.uniform(.8, 1.15)))
    _tag(draw, rng, name, width, height)
    return image.reduce(SCALE)


def _tag(draw, rng, name, width, height):
    """A paper tag with the name in the upper corner, when a CJK font is there to write it."""
    path = _font_path()
    if path is None:
        return
    font = _font(path, 44)
    left, top = int(width * rng.uniform(.05, .1)), int(height * rng.uniform(.06, .12))
    box = draw.textbbox((left + 28, top + 18), name[:10], font=font)
    draw.rounded_rectangle((left, top, box[2] + 28, box[3] + 22), 14, fill=(252, 249, 240),
                           outline=(120, 100, 80), width=3)
    draw.text((left + 28, top + 18), name[:10], font=font, fill=(60, 45, 35))


def picture_upload(product):
    """The product's picture as an uploaded file (JPEG), as a supplier's browser would send it."""
    image = draw_picture(product.name, product.category.name, product.spec or "")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    buffer.seek(0)
    return FileStorage(stream=buffer, filename=f"demo-{product.id}.jpg", content_type="image/jpeg")


def add_pictures(products):
    """Give every product without a photo its drawn picture, stored as uploads are."""
    for product in products:
        if not product.photos:
            product.photos.append(ProductPhoto(position=0,
                                               **uploads.save_photo(picture_upload(product))))
