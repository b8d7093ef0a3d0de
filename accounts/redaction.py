"""Secrets and patient data kept out of logs and error reports: URLs lose their query strings and link tokens.

The links keep working (a calendar app needs its feed address, an email client its unsubscribe link); only the text
we log or report loses them. Standard library only: gunicorn's master process loads it before Django.
"""

from __future__ import annotations

import re

# Paths whose segments are secrets.
_SECRET_PATHS = (
    (re.compile(r"(/calendar/)[^/?#\s\"']+(\.ics)"), r"\1[token]\2"),
    (re.compile(r"(/notifications/unsubscribe/)[^/?#\s\"']+"), r"\1[token]"),
    (re.compile(r"(/reset-password/)[^/?#\s\"']+"), r"\1[token]"),
)
_QUERY_STRING = re.compile(r"\?[^\s\"'#]*")


def redact_url(text: str) -> str:
    """`text` with every query string removed and the secret segments of our links replaced by `[token]`."""
    text = _QUERY_STRING.sub("", text)
    for pattern, replacement in _SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text
