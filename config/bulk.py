"""Writing many rows at once on PostgreSQL: COPY, and ids taken from a table's sequence
beforehand so that related rows can point at rows not yet written. Used where thousands of rows
go in at once (an import, manage.py make_library); elsewhere the ORM writes.

A COPY is logged among the connection's queries as any other statement (it counts in
django_assert_num_queries, and shows in connection.queries with DEBUG on).
"""

from contextlib import nullcontext

from django.core.management.color import no_style
from django.db import connection


def copy_rows(model, rows, fields=None):
    """COPY rows (dicts keyed by field attname; a field left out takes its default) into the
    model's table, one statement. `fields`: the columns written (default: every concrete field;
    leave out an id to have the database number the rows)."""
    fields = list(model._meta.concrete_fields if fields is None else fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    defaults = {f.attname: f.get_default() for f in fields}
    with connection.cursor() as cursor:
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        # Django's errors (IntegrityError…), as for any statement run through its cursor
        with logged, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection)
                        for f in fields
                    ]
                )


def take_ids(model, count):
    """`count` new ids from the sequence of the model's primary key, in one statement."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def reset_sequence(model):
    """Move the model's id sequence past the ids written with explicit values."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
