"""The README's curl script, run as written against the app over HTTP: the whole API flow."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from marketplace.accounts.models import Organization
from marketplace.accounts.services import create_organization, create_user
from marketplace.api.openapi import spec
from marketplace.ordering.models import Order
from marketplace.regions.models import Region
from tests import factories
from tests.api.test_openapi import matched_endpoint

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-42"


def readme_script():
    """The script of the README's JSON API section (or of the section's draft)."""
    for source in (ROOT / "README.md", ROOT / "docs" / "API-README-section.md"):
        text = source.read_text(encoding="utf-8")
        section = text.split("## JSON API", 1)
        if len(section) == 2:
            match = re.search(r"```sh\n(.*?)\n```", section[1], re.S)
            if match:
                return match.group(1)
    raise AssertionError("no curl script in the README's JSON API section")


@pytest.fixture
def fresh_install(backend, app, db):
    """What `db upgrade` + `create-admin` leave: an empty region registry and one admin."""
    if backend != "sqlite":
        pytest.skip("the scripted journey runs on SQLite")
    if not (shutil.which("curl") and shutil.which("jq")):
        pytest.skip("needs curl and jq")
    missing = [f"{m.upper()} {p}" for p, methods in spec()["paths"].items() for m in methods
               if matched_endpoint(app, p, m) is None]
    if missing:
        pytest.skip(f"endpoints on other branches: {missing[:3]}…")
    db.session.execute(db.delete(Region))
    db.session.add(Region(code="100000", name="全国", level=1, aided=False))
    platform = create_organization("消费帮扶采购平台", "platform", "100000")
    create_user("admin@example.com", PASSWORD, "平台管理员", platform, "admin")
    factories.category("菌菇")  # categories are kept in the admin console
    db.session.commit()


def test_readme_curl_script_runs_the_whole_flow(fresh_install, live_server, db, tmp_path):
    result = subprocess.run(["sh", "-c", readme_script()], capture_output=True, text=True,
                            env={"BASE": f"{live_server.url}/api/v1", "PATH": "/usr/bin:/bin"},
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    db.session.expire_all()
    order = Order.query.one()
    assert order.status in ("accepted", "completed")
    assert order.payment_status == "paid"
    assert Organization.query.filter_by(kind="audit_office").one().name == "西藏自治区财政厅"
    # The auditor's quota rows: 19 accepted × 128.00 count for the school (and its department).
    assert '"unit_name": "林芝市第一中学"' in result.stdout
    assert '"completed": "2432.00"' in result.stdout
    report = next(tmp_path.glob("quota-*.csv")).read_text(encoding="utf-8-sig")
    assert "林芝市第一中学" in report
