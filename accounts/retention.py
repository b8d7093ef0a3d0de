"""Deleting what a retention period has passed, in batches: each batch is its own short transaction, so a large
backlog never holds locks for long or builds one huge transaction, and a run cut short keeps what it did."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet


def delete_in_batches(queryset: QuerySet[Any], *, batch_size: int) -> list[int]:
    """Delete the rows of `queryset`, at most `batch_size` at a time; returns the size of each batch deleted."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    model = queryset.model
    batches: list[int] = []
    while True:
        with transaction.atomic():
            ids = list(queryset.order_by().values_list("pk", flat=True)[:batch_size])
            if not ids:
                return batches
            model._base_manager.filter(pk__in=ids).delete()
        batches.append(len(ids))
        if len(ids) < batch_size:
            return batches
