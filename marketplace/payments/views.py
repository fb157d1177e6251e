"""Payments pages."""
from flask import Blueprint

bp = Blueprint("payments", __name__)
