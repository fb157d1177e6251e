"""The floor of the catalog benchmark: a bare Flask + SQLAlchemy page, 20 product rows, one query.

No extensions, no session, no login, no i18n: what any page of the real app costs at least.
    DATABASE_URL=postgresql://... gunicorn -w 2 -b 127.0.0.1:8001 --chdir bench floor_app:app
"""
import os

import sqlalchemy as sa
from flask import Flask

URL = os.environ["DATABASE_URL"]
if URL.startswith("postgresql://"):
    URL = "postgresql+psycopg://" + URL[len("postgresql://"):]

app = Flask(__name__)
engine = sa.create_engine(URL, pool_pre_ping=True)
QUERY = sa.text("SELECT id, name, spec, unit, price_fen, origin_region_code FROM products "
                "WHERE status = 'active' ORDER BY created_at DESC LIMIT 20")
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>商品</title></head>
<body><main><h1>商品</h1><ul>{% for p in products %}
<li><a href="/products/{{ p.id }}">{{ p.name }}</a> {{ p.spec or "" }}
¥{{ p.price_fen // 100 }}.{{ "%02d"|format(p.price_fen % 100) }}/{{ p.unit }}
{{ p.origin_region_code }}</li>{% endfor %}
</ul></main></body></html>"""

TEMPLATE = app.jinja_env.from_string(PAGE)  # compiled once, as Flask does for template files


@app.get("/")
def products():
    with engine.connect() as conn:
        rows = conn.execute(QUERY).all()
    return TEMPLATE.render(products=rows)
