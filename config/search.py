"""Text search on the database's own index, the same for the user on PostgreSQL and SQLite:
the records with every word of the text (in any form: "markers" finds "marker") in one of the
searched fields; when none has them, those with the text as part of the partial field (a
title, a claim's text: "prolact" finds "prolactinoma"). A word in nothing finds nothing;
matches in the first field rank before matches in the others.

PostgreSQL: a weighted `SearchVector` over the fields, stored in a generated column (the
model's `search_document`, a `StoredDocument`: the database computes it on every write, so it
cannot drift from the fields) and GIN-indexed, and a pg_trgm GIN index on the partial field's
upper case, which `icontains` uses. The two are asked in turn, not together: the word index
answers exactly, while trigrams make PostgreSQL recheck each row. The vector is stored, not
computed in the query, because at a million studies a common word ("marker": 30 % of them)
matches too many rows for the index alone: counting them, or reading a page in the list's
order, then filters rows one by one, which costs a comparison with a stored vector but a
whole `to_tsvector` of the title with an indexed expression (370 ms against 14 ms to count up
to 10,001, docs/benchmarks.md). Ranked by `ts_rank` when at most RANK_CAP records match: a
word that common ranks nothing anyway (the list's own order then). The indexes are created by
evidence's migration 0011 and claims' 0017 (`document_index_operations`).

SQLite (development and tests): every word in one of the fields (`icontains`, so part of a
word is found at once), those with every word in the first field ranked first. No FTS5 table:
SQLite's migrations rebuild a table to alter it, which drops the triggers an FTS5 index needs
to stay current."""

import json

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, F, Func, Q, Value, When

CONFIG = "english"
WEIGHTS = ["A", "B", "C", "D"]
# Matches ranked by relevance at most; past it the list's own (indexed) order.
RANK_CAP = 300
# Matches whose keys narrow the page's query at most (_keys).
KEYS_CAP = 10_000
# A word the planner expects in more than this share of the rows, and in more than KEYS_CAP of
# them, is common: its keys are not looked for (_keys).
COMMON_SHARE = 0.05


def document(*fields):
    """The weighted search vector of the fields, the first weighing most (PostgreSQL)."""
    vectors = [
        SearchVector(field, config=CONFIG, weight=WEIGHTS[min(n, 3)])
        for n, field in enumerate(fields)
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


class StoredDocument(Func):
    """The expression of a model's stored search document (a GeneratedField's): `document()` of
    the fields on PostgreSQL; NULL on SQLite, which has no text search type and searches the
    fields themselves (above)."""

    output_field = SearchVectorField()

    def __init__(self, *fields):
        super().__init__(document(*fields))

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


def matching(queryset, text, *, fields, partial, document):
    """`queryset` narrowed to the records matching `text` (see above), in its own order."""
    text = text.strip()
    if not text:
        return queryset
    words = _with_the_words(queryset, text, fields, document)
    keys = _keys(words)
    if keys is COMMON:
        return words
    if not keys:
        return _with_the_part(queryset, text, partial)
    return words if len(keys) > KEYS_CAP else queryset.filter(pk__in=keys)


def ranked(queryset, text, *, fields, partial, document):
    """As matching(), the most relevant first, then in the queryset's own order; in that order
    alone when more than RANK_CAP records match."""
    text = text.strip()
    if not text:
        return queryset
    words = _with_the_words(queryset, text, fields, document)
    keys = _keys(words)
    if keys is COMMON:
        return words
    if not keys:
        return _with_the_part(queryset, text, partial)
    if len(keys) > KEYS_CAP:
        return words
    found = queryset.filter(pk__in=keys)
    if len(keys) > RANK_CAP:
        return found
    if connection.vendor == "postgresql":
        rank = SearchRank(F(document), _query(text))
    else:
        in_first = Q()
        for word in text.split():
            in_first &= Q(**{f"{fields[0]}__icontains": word})
        rank = Case(When(in_first, then=Value(1)), default=Value(0))
    order = list(queryset.query.order_by)
    return found.annotate(search_rank=rank).order_by(F("search_rank").desc(), *order)


COMMON = object()  # what _keys() finds for a common word: no keys sought


def _keys(words):
    """The keys of the first KEYS_CAP + 1 matches, found by the word index. A list of at most
    KEYS_CAP keys then narrows the page's query in place of the words: PostgreSQL estimates a
    word it has no statistics for (most words: only the commonest are sampled) at 0.5 % of the
    rows, so for "the first page in the list's order" it would walk the order's index testing
    each row, through the whole library when the word is rare (2.3 s at a million studies for
    one match); with the keys it knows how many there are. Past KEYS_CAP the word matches at
    least 1 % of a million studies, so that walk finds a page within a few thousand rows.

    COMMON, without looking for keys, when the planner's statistics say the word is common
    (_is_common): there would be more than KEYS_CAP of them, and finding them costs as much as
    the list's count, which then reads them again ("marker" among a million studies: 20 ms
    each)."""
    if connection.vendor == "postgresql" and _is_common(words):
        return COMMON
    return list(words.order_by().values_list("pk", flat=True)[: KEYS_CAP + 1])


def _is_common(words):
    """Whether PostgreSQL expects the words in more than COMMON_SHARE of the table's rows and
    in more than KEYS_CAP of them: it keeps the frequency of the commonest words of a column
    (pg_stats.most_common_elems) and guesses below them for any other, so a rare word is never
    taken for a common one. Two estimates, no rows read."""
    query = words.order_by().values("pk")
    plan = json.loads(query.explain(format="json"))
    expected = plan[0]["Plan"]["Plan Rows"]
    if expected <= KEYS_CAP:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [words.model._meta.db_table]
        )
        (rows,) = cursor.fetchone()
    return expected > COMMON_SHARE * rows


def _with_the_words(queryset, text, fields, document):
    if connection.vendor == "postgresql":
        return queryset.filter(**{document: _query(text)})
    every_word = Q()
    for word in text.split():
        found = Q()
        for field in fields:
            found |= Q(**{f"{field}__icontains": word})
        every_word &= found
    return queryset.filter(every_word)


def _with_the_part(queryset, text, partial):
    return queryset.filter(**{f"{partial}__icontains": text})


def _query(text):
    return SearchQuery(text, config=CONFIG, search_type="plain")


def index_operations(model_name, *, fields, partial):
    """The migration's operations creating (and dropping) a model's search indexes on
    PostgreSQL: the weighted vector's (as an expression: see document_index_operations) and the
    partial field's trigrams; none on SQLite. The pg_trgm extension is created if missing and
    left in place backwards (another app's indexes may use it)."""
    from django.contrib.postgres.indexes import GinIndex
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            model = apps.get_model(model_name)
            table = model._meta.db_table
            schema_editor.add_index(model, GinIndex(document(*fields), name=f"{table}_search"))
            column = model._meta.get_field(partial).column
            schema_editor.execute(
                f'CREATE INDEX "{table}_trgm" ON "{table}" USING gin (UPPER("{column}") '
                f"gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = apps.get_model(model_name)._meta.db_table
            schema_editor.execute(f'DROP INDEX "{table}_search"')
            schema_editor.execute(f'DROP INDEX "{table}_trgm"')

    return [migrations.RunPython(create, drop, elidable=False)]


def document_index_operations(model_name, *, fields, column):
    """The migration's operations moving a model's word index from the expression of its
    `fields` (made by index_operations) to its stored `column`, and back; none on SQLite."""
    from django.contrib.postgres.indexes import GinIndex
    from django.db import migrations

    def index(apps, schema_editor, on_column):
        if schema_editor.connection.vendor == "postgresql":
            model = apps.get_model(model_name)
            table = model._meta.db_table
            schema_editor.execute(f'DROP INDEX "{table}_search"')
            if on_column:
                indexed = GinIndex(fields=[column], name=f"{table}_search")
            else:
                indexed = GinIndex(document(*fields), name=f"{table}_search")
            schema_editor.add_index(model, indexed)

    return [
        migrations.RunPython(
            lambda apps, editor: index(apps, editor, True),
            lambda apps, editor: index(apps, editor, False),
            elidable=False,
        )
    ]
