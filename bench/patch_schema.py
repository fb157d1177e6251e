"""Bring an already generated benchmark database up to the models after a merge, without
regenerating it: create the missing tables and indexes, add the missing columns (with the
model's scalar default when it has one). For benchmark databases only; the app's real schema
changes go through migrations.

    python bench/patch_schema.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import make_app  # noqa: E402


def main():
    import sqlalchemy as sa
    from sqlalchemy.schema import CreateIndex

    from marketplace.extensions import db

    app = make_app()
    with app.app_context():
        engine = db.engine
        db.metadata.create_all(engine, checkfirst=True)
        inspector = sa.inspect(engine)
        changes = 0
        with engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                have = {c["name"] for c in inspector.get_columns(table.name)}
                indexes = {i["name"] for i in inspector.get_indexes(table.name)}
                for column in table.columns:
                    if column.name in have:
                        continue
                    kind = column.type.compile(dialect=engine.dialect)
                    default = ""
                    if column.default is not None and getattr(column.default, "is_scalar", False):
                        value = column.default.arg
                        literal = sa.literal(value).compile(
                            dialect=engine.dialect, compile_kwargs={"literal_binds": True})
                        default = f" DEFAULT {literal} NOT NULL" if not column.nullable else \
                            f" DEFAULT {literal}"
                    conn.execute(sa.text(
                        f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{default}'))
                    print(f"  added {table.name}.{column.name} {kind}{default}")
                    changes += 1
                for index in table.indexes:
                    if index.name not in indexes:
                        conn.execute(CreateIndex(index))
                        print(f"  created index {index.name}")
                        changes += 1
        print(f"schema patched: {changes} changes")


if __name__ == "__main__":
    main()
