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
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    Lookup,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In

CONFIG = "english"
WEIGHTS = ["A", "B", "C", "D"]
# Matches ranked by relevance at most; past it the list's own (indexed) order.
RANK_CAP = 300
# Matches whose keys narrow the page's query at most (_keys).
KEYS_CAP = 10_000
# A word the planner expects in more than this share of the rows, and in more than RANK_CAP of
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
    return words if len(keys) > KEYS_CAP else queryset.filter(_among(keys))


def rows_on(found, relation):
    """A condition on another table's rows: those whose `relation` (a foreign key's name) is one
    of the `found` records (a search of matching() or ranked()). When at most KEYS_CAP were
    found, by their keys, which the foreign key's index answers (and two of them joined with |
    by both indexes at once). Past it, each row tests its own record, so that a list in its own
    order finds a page within a few rows: an `IN (SELECT …)` of a few hundred thousand records is
    not hashed under an OR, and PostgreSQL would run it again for every row (minutes at a
    million). A common word (_is_common) is tested through the join to the record, its keys not
    read at all: reading them cost 12 ms a table for "marker" at a million studies, and an
    EXISTS per row let PostgreSQL hash every matching claim first (14 ms a query) where the
    join reads the page's own (docs/benchmarks.md)."""
    keys = _keys_found(found)
    if keys is None:
        keys = _keys(found)
    if keys is not COMMON and len(keys) <= KEYS_CAP:
        return _among(keys, relation)
    return _through(found, relation) or Q(Exists(found.filter(pk=OuterRef(relation))))


def _keys_found(found):
    """The keys `found` is narrowed to, when matching() narrowed it so and nothing else does
    (its one condition): found again, they would be the same, for two queries more (the
    planner's estimate and the keys). None for any other search."""
    lookup = _one_condition(found)
    if isinstance(lookup, Exact) and lookup.rhs is True and isinstance(lookup.lhs, _AnyOf):
        column, keys = lookup.lhs.source_expressions[0], lookup.lhs.values  # PostgreSQL
    elif isinstance(lookup, In) and isinstance(lookup.rhs, list | tuple):
        column, keys = lookup.lhs, list(lookup.rhs)  # SQLite
    else:
        return None
    is_the_key = (
        isinstance(column, Col)
        and column.alias == found.query.base_table
        and column.target == found.model._meta.pk
    )
    return keys if is_the_key else None


def _one_condition(found):
    """The one condition of a search's queryset (a lookup or an expression), or None when it has
    several, or none, or one negated."""
    where = found.query.where
    if where.negated or len(where.children) != 1:
        return None
    return where.children[0]


def _through(found, relation):
    """`found`'s condition tested on the record `relation` joins, when it is a single condition
    on one of the record's own fields (not a joined record's, even of the same model) against a
    value that names no column (the words of matching(), a part of a title, an identifier);
    None for any other."""
    lookup = _one_condition(found)
    if not isinstance(lookup, Lookup) or not isinstance(lookup.lhs, Col):
        return None
    if lookup.lhs.alias != found.query.base_table or not _names_no_column(lookup.rhs):
        return None
    return Q(**{f"{relation}__{lookup.lhs.target.name}__{lookup.lookup_name}": lookup.rhs})


def _names_no_column(value):
    """Whether a lookup's value is a constant (a text search query included): a subquery or an
    expression naming a column belongs to the query it came from."""
    if isinstance(value, SearchQuery):
        return True
    return not hasattr(value, "resolve_expression") and not hasattr(value, "query")


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
    found = queryset.filter(_among(keys))
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
    (_is_common): too many to rank, and the list's order finds a page of them within a few
    hundred rows; finding their keys costs as much as the list's count, which then reads them
    again ("marker" among a million studies: 20 ms each), and a page narrowed by thousands of
    keys costs as much again to write and send ("compound", 5,400 of 10,000 claims: 166 ms of
    CPU time)."""
    if connection.vendor != "postgresql":
        return list(words.order_by().values_list("pk", flat=True)[: KEYS_CAP + 1])
    if _is_common(words):
        return COMMON
    keys, cap = _keys_to_a_common_share(words)
    if len(keys) == cap <= KEYS_CAP:
        # Found in more rows than the planner expected (two words that go together: it
        # multiplies their shares): as common, not thousands of keys ("training regimen", 10,000
        # of 100,000 claims: 84 ms a page by its keys, docs/benchmarks.md).
        return COMMON
    return keys


def _keys_to_a_common_share(words):
    """(keys, cap): the keys of the first `cap` matches, where `cap` is one more than the
    matches that make a word common (COMMON_SHARE of the table as the planner last counted it,
    RANK_CAP at least), or KEYS_CAP + 1 if fewer. In one query, so that finding a word common
    reads no more of its keys than that (5,001 of 100,000 claims, not 10,001) and a rare word
    costs no query more than its keys (PostgreSQL)."""
    try:
        sql, params = words.order_by().values_list("pk", flat=True).query.sql_with_params()
    except EmptyResultSet:  # a query Django knows finds nothing (pk__in=[]) is not sent
        return [], KEYS_CAP + 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cap.n, found.* FROM (SELECT LEAST(%s, {_COMMON_ABOVE})::bigint + 1 AS n "
            "FROM pg_class WHERE oid = %s::regclass) AS cap "
            f"CROSS JOIN LATERAL (SELECT * FROM ({sql}) AS words LIMIT cap.n) AS found",
            [KEYS_CAP, *_COMMON_ABOVE_PARAMS, words.model._meta.db_table, *params],
        )
        rows = cursor.fetchall()
    return [pk for _, pk in rows], (rows[0][0] if rows else KEYS_CAP + 1)


def _among(keys, field="pk"):
    """A condition: `field` is one of `keys` (found by _keys: up to KEYS_CAP of them). On
    PostgreSQL one array parameter (`= ANY(%s)`), not one parameter a key: 10,000 keys written
    into the query took 14 ms to parse and plan against 2.8 for the array, besides the Python
    time to write them (docs/benchmarks.md)."""
    if connection.vendor == "postgresql":
        return Q(_AnyOf(F(field), keys))
    return Q(**{f"{field}__in": keys})


class _AnyOf(Func):
    """`expression = ANY(%s)` with the values as one array (PostgreSQL)."""

    output_field = BooleanField()

    def __init__(self, expression, values):
        super().__init__(expression)
        self.values = list(values)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s)", (*params, self.values)


# How many rows of a table a word is common above (pg_class's columns, the planner's last count
# of the table's rows: -1 before any): COMMON_SHARE of them, and RANK_CAP at least.
_COMMON_ABOVE = "GREATEST(%s, floor(reltuples * %s))"
_COMMON_ABOVE_PARAMS = (RANK_CAP, COMMON_SHARE)


def _is_common(words):
    """Whether PostgreSQL expects the words in more than COMMON_SHARE of the table's rows and
    in more than RANK_CAP of them: it keeps the frequency of the commonest words of a column
    (pg_stats.most_common_elems) and guesses below them for any other, so a rare word is never
    taken for a common one. Two estimates, no rows read."""
    plan = words.order_by().values("pk").explain(format="json")
    if not plan:  # a query Django knows finds nothing (pk__in=[]) is not sent to be explained
        return False
    expected = json.loads(plan)[0]["Plan"]["Plan Rows"]
    if expected <= RANK_CAP:  # rare whatever the table's size: no query more
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_COMMON_ABOVE} FROM pg_class WHERE oid = %s::regclass",
            [*_COMMON_ABOVE_PARAMS, words.model._meta.db_table],
        )
        (above,) = cursor.fetchone()
    return expected > above


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


# words_in_common: records found per word of a text at most, and kept per text at most.
PER_WORD = 100
WORDS_IN_COMMON_LIMIT = 50

_LEXEMES_SQL = """
SELECT given.n, word.lexeme
FROM unnest(%s::text[]) WITH ORDINALITY AS given(text, n),
     unnest(to_tsvector(%s, given.text)) AS word
"""

# {found}: one SELECT per word, each reading at most PER_WORD records by the word index (a
# constant the planner knows: a rare word by the index, one in most records by the key's index,
# which finds PER_WORD at once), the first by key: the same records on every request (the first
# a scan met changed from one request to the next, PostgreSQL starting a big table's scan where
# another one was), with the word's rank in each record (ts_rank: the first field weighs
# most). A text's score for a record is the sum over the words they share of that rank times
# the word's rarity among what was found (ln(1 + PER_WORD / records found)).
_WORDS_IN_COMMON_SQL = """
WITH found(lexeme, id, rank) AS MATERIALIZED ({found}),
weighted AS (
    SELECT lexeme, id, rank * ln(1 + %s::float / count(*) OVER (PARTITION BY lexeme)) AS score
    FROM found
), scored AS (
    SELECT wanted.n, weighted.id, sum(weighted.score) AS score
    FROM unnest(%s::int[], %s::text[]) AS wanted(n, lexeme)
    JOIN weighted ON weighted.lexeme = wanted.lexeme
    GROUP BY wanted.n, weighted.id
), placed AS (
    SELECT n, id, row_number() OVER (PARTITION BY n ORDER BY score DESC, id) AS place FROM scored
)
SELECT n, id FROM placed WHERE place <= %s ORDER BY n, place
"""

_FOUND_SQL = (
    "(SELECT %s::text, record.{pk}, ts_rank(record.{document}, %s::tsquery) "
    "FROM {table} AS record WHERE record.{document} @@ %s::tsquery{narrowed} "
    "ORDER BY record.{pk} LIMIT %s)"
)


def words_in_common(queryset, texts, *, fields, document, limit=WORDS_IN_COMMON_LIMIT):
    """For each of `texts`, the keys of at most `limit` records of `queryset` that share words
    with it, those sharing the most (and the rarest) first: the candidates a finer ranker (the
    intake's model) then orders, so that it reads `limit` records a text, not the library.

    PostgreSQL: the texts' words (stemmed, stop words left out, as the stored document's; one
    query), then each word looked up in the word index for at most PER_WORD records, so that a
    word most records share (a library's "kratom") costs what a rare one does and a text's
    cost does not grow with the library; what a text's words found is ranked by the words it
    shares with the text, each by its rank in the record (the first field weighing most) and
    its rarity (see _WORDS_IN_COMMON_SQL). A record that shares only words that common may be
    missed; one that shares a rarer word is not. Two queries for all the texts.

    SQLite (development and tests): the same on the fields' lower-case words, in Python."""
    texts = list(texts)
    if not texts:
        return []
    if connection.vendor != "postgresql":
        return _words_in_common_in_python(queryset, texts, fields, limit)
    words = [[] for _ in texts]
    with connection.cursor() as cursor:
        cursor.execute(_LEXEMES_SQL, [texts, CONFIG])
        for n, lexeme in cursor.fetchall():
            words[n - 1].append(lexeme)
    distinct = sorted({lexeme for found in words for lexeme in found})
    if not distinct:
        return [[] for _ in texts]
    model = queryset.model
    quote = connection.ops.quote_name
    narrowed, narrowing = "", []
    if queryset.query.where:
        subquery, narrowing = queryset.order_by().values("pk").query.sql_with_params()
        narrowed = f" AND record.{quote(model._meta.pk.column)} IN ({subquery})"
    one_word = _FOUND_SQL.format(
        table=quote(model._meta.db_table),
        pk=quote(model._meta.pk.column),
        document=quote(model._meta.get_field(document).column),
        narrowed=narrowed,
    )
    sql = _WORDS_IN_COMMON_SQL.format(found=" UNION ALL ".join([one_word] * len(distinct)))
    params = []
    for lexeme in distinct:
        query = _as_tsquery([lexeme])
        params += [lexeme, query, query, *narrowing, PER_WORD]
    numbers = [n + 1 for n, found in enumerate(words) for _ in found]
    lexemes = [lexeme for found in words for lexeme in found]
    result = [[] for _ in texts]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, PER_WORD, numbers, lexemes, limit])
        for n, pk in cursor.fetchall():
            result[n - 1].append(pk)
    return result


def _as_tsquery(lexemes):
    """The tsquery text of "any of these lexemes" (already normalised: no stemming again)."""
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " | ".join(quoted)


def _words_in_common_in_python(queryset, texts, fields, limit):
    import math
    import re
    from collections import Counter

    def words(text):
        return set(re.findall(r"\w+", text.lower())) - _PYTHON_STOP_WORDS

    records = [
        (row[0], words(" ".join(value or "" for value in row[1:])), words(row[1] or ""))
        for row in queryset.order_by("pk").values_list("pk", *fields)
    ]
    frequency = Counter(word for _, found, _ in records for word in found)
    total = len(records)
    found = []
    for text in texts:
        wanted = words(text)
        scored = []
        for pk, record_words, first in records:
            common = wanted & record_words
            if common:
                weight = sum(
                    math.log(1 + total / frequency[word]) * (2 if word in first else 1)
                    for word in common
                )
                scored.append((-weight, pk))
        found.append([pk for _, pk in sorted(scored)[:limit]])
    return found


# Words the SQLite fallback ignores (PostgreSQL's english configuration has its own list).
_PYTHON_STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have in into is it its may might of on or "
    "that the their then there these they this to was were which will with".split()
)
