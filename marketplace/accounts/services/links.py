"""Links in accounts e-mails and notices."""
from marketplace.links import external_url, path_for

__all__ = ["external_url", "path_for"]
