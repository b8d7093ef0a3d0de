from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView


def _whole_number(request: Request, name: str) -> int | None:
    """The query parameter `name` as a whole number of at least 1, or None when absent; a 400 naming it otherwise
    (empty, not a number, or given more than once: the schema states a single integer)."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ValidationError({name: ["Give this parameter once."]})
    if not (values[0].isascii() and values[0].isdigit()) or int(values[0]) < 1:
        raise ValidationError({name: ["Must be a whole number of at least 1."]})
    return int(values[0])


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of PAGE_SIZE by default; `page_size` may ask for up to PAGE_SIZE_MAX, and more is refused with 400
    rather than silently cut (a client asking for 10,000 rows should learn it gets fewer)."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return int(settings.PAGE_SIZE_MAX)

    def get_page_size(self, request: Request) -> int | None:
        size = _whole_number(request, self.page_size_query_param)
        if size is None:
            return self.page_size
        if size > self.max_page_size:
            raise ValidationError({"page_size": [f"Must be at most {self.max_page_size}."]})
        return size

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        """`page` is a whole number of at least 1, given once; a page past the last stays DRF's 404."""
        _whole_number(request, self.page_query_param)
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, object]]:
        """The schema states the bounds enforced above, so a client (and schemathesis) knows them."""
        parameters: list[dict[str, object]] = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            schema = parameter["schema"]
            if isinstance(schema, dict):
                schema.update(bounds.get(str(parameter["name"]), {}))
        return parameters


class TotalInRowPaginator(Paginator):
    """A paginator for querysets whose rows carry `total`, the number of rows of the whole (filtered) queryset, as a
    window COUNT(*) OVER () annotation: the page is one query and the count comes with it, with no COUNT query.

    A page past the last comes back empty, which says what the count would have: EmptyPage, with the message Django's
    paginator gives (DRF answers 404). An empty first page is allowed, as by default. No orphans."""

    def __init__(self, object_list: Any, per_page: int | str, orphans: int = 0, **kwargs: Any) -> None:
        if orphans:
            raise ValueError("TotalInRowPaginator does not merge orphans into the last page.")
        super().__init__(object_list, per_page, orphans, **kwargs)

    def page(self, number: Any) -> Page:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if rows:
            total = int(rows[0].total)
        elif number == 1 and self.allow_empty_first_page:
            total = 0
        else:
            raise EmptyPage(self.error_messages["no_results"])
        self.__dict__["count"] = total  # the cached_property `count`, known without a query
        return Page(rows, number, self)


class TotalInRowPagination(PageNumberPagination):
    """PageNumberPagination over a queryset annotated with `total` (see TotalInRowPaginator): one query a page."""

    django_paginator_class = TotalInRowPaginator
