"""JSON API v1 (see README, API section): the same services as the pages, under /api/v1.

The blueprint is made here; each endpoint module adds its routes to it, and `views` imports them
all and adds the request hooks every endpoint shares. The description of the contract is built
from per-domain tables in `contract`; the domains' objects are written by their `schemas`.
"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
