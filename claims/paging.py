"""Pages of the long lists.

CappedPaginator (config.paging): a list of a large library counted up to COUNT_CAP rows, not
to its end.
KeysFirstPaginator: the page's keys are found first, in the list's order, by walking its index
past the rows it skips (on PostgreSQL an index-only scan: no row read for the rows skipped);
then only the page's rows are read, with whatever per-row work the list carries (the claims'
correlated counts). One query, as a plain page: `WHERE pk IN (the page's keys)`. A deep page
of the studies list reads 25 rows, not the 10,000 before them (142 -> 3 ms at a million
studies, cold, docs/benchmarks.md)."""

from django.conf import settings
from django.core.paginator import Paginator

from config.paging import COUNT_CAP, CappedPaginator

__all__ = [
    "COUNT_CAP",
    "CappedKeysFirstPaginator",
    "CappedPaginator",
    "KeysFirstPaginator",
    "page_of",
    "query_without_page",
]


class KeysFirstPaginator(Paginator):
    def page(self, number):
        page = super().page(number)
        keys = page.object_list.values("pk")  # the sliced list, without its annotations
        page.object_list = self.object_list.filter(pk__in=keys)
        return page


class CappedKeysFirstPaginator(KeysFirstPaginator, CappedPaginator):
    """Both: the claims and studies lists' pages."""


def page_of(request, queryset, paginator=Paginator):
    """The page of `queryset` that ?page= asks for (the last for a page past it), PAGE_SIZE
    rows."""
    return paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request):
    """The request's query string without its page: what the page links add theirs to
    (claims/_pagination.html)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
