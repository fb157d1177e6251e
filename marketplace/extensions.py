"""Flask extensions, created unbound and initialised by the application factory."""
from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

MAX_ID = 2**31 - 1  # ids are INTEGER on PostgreSQL: a larger one can name no row

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

class Session(FlaskSession):
    """The session, whose `get` answers None for an integer id no INTEGER column can hold
    (PostgreSQL would refuse the query: an id from user input must never be a 500)."""

    def get(self, entity, ident, *args, **kwargs):
        if isinstance(ident, int) and not isinstance(ident, bool) and \
                not -MAX_ID - 1 <= ident <= MAX_ID:
            return None
        return super().get(entity, ident, *args, **kwargs)


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING), session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Signing in, by the login page or the API's token endpoint, counts against one budget per
# client address: trying passwords on both routes gets no more attempts than on one.
login_attempts = limiter.shared_limit(lambda: current_app.config["LOGIN_RATE_LIMIT"],
                                      scope="login", methods=["POST"])
