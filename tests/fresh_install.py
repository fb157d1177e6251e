"""A brand-new installation for tests that start where a new user starts: an empty database
(SQLite file, or a new database on the run's PostgreSQL cluster) built only by the project's
own commands (`flask --app wsgi db upgrade`, `create-admin`, …, run as the README says), then
the app served over HTTP on a loopback port."""
import contextlib
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from marketplace import create_app
from tests.pg import free_port

ROOT = Path(__file__).resolve().parent.parent


def new_database(backend, tmp_path, request):
    """The URL of an empty database on `backend`."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    base = request.getfixturevalue("postgres_url")
    name = f"fresh_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


class Installation:
    """The settings of one brand-new installation, shared by its commands and its server."""

    def __init__(self, database_url, folder, **settings):
        self.settings = {"DATABASE_URL": database_url, "MAIL_FILE_DIR": str(folder / "mail"),
                         "UPLOAD_FOLDER": str(folder / "uploads"), **settings}

    def flask(self, *args):
        """Run `flask --app wsgi ARGS` as a user would; its output (fails on an error)."""
        env = {**os.environ, **self.settings}
        env.pop("FLASK_APP", None)
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stdout}{result.stderr}"
        return result.stdout

    @contextlib.contextmanager
    def served(self):
        """The app on this installation's database, over HTTP; yields its base URL."""
        config = {"SQLALCHEMY_DATABASE_URI": self.settings["DATABASE_URL"]}
        config.update({key: value for key, value in self.settings.items()
                       if key != "DATABASE_URL"})
        app = create_app(config)
        port = free_port()
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.shutdown()
            with app.app_context():
                from marketplace.extensions import db

                db.engine.dispose()
