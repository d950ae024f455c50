"""Text search on the database's own index, the same for the user on PostgreSQL and SQLite:
the records with every word of the text (in any form: "markers" finds "marker") in one of the
searched fields; when none has them, those with the text as part of the partial field (a
title, a claim's text: "prolact" finds "prolactinoma"). A word in nothing finds nothing;
matches in the first field rank before matches in the others.

PostgreSQL: a weighted `SearchVector` over the fields, GIN-indexed as an expression (the index
and the query are built by `document()`, so they cannot drift apart), and a pg_trgm GIN index
on the partial field's upper case, which `icontains` uses. The two are asked in turn, not
together: the word index answers exactly, while trigrams make PostgreSQL recheck each row,
recomputing its vector. Ranked by `ts_rank` when at most RANK_CAP records match: ranking
recomputes each match's vector, and a word that common ranks nothing anyway (the list's own
order then). The indexes are created by evidence's migration 0009 and claims' 0016.

SQLite (development and tests): every word in one of the fields (`icontains`, so part of a
word is found at once), those with every word in the first field ranked first. No FTS5 table:
SQLite's migrations rebuild a table to alter it, which drops the triggers an FTS5 index needs
to stay current."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Q, Value, When

CONFIG = "english"
WEIGHTS = ["A", "B", "C", "D"]
# Matches ranked by relevance at most; past it the list's own (indexed) order.
RANK_CAP = 300


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


def matching(queryset, text, *, fields, partial):
    """`queryset` narrowed to the records matching `text` (see above), in its own order."""
    text = text.strip()
    if not text:
        return queryset
    words = _with_the_words(queryset, text, fields)
    return words if words.exists() else _with_the_part(queryset, text, partial)


def ranked(queryset, text, *, fields, partial):
    """As matching(), the most relevant first, then in the queryset's own order; in that order
    alone when more than RANK_CAP records match. One query counts the matches, up to the cap."""
    text = text.strip()
    if not text:
        return queryset
    words = _with_the_words(queryset, text, fields)
    found = words.values("pk").order_by()[: RANK_CAP + 1].count()
    if not found:
        return _with_the_part(queryset, text, partial)
    if found > RANK_CAP:
        return words
    if connection.vendor == "postgresql":
        rank = SearchRank(document(*fields), _query(text))
    else:
        in_first = Q()
        for word in text.split():
            in_first &= Q(**{f"{fields[0]}__icontains": word})
        rank = Case(When(in_first, then=Value(1)), default=Value(0))
    order = list(queryset.query.order_by)
    return words.annotate(search_rank=rank).order_by(F("search_rank").desc(), *order)


def _with_the_words(queryset, text, fields):
    if connection.vendor == "postgresql":
        return queryset.alias(search_document=document(*fields)).filter(
            search_document=_query(text)
        )
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
    PostgreSQL: the weighted vector's and the partial field's trigrams; none on SQLite. The
    pg_trgm extension is created if missing and left in place backwards (another app's
    indexes may use it)."""
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
