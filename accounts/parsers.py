from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from accounts.input_guard import json_refusal


class BoundedJSONParser(parsers.JSONParser):
    """JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE bytes. DRF reads the request stream directly, bypassing Django's
    own size check, so the limit is enforced here, on what is actually read (chunked bodies included)."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(f"The request body is larger than the limit of {limit} bytes.", code="body_too_large")
        # Bodies with a declared length were checked by InputGuardMiddleware already; chunked ones are checked here.
        reason = json_refusal(raw)
        if reason:
            raise ParseError(reason)
        return super().parse(io.BytesIO(raw), media_type, parser_context)
