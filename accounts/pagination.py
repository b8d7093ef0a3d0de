from __future__ import annotations

from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of PAGE_SIZE by default; `page_size` may ask for up to PAGE_SIZE_MAX, and more is refused with 400
    rather than silently cut (a client asking for 10,000 rows should learn it gets fewer)."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return int(settings.PAGE_SIZE_MAX)

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page_size": ["Must be a whole number of at least 1."]})
        if int(raw) > self.max_page_size:
            raise ValidationError({"page_size": [f"Must be at most {self.max_page_size}."]})
        return int(raw)
