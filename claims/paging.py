"""Pages of the long lists.

CappedPaginator (config.paging): a list of a large library counted up to COUNT_CAP rows, not
to its end.
CountsAfterPaging: pages of a list whose rows carry per-row work (correlated counts): the page's
keys are found first, in the list's order, by walking its index past the rows it skips; then only
the page's rows are read with their counts. One query, as a plain page: `WHERE pk IN (the page's
keys)`."""

from django.core.paginator import Paginator

from config.paging import COUNT_CAP, CappedPaginator

__all__ = ["COUNT_CAP", "CappedCountsAfterPaging", "CappedPaginator", "CountsAfterPaging"]


class CountsAfterPaging(Paginator):
    def page(self, number):
        page = super().page(number)
        keys = page.object_list.values("pk")  # the sliced list, without its annotations
        page.object_list = self.object_list.filter(pk__in=keys)
        return page


class CappedCountsAfterPaging(CountsAfterPaging, CappedPaginator):
    """Both: the claims list's pages."""
