"""`flask backup create` / `restore`: the database and the uploads, restored into a NEW
database (on PostgreSQL a new cluster) and a new upload folder, give the same quota figures
and the same files."""
import hashlib
import io
import tarfile
from datetime import timedelta
from pathlib import Path

from marketplace.catalog import uploads
from marketplace.extensions import db as _db
from marketplace.timeutil import to_cst, utcnow
from tests import factories
from tests.compliance.helpers import filing, product
from tests.factories import accepted_order
from tests.helpers import app_on, bearer, image_bytes, upload
from tests.pg import ThrowawayPostgres


def seed(app):
    """A unit with a filing and an accepted order (quota figures), and an uploaded photo."""
    year = to_cst(utcnow()).year
    unit = factories.org("budget_unit")
    buyer = factories.user("purchaser", organization=unit)
    admin = factories.user("admin")
    filing(unit, year=year, budget_fen=2_000_000)
    accepted_order(buyer, [(product(price_fen=12_800), 7)], utcnow() - timedelta(hours=2))
    with app.test_request_context():
        stored = uploads.save_photo(upload(image_bytes("JPEG", (320, 200))))
    return year, bearer(admin), stored


def figures(app, year, headers):
    answer = app.test_client().get(f"/api/v1/quota/{year}/units", headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def files_of(folder):
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(folder).rglob("*")) if path.is_file()}


def test_backup_restores_into_a_new_database_with_the_same_figures_and_files(
        app, db, backend, tmp_path):
    year, headers, stored = seed(app)
    before = figures(app, year, headers)
    assert before["totals"]["completed"] == "896.00" and before["totals"]["reserved"] != "0.00"
    archive = tmp_path / "marketplace.tar"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    assert result.exit_code == 0, result.output
    # (The session's upload folder also holds files of earlier tests: all of them go along.)
    assert f"{len(files_of(app.config['UPLOAD_FOLDER']))} uploaded files" in result.output

    cluster = None
    if backend == "postgresql":
        cluster = ThrowawayPostgres().start()  # a new cluster, as on a replacement server
        url = cluster.create_database("restored")
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    try:
        restored = app_on(url, tmp_path)
        with restored.app_context():
            result = restored.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
            assert result.exit_code == 0, result.output
            assert figures(restored, year, headers) == before
            assert files_of(restored.config["UPLOAD_FOLDER"]) == \
                files_of(app.config["UPLOAD_FOLDER"])
            restored_files = files_of(restored.config["UPLOAD_FOLDER"])
            assert f"catalog/{stored['stored_name']}" in restored_files
            # A second restore over data is refused unless asked for.
            again = restored.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
            assert again.exit_code != 0 and "not empty" in again.output
            _db.session.remove()
            _db.engine.dispose()
    finally:
        if cluster is not None:
            cluster.stop()


def test_a_damaged_archive_is_refused(app, db, tmp_path):
    seed(app)
    archive = tmp_path / "marketplace.tar"
    assert app.test_cli_runner().invoke(args=["backup", "create", str(archive)]).exit_code == 0
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name.startswith("uploads/") and member.isfile():
                content = data.read()[:-10] + b"0123456789"
                member.size = len(content)
                data = io.BytesIO(content)
            target.addfile(member, data)
    restored = app_on(f"sqlite:///{tmp_path / 'restored.sqlite'}", tmp_path)
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])
        assert result.exit_code != 0 and "damaged" in result.output
        _db.session.remove()
        _db.engine.dispose()
