"""Fuzzing every described operation from the OpenAPI description (schemathesis, bounded).

Each operation gets valid and invalid requests (as a role it allows, and open ones as an admin
and as a purchaser), on seeded data: no answer may be a 500, and every answer must be one the
description lists, with its content type and schema. SQLite only, to keep the suite fast.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from marketplace.api.contract import spec
from tests import factories
from tests.api.test_openapi import matched_endpoint
from tests.helpers import bearer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 5  # per generation mode, role and operation: bounded so the suite stays fast
# Issuing a token verifies an Argon2 hash (deliberately slow), a PDF embeds a CJK font: fewer
# examples there.
EXAMPLES_FOR = {("/auth/token", "post"): 2, ("/quota/{year}/report.pdf", "get"): 2}


def fuzz_plan():
    """(path, method, role) to fuzz: operations without a token once; role-restricted ones as
    their first allowed role (the deep paths); open ones as an admin and as a purchaser."""
    plan = []
    for path, methods in spec()["paths"].items():
        for method, op in methods.items():
            if op.get("security") == []:
                roles = [None]
            elif op.get("x-roles"):
                roles = [op["x-roles"][0]]
            else:
                roles = ["admin", "purchaser"]
            plan.extend((path, method, role) for role in roles)
    return plan


PLAN = fuzz_plan()


@pytest.fixture
def sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("fuzzing runs on SQLite only (speed); the rules are tested on both")


@pytest.fixture
def seeded(sqlite_only, app, db):
    """Users of every role and a little of everything, with ids the fuzzer will hit (1, 2, …)."""
    unit = factories.org("budget_unit")
    users = {
        "admin": factories.user("admin"),
        "purchaser": factories.user("purchaser", organization=unit),
        "unit_manager": factories.user("unit_manager", organization=unit),
        "supplier_staff": factories.user("supplier_staff"),
        "auditor": factories.user("auditor"),
    }
    supplier = users["supplier_staff"].organization
    products = [factories.product(supplier=supplier, name=name) for name in ("松茸", "青稞面")]
    for status in ("placed", "confirmed", "shipped"):
        factories.order(users["purchaser"], lines=[(products[0], 2), (products[1], 1)],
                        status=status)
    db.session.commit()
    return users


@pytest.mark.parametrize("path, method, role", PLAN,
                         ids=[f"{m.upper()} {p} as {r or 'anyone'}" for p, m, r in PLAN])
def test_fuzzed_requests_get_described_answers_never_500(app, db, seeded, role, path, method):
    if matched_endpoint(app, path, method) is None:
        pytest.skip("implemented on another branch")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method.upper()]
    user = seeded[role] if role else None

    def headers():
        if user is None:
            return {}
        # A fresh token for each request: the fuzzer may revoke the one it was given.
        return bearer(user)

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_FOR.get((path, method), EXAMPLES), deadline=None,
                  database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            response = case.call(headers=headers())
            case.validate_response(response, checks=CHECKS)

        try:
            fuzz()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE  # nothing can be invalid (no parameters)
