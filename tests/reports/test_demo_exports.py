"""A new machine's demo: the database `scripts/demo` builds exports the quota report in every
format, even where no CJK font is installed (the PDF then embeds the font a Python package
ships)."""
import io
import json
import re
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from marketplace.demo import DEMO_PASSWORD
from tests.fresh_install import Installation, new_database

DEMO_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo"


def demo_commands():
    """The `flask` commands scripts/demo runs to build its database (all but `run`)."""
    commands = re.findall(r"^\.venv/bin/flask (.+)$", DEMO_SCRIPT.read_text(), re.M)
    assert commands[0] == "db upgrade" and "demo load" in commands
    return [command.split() for command in commands if not command.startswith("run")]


@pytest.fixture
def demo(backend, tmp_path, request):
    installation = Installation(new_database(backend, tmp_path, request), tmp_path,
                                REPORTS_CJK_FONT=str(tmp_path / "no-such-font.ttc"))
    for command in demo_commands():
        installation.flask(*command)
    return installation


def fetch(url, token=None, body=None):
    """The answer's body (urllib raises on an error status)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 200
        return answer.read()


def test_the_demo_auditor_exports_csv_excel_and_pdf_without_a_cjk_font(demo):
    year = date.today().year
    with demo.served() as base:
        token = json.loads(fetch(f"{base}/api/v1/auth/token", body={
            "email": "auditor@demo.cn", "password": DEMO_PASSWORD}))["token"]
        answers = {fmt: fetch(f"{base}/api/v1/quota/{year}/report.{fmt}", token)
                   for fmt in ("csv", "xlsx", "pdf")}
    assert "拉萨市第一中学" in answers["csv"].decode("utf-8-sig")
    book = load_workbook(io.BytesIO(answers["xlsx"]), read_only=True)
    assert any("拉萨市第一中学" == cell for sheet in book.worksheets
               for row in sheet.iter_rows(values_only=True) for cell in row)
    pdf = PdfReader(io.BytesIO(answers["pdf"]))
    words = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in pdf.pages))
    assert "拉萨市第一中学" in words and "食堂食材预留份额完成情况" in words
