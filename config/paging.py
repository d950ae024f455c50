"""Counting a long list up to a cap, not to its end: the public lists' (claims.paging) and the
admin's (config.admin_lists)."""

from math import ceil

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Rows a list counts at most: past it, "more than 10,000" and no pages beyond it (filter to
# narrow the list), so that neither the count nor a deep page reads the whole library.
COUNT_CAP = 10_000
# Rows an admin search counts at most: a search that finds more is narrowed, not paged through,
# and counting each match costs more than reading a row of the list (its study and its claim
# tested for the words: about 170 ms for 10,000 findings at a million studies).
SEARCH_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """A Paginator that counts up to `cap` rows, and offers the pages up to it."""

    cap = COUNT_CAP

    def __init__(self, *args, cap=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self):
        return self.object_list.values("pk").order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        return max(1, ceil(min(self.count, self.cap) / self.per_page))

    def count_text(self):
        return f"more than {self.cap:,}" if self.capped else f"{self.count:,}"
