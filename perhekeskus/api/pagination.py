from django.core.paginator import Page
from django.db.models import Count, Window
from rest_framework.pagination import PageNumberPagination

from .params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, InvalidParams


class StrictPageNumberPagination(PageNumberPagination):
    """DRF's page/page_size paging; the values were checked with the other parameters (params.PAGINATION)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        page_number = view.params.get("page", 1)
        page_size = view.params.get("page_size", self.page_size)
        paginator = self.django_paginator_class(queryset, page_size)
        if page_number > paginator.num_pages:
            last = paginator.num_pages
            raise InvalidParams({"page": [f"There is no page {page_number}; the last page is {last}."]})
        self.page = paginator.page(page_number)
        self.request = request
        return list(self.page)

    def paginate_ranked_ids(self, queryset, request, view=None) -> list:
        """The ids of the asked page of an ordered queryset, like paginate_queryset() but in SQL: the page's ids with
        ``count(*) OVER ()``, so neither every id nor a second counting pass is needed (only past the end)."""
        page_number = view.params.get("page", 1)
        page_size = view.params.get("page_size", self.page_size)
        start = (page_number - 1) * page_size
        rows = list(
            queryset.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[start : start + page_size]
        )
        total = rows[0][1] if rows else (queryset.count() if page_number > 1 else 0)
        return self.paginate_counted_ids([pk for pk, _total in rows], total, request, view)

    def paginate_counted_ids(self, ids: list, total: int, request, view=None) -> list:
        """The page of *ids* (already the asked page's, in order) among *total* results, as paginate_queryset() would
        give it; a page past the end is refused the same way."""
        page_number = view.params.get("page", 1)
        paginator = self.django_paginator_class([], view.params.get("page_size", self.page_size))
        paginator.__dict__["count"] = total
        if page_number > paginator.num_pages:
            last = paginator.num_pages
            raise InvalidParams({"page": [f"There is no page {page_number}; the last page is {last}."]})
        self.page = Page(ids, page_number, paginator)
        self.request = request
        return ids

    def get_schema_operation_parameters(self, view):
        return []  # declared with the view's other parameters, with their limits
