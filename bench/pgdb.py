"""Throw-away PostgreSQL databases for benchmark workers.

A database is only ever dropped when its name starts with the prefix the
caller expects, so a mistyped URL cannot drop a real database.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def maintenance_dsn(url: str) -> str:
    return urlsplit(url)._replace(path="/postgres").geturl()


def reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(maintenance_dsn(url), connect_timeout=3):
            return True
    except Exception:  # any failure means: skip this database, say so in the report
        return False


def dbname(url: str, prefix: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith(prefix):
        raise SystemExit(f"refusing to drop {name!r}: the bench database must be {prefix}*")
    return name


def exists(url: str, prefix: str) -> bool:
    import psycopg

    with psycopg.connect(maintenance_dsn(url), autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname(url, prefix)])
        return row.fetchone() is not None


def drop(url: str, prefix: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_dsn(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(dbname(url, prefix))
            )
        )


def recreate(url: str, prefix: str) -> None:
    import psycopg
    from psycopg import sql

    drop(url, prefix)
    with psycopg.connect(maintenance_dsn(url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname(url, prefix))))
