"""The domain packages, and their modules found by name (pages, models, listeners, commands,
demo data), in the order the factory registers them and the demo seeds them."""
import importlib

DOMAINS = ("accounts", "regions", "catalog", "ordering", "credit", "payments", "compliance",
           "pairings", "reports", "admin", "notifications", "api")


def domain_modules(name, domains=DOMAINS):
    """`marketplace.<domain>.<name>` of each domain that has one, imported, in order."""
    modules = []
    for domain in domains:
        try:
            modules.append(importlib.import_module(f"marketplace.{domain}.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"marketplace.{domain}.{name}":
                raise
    return modules
