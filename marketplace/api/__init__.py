"""JSON API v1 (see README, API section): the same services as the pages, under /api/v1.

The blueprint is made here; `views` adds the request hooks shared by every endpoint and imports
the endpoint modules, which import `bp` from `views` or from here (the same object).
"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
