"""Backups: the database and the upload folder together, in one archive, and their restore.

    flask --app wsgi backup create /srv/backups/marketplace-$(date +%F).tar
    flask --app wsgi backup restore /srv/backups/marketplace-2026-12-04.tar

The archive (a tar file) holds `manifest.json` (when, which schema revision, which database
kind, every upload's SHA-256), the database — `database.dump`, PostgreSQL's custom format
made by pg_dump, or `database.sqlite`, a consistent copy made by SQLite's backup API — and
`uploads/`, the upload folder. The dump is taken first and the files after it, so every file
a row of the dump names is in the archive (a photo uploaded in between is only extra).

Restoring needs an empty database (a new one: `createdb`, or a fresh SQLite path) and an empty
or missing upload folder, unless `--replace` is given; pg_restore needs the PostgreSQL client
of the server's major version (or newer).
"""
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from marketplace.extensions import db
from marketplace.timeutil import utcnow

backup_group = AppGroup("backup", help="Back up and restore the database and the uploads.")


class BackupError(click.ClickException):
    """A backup or restore that cannot go on (said plainly, nothing half-done)."""


def _tool(name):
    """A PostgreSQL client program: on PATH, or the newest of Debian's versioned folders."""
    found = shutil.which(name)
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda path: int(path.split("/")[4]), reverse=True)
    if candidates:
        return candidates[0]
    if found:
        return found
    raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")


def _libpq(url):
    """(libpq URL without the password, environment with PGPASSWORD) for pg_dump/pg_restore."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args, env=None):
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[:2000]}")
    return result


def _uploads():
    return Path(current_app.config["UPLOAD_FOLDER"])


def _file_digests(folder):
    digests = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digests[path.relative_to(folder).as_posix()] = \
                    hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def _schema_revision():
    try:
        with db.engine.connect() as connection:
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version") \
                .scalar()
    except Exception:  # noqa: BLE001 - a database built without migrations (tests) has none
        return None


def create_backup(target):
    """Write the archive to `target`; returns its manifest."""
    engine = db.engine
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="marketplace-backup-") as work:
        work = Path(work)
        if engine.dialect.name == "postgresql":
            url, env = _libpq(engine.url)
            dump = work / "database.dump"
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={dump}", url], env=env)
        elif engine.dialect.name == "sqlite":
            dump = work / "database.sqlite"
            source = sqlite3.connect(engine.url.database)
            copy = sqlite3.connect(dump)
            with copy:
                source.backup(copy)  # a consistent copy, even while the app writes
            source.close()
            copy.close()
        else:  # pragma: no cover
            raise BackupError(f"cannot back up a {engine.dialect.name} database")
        digests = _file_digests(_uploads())
        manifest = {"created_at": utcnow().isoformat(), "database": engine.dialect.name,
                    "schema_revision": _schema_revision(), "files": digests}
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            payload = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
            archive.add(dump, arcname=dump.name)
            for name in digests:
                archive.add(_uploads() / name, arcname=f"uploads/{name}")
        partial.replace(target)  # never a half-written archive under the final name
    return manifest


def _database_is_empty():
    """Whether the database has no tables yet (a new one: the archive brings the schema)."""
    return not inspect(db.engine).get_table_names()


def restore_backup(source, replace=False):
    """Restore an archive made by `create_backup` into this app's database and upload folder.

    :raises BackupError: the archive is damaged or of another database kind, or the database
        or upload folder already holds data (without `replace`).
    """
    source = Path(source)
    engine = db.engine
    uploads = _uploads()
    with tarfile.open(source) as archive, \
            tempfile.TemporaryDirectory(prefix="marketplace-restore-") as work:
        work = Path(work)
        members = archive.getmembers()
        for member in members:
            if not (member.isfile() or member.isdir()) or member.name.startswith("/") or \
                    ".." in Path(member.name).parts:
                raise BackupError(f"unexpected entry in the archive: {member.name}")
        archive.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        for name, digest in manifest["files"].items():
            path = work / "uploads" / name
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                raise BackupError(f"the archive is damaged: uploads/{name}")
        if manifest["database"] != engine.dialect.name:
            raise BackupError(f"this is a {manifest['database']} backup; DATABASE_URL is "
                              f"{engine.dialect.name}")
        if not replace:
            if not _database_is_empty():
                raise BackupError("the database is not empty (restore into a new one, or "
                                  "--replace)")
            if uploads.is_dir() and any(uploads.iterdir()):
                raise BackupError(f"{uploads} is not empty (or --replace)")
        db.session.remove()
        if engine.dialect.name == "postgresql":
            engine.dispose()
            url, env = _libpq(engine.url)
            args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                    "--single-transaction", f"--dbname={url}"]
            if replace:
                args += ["--clean", "--if-exists"]
            _run(args + [str(work / "database.dump")], env=env)
        else:
            engine.dispose()
            copy = sqlite3.connect(work / "database.sqlite")
            target = sqlite3.connect(engine.url.database)
            with target:
                copy.backup(target)
            copy.close()
            target.close()
        if replace and uploads.is_dir():
            shutil.rmtree(uploads)
        uploads.mkdir(parents=True, exist_ok=True)
        if (work / "uploads").is_dir():
            shutil.copytree(work / "uploads", uploads, dirs_exist_ok=True)
    return manifest


@backup_group.command("create")
@click.argument("target", type=click.Path(dir_okay=False))
def create_command(target):
    """Write the database and the upload folder to the archive TARGET (a .tar file)."""
    manifest = create_backup(target)
    click.echo(f"backup written to {target}: {manifest['database']} database, "
               f"{len(manifest['files'])} uploaded files")


@backup_group.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True,
              help="Overwrite a database and upload folder that already hold data.")
def restore_command(source, replace):
    """Restore the archive SOURCE into DATABASE_URL and UPLOAD_FOLDER (empty ones)."""
    manifest = restore_backup(source, replace=replace)
    click.echo(f"restored {source} (made {manifest['created_at']}): "
               f"{len(manifest['files'])} uploaded files")
