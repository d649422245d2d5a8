"""Plain SQL on the hot paths of PostgreSQL, as prepared statements.

Django's cursors bind parameters on the client, so PostgreSQL parses and plans every statement anew; for
the few statements a flash crowd runs thousands of times a second, planning costs more than executing.
These helpers run them through a plain psycopg cursor on Django's own connection (same transaction, same
type loaders) with server-side binding, prepared once per connection."""

from __future__ import annotations

import psycopg
from django.db import connection


def fetchone(sql: str, params):
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()


def fetchall(sql: str, params) -> list:
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()
