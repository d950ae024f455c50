"""Writing many rows at once. On PostgreSQL: COPY, and ids taken from a table's sequence
beforehand so that related rows can point at rows not yet written. Used where thousands of rows
go in at once (an import, manage.py make_library); elsewhere the ORM writes.

A COPY is logged among the connection's queries as any other statement (it counts in
django_assert_num_queries, and shows in connection.queries with DEBUG on).
"""

from contextlib import nullcontext

from django.core.management.color import no_style
from django.db import connection, connections

# Fields whose value, when it is already a str, int, bool or None, goes to the database as it
# is: their get_db_prep_save would return it unchanged, and costs most of a COPY's time.
PLAIN_FIELDS = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "IntegerField",
    "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "SmallIntegerField", "TextField",
}  # fmt: skip
PLAIN_VALUES = (str, int, bool, type(None))


def copy_rows(model, rows, fields=None):
    """COPY rows (dicts keyed by field attname; a field left out takes its default) into the
    model's table, one statement. `fields`: the columns written (default: every concrete field;
    leave out an id to have the database number the rows)."""
    if fields is None:  # the database computes the generated columns
        fields = [f for f in model._meta.concrete_fields if not f.generated]
    fields = list(fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    db = connections[connection.alias]  # the connection itself, not the proxy, per value
    columns = [
        (f.attname, f.get_default(), f.get_internal_type() in PLAIN_FIELDS, f.get_db_prep_save)
        for f in fields
    ]
    with db.cursor() as cursor:
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        # Django's errors (IntegrityError…), as for any statement run through its cursor
        with logged, db.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for row in rows:
                values = []
                for name, default, plain, prepare in columns:
                    value = row.get(name, default)
                    if not (plain and isinstance(value, PLAIN_VALUES)):
                        value = prepare(value, db)
                    values.append(value)
                copy.write_row(values)


def copy_values(model, columns, rows):
    """COPY rows that are tuples of database values already (str, int, bool, None; JSON as its
    text, a time as ISO 8601 text), in the order of `columns` (field attnames), into the
    model's table: one statement, and nothing done per value in Python."""
    fields = [model._meta.get_field(name) for name in columns]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    db = connections[connection.alias]
    with db.cursor() as cursor:
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, db.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)


def take_ids(model, count):
    """`count` new ids from the sequence of the model's primary key, in one statement. The
    sequence is looked up once, not per id (100,000 ids: 920 ms against 118 ms)."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
            "SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
            [table, column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def reset_sequence(model):
    """Move the model's id sequence past the ids written with explicit values."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def update_rows(model, records, fields):
    """Write `fields` (names) of many records (model instances, already stored) in one UPDATE
    ... FROM (VALUES ...) joined on the primary key, on PostgreSQL and SQLite alike: what
    QuerySet.bulk_update does, without the CASE WHEN per row and field it builds in Python
    (most of a batch's time for a few hundred rows of thirty fields). Values are prepared by
    each field, as a save would; on PostgreSQL each is cast to its column's type, since a VALUES
    list types its columns from its first row. Returns the number of rows updated."""
    records = list(records)
    if not records:
        return 0
    quote = connection.ops.quote_name
    opts = model._meta
    fields = [opts.pk, *(opts.get_field(name) for name in fields)]
    table = quote(opts.db_table)
    postgres = connection.vendor == "postgresql"

    def value(n, field):  # a VALUES list's columns are column1, column2… on both databases
        return f"CAST(v.column{n} AS {field.db_type(connection)})" if postgres else f"v.column{n}"

    assignments = ", ".join(
        f"{quote(field.column)} = {value(n, field)}" for n, field in enumerate(fields[1:], 2)
    )
    # Rows a statement, within the database's limit of parameters (SQLite: 32,766 by default).
    per_statement = max(1, (connection.features.max_query_params or 65535) // len(fields))
    row = f"({', '.join(['%s'] * len(fields))})"
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(records), per_statement):
            chunk = records[start : start + per_statement]
            sql = (
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(chunk))}) "
                f"AS v WHERE {table}.{quote(opts.pk.column)} = v.column1"
            )
            params = [
                field.get_db_prep_save(getattr(record, field.attname), connection)
                for record in chunk
                for field in fields
            ]
            cursor.execute(sql, params)
            updated += cursor.rowcount
    return updated
