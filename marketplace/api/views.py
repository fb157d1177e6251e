"""The API blueprint; every endpoint module of this package is imported here.

The API authenticates with bearer tokens only (never the session cookie), so it is exempt
from CSRF protection.
"""
import importlib
import pkgutil

from flask import Blueprint

import marketplace.api as package
from marketplace.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

_SUPPORT_MODULES = {"views", "core"}

for _module in pkgutil.iter_modules(package.__path__):
    if _module.name not in _SUPPORT_MODULES and not _module.name.startswith("_"):
        importlib.import_module(f"marketplace.api.{_module.name}")
