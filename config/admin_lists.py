"""The admin's lists of a large library: counted up to a cap, not to their end.

Django's changelist counts its rows twice on every page (the filtered list, and the whole
table for "N total"), and a count reads every row it counts: at 100,000 studies or 300,000
findings that is most of the page. A list whose admin takes `LargeList` counts up to
COUNT_CAP + 1 rows (config.paging.CappedPaginator, as the public lists), says
"more than 10,000" past it and offers the pages up to it (filter or search to narrow the list;
a search is counted up to SEARCH_COUNT_CAP, 1,000: a search that finds more wants narrowing),
and does not count the whole table (`show_full_result_count` off: "Show all" in place of
"N total"); a page shows 25 rows, not 100 (rendering the rows is most of a page's time).
Selecting every row of a list that long for an action is not offered either
(templates/admin/actions.html): select a page, or narrow the list.

Each list's order must be one an index serves, or a page sorts the whole table first: the
admins name an `ordering` that ends in the primary key (so Django appends nothing) and the
models keep an index of it (tests/claims/test_admin_list_plans.py)."""

from django.contrib.admin.filters import AllValuesFieldListFilter
from django.contrib.admin.views.main import SEARCH_VAR
from django.db import connection

from config.paging import SEARCH_COUNT_CAP, CappedPaginator

AUTOCOMPLETE_TERM = "term"  # django.contrib.admin.views.autocomplete.AutocompleteJsonView's


class LargeList:
    """A ModelAdmin mixin for a list that may hold a large library's rows (see above)."""

    paginator = CappedPaginator
    show_full_result_count = False
    # Rows rendered a page, as on the site's own lists: rendering the admin's rows is most of a
    # list's time (about 0.9 ms a row at 1M; docs/benchmarks.md).
    list_per_page = 25

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # A search is counted up to SEARCH_COUNT_CAP: past it, narrow the search. So is what is
        # typed in an autocomplete box (?term=, the admin's autocomplete view): it only asks
        # whether there is a next page (a common word among a million studies counted to
        # 10,000 was 14 of an answer's 24 ms).
        searched = (request.GET.get(SEARCH_VAR) or request.GET.get(AUTOCOMPLETE_TERM) or "").strip()
        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            cap=SEARCH_COUNT_CAP if searched else None,  # None: the paginator's COUNT_CAP
        )


class IndexedValuesListFilter(AllValuesFieldListFilter):
    """Django's filter by each value a field holds, for an indexed field of a large table:
    on PostgreSQL the values are found by walking the field's index from one value to the
    next (one index look-up per value: a study's year, some 60 of them), not by reading every
    row for `SELECT DISTINCT` (16 ms at 100,000 studies, 160 at a million)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        whole_table = not self.lookup_choices.query.where  # the admin's queryset is not narrowed
        if connection.vendor == "postgresql" and "__" not in field_path and whole_table:
            self.lookup_choices = _distinct_by_index(model, field)


_DISTINCT_BY_INDEX = """
WITH RECURSIVE value AS (
    (SELECT {column} AS v FROM {table} WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 1)
    UNION ALL
    SELECT (SELECT {column} FROM {table} WHERE {column} > value.v ORDER BY {column} LIMIT 1)
    FROM value WHERE value.v IS NOT NULL
)
SELECT v FROM value WHERE v IS NOT NULL
UNION ALL
SELECT NULL WHERE EXISTS (SELECT 1 FROM {table} WHERE {column} IS NULL)
"""


def _distinct_by_index(model, field):
    quote = connection.ops.quote_name
    sql = _DISTINCT_BY_INDEX.format(table=quote(model._meta.db_table), column=quote(field.column))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [value for (value,) in cursor.fetchall()]
