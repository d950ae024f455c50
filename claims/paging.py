"""Pages of the long lists.

CappedPaginator: a list of a large library counted up to COUNT_CAP rows, not to its end.
CountsAfterPaging: pages of a list whose rows carry per-row work (correlated counts): the page's
keys are found first, in the list's order, by walking its index past the rows it skips; then only
the page's rows are read with their counts. One query, as a plain page: `WHERE pk IN (the page's
keys)`."""

from math import ceil

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Rows a list counts at most: past it, "more than 10,000" and no pages beyond it (filter to
# narrow the list), so that neither the count nor a deep page reads the whole library.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A Paginator that counts up to COUNT_CAP rows, and offers the pages up to it."""

    @cached_property
    def count(self):
        return self.object_list.values("pk").order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self):
        return self.count > COUNT_CAP

    @cached_property
    def num_pages(self):
        return max(1, ceil(min(self.count, COUNT_CAP) / self.per_page))

    def count_text(self):
        return f"more than {COUNT_CAP:,}" if self.capped else f"{self.count:,}"


class CountsAfterPaging(Paginator):
    def page(self, number):
        page = super().page(number)
        keys = page.object_list.values("pk")  # the sliced list, without its annotations
        page.object_list = self.object_list.filter(pk__in=keys)
        return page


class CappedCountsAfterPaging(CountsAfterPaging, CappedPaginator):
    """Both: the claims list's pages."""
