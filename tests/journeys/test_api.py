"""The README's curl script, run as written against a brand-new installation: a database built
by `flask db upgrade` and `flask create-admin` alone (no console step, no test factory), then
the whole API flow from the admin's token to the auditor's report in three formats."""
import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from tests.fresh_install import Installation, new_database

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-42"


def readme_script():
    """The script of the README's JSON API section."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## JSON API", 1)
    match = re.search(r"```sh\n(.*?)\n```", section[1], re.S) if len(section) == 2 else None
    assert match, "no curl script in the README's JSON API section"
    return match.group(1)


def readme_setup_commands(script):
    """The `flask --app wsgi …` commands of the script's step 0 (run there on the server)."""
    commands = re.findall(r"^#\s+flask --app wsgi (db upgrade|create-admin .*)$", script, re.M)
    assert [command.split()[0] for command in commands] == ["db", "create-admin"], commands
    return [command.replace('"$PASS"', PASSWORD).split() for command in commands]


@pytest.fixture
def brand_new(backend, tmp_path, request):
    """A brand-new installation set up by step 0 of the script itself."""
    if not (shutil.which("curl") and shutil.which("jq")):
        pytest.skip("needs curl and jq (scripts/install-system-packages)")
    url = new_database(backend, tmp_path, request)
    installation = Installation(url, tmp_path)
    for command in readme_setup_commands(readme_script()):
        installation.flask(*command)
    return installation


def test_readme_curl_script_runs_the_whole_flow_on_a_brand_new_database(brand_new, tmp_path):
    work = tmp_path / "client"
    work.mkdir()
    with brand_new.served() as base:
        result = subprocess.run(["sh", "-c", readme_script()], capture_output=True, text=True,
                                env={"BASE": f"{base}/api/v1", "PATH": "/usr/bin:/bin"},
                                cwd=work, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    # Step 6 showed the standard tree's leaves under 菌菇; the product went under 松茸.
    assert '"name":"松茸"' in result.stdout and '"name":"羊肚菌"' in result.stdout
    engine = create_engine(brand_new.settings["DATABASE_URL"].replace(
        "postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            order = connection.execute(text(
                "SELECT status, payment_status FROM orders")).one()
            category = connection.execute(text(
                "SELECT c.name, p.name FROM products p JOIN categories c "
                "ON c.id = p.category_id JOIN categories top ON top.id = c.parent_id "
                "WHERE top.name = '菌菇'")).one()
    finally:
        engine.dispose()
    assert order.status in ("accepted", "completed") and order.payment_status == "paid"
    assert tuple(category) == ("松茸", "林芝松茸")

    # Step 12: the auditor's quota rows (19 accepted × 128.00 count for the school) ...
    assert '"unit_name": "林芝市第一中学"' in result.stdout
    assert '"completed": "2432.00"' in result.stdout
    # ... and the report in the three formats, each showing the school's figures (for people:
    # money with thousands separators).
    report = next(work.glob("quota-*.csv"))
    rows = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    school = next(row for row in rows if "林芝市第一中学" in row)
    assert "2,432.00" in school
    book = load_workbook(report.with_suffix(".xlsx"), read_only=True)
    cells = [str(cell) for sheet in book.worksheets
             for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "林芝市第一中学" in cells
    pdf = PdfReader(report.with_suffix(".pdf"))
    words = re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in pdf.pages))
    assert "林芝市第一中学" in words and "2,432.00" in words
