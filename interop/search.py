"""Search parameters: what each resource type accepts, parsed and checked before any query runs.

Unknown parameters are refused (400, naming them) unless the client sent `Prefer: handling=lenient`, in which case
they are ignored and left out of the Bundle's self link. Invalid values of known parameters are always refused.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.http import QueryDict

from interop.errors import FhirError

DEFAULT_COUNT = 50
# Paging and format: every search accepts these.
COMMON = ("_count", "_offset", "_format")
JSON_FORMATS = ("json", "application/json", "application/fhir+json")

ParamType = Literal["reference", "date", "token"]


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: ParamType
    documentation: str


PATIENT = SearchParam("patient", "reference", "The patient the resource is about: Patient/{id} or {id}.")
CODE = SearchParam("code", "token", "A code, as system|code, |code (no system) or code; commas mean OR.")
CATEGORY = SearchParam("category", "token", "Observation category (survey, activity), optionally system|code.")
LAST_UPDATED = SearchParam("_lastUpdated", "date", "When the resource last changed (UTC); prefixes eq ge gt le lt.")


def date_param(what: str) -> SearchParam:
    return SearchParam("date", "date", f"{what} (UTC); prefixes eq ge gt le lt; repeat for a range.")


@dataclass(frozen=True)
class DateBound:
    prefix: str
    start: dt.datetime  # inclusive
    end: dt.datetime  # exclusive: the end of the precision given (a day, a month, ...)


@dataclass
class Criteria:
    patient: uuid.UUID | None = None
    dates: list[DateBound] = field(default_factory=list)
    last_updated: list[DateBound] = field(default_factory=list)
    codes: list[list[tuple[str | None, str]]] = field(default_factory=list)  # AND of ORs of (system, code)
    categories: list[list[tuple[str | None, str]]] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    offset: int = 0
    used: list[tuple[str, str]] = field(default_factory=list)  # what the self link repeats


_DATE = re.compile(
    r"^(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2})(T(?P<time>\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
PREFIXES = ("eq", "ge", "gt", "le", "lt")


def parse_date(name: str, raw: str) -> DateBound:
    prefix = raw[:2] if raw[:2].isalpha() else "eq"
    value = raw[2:] if raw[:2].isalpha() else raw
    if prefix not in PREFIXES:
        raise FhirError(400, f"{name}: the prefix {prefix!r} is not supported (use one of {', '.join(PREFIXES)}).")
    match = _DATE.match(value)
    if not match:
        raise FhirError(400, f"{name}: {raw!r} is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or an instant).")
    try:
        year, month, day = int(match["year"]), int(match["month"] or 1), int(match["day"] or 1)
        if match["time"]:
            if not match["tz"]:
                raise FhirError(400, f"{name}: a date with a time needs a time zone (Z or +hh:mm): {raw!r}.")
            start = dt.datetime.fromisoformat(f"{value[:10]}T{match['time']}{match['tz'].replace('Z', '+00:00')}")
            end = start + dt.timedelta(seconds=1)
        else:
            start = dt.datetime(year, month, day, tzinfo=dt.UTC)
            if match["day"]:
                end = start + dt.timedelta(days=1)
            elif match["month"]:
                end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
            else:
                end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    except ValueError:
        raise FhirError(400, f"{name}: {raw!r} is not a valid date.") from None
    return DateBound(prefix, start, end)


def parse_tokens(name: str, raw: str) -> list[tuple[str | None, str]]:
    tokens: list[tuple[str | None, str]] = []
    for part in raw.split(","):
        system, bar, code = part.rpartition("|")
        if not code:
            raise FhirError(400, f"{name}: {raw!r} names no code.")
        tokens.append((system if bar else None, code))
    return tokens


def parse_patient(raw: str) -> uuid.UUID:
    value = raw.removeprefix("Patient/")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise FhirError(400, f"patient: {raw!r} is not a Patient id.") from None


def parse_int(name: str, raw: str, *, maximum: int | None = None) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise FhirError(400, f"{name}: {raw!r} is not a whole number.") from None
    if number < 0:
        raise FhirError(400, f"{name}: must be 0 or more.")
    if maximum is not None and number > maximum:
        raise FhirError(400, f"{name}: {number} is over the maximum of {maximum}.")
    return number


def unknown_params(query: QueryDict, allowed: set[str], lenient: bool) -> set[str]:
    """The parameter names not in `allowed`; refused with 400 unless lenient. Modifiers (`code:text`) count as
    unknown: none are supported."""
    unknown = {name for name in query if name not in allowed}
    if unknown and not lenient:
        names = ", ".join(sorted(unknown))
        raise FhirError(
            400,
            f"Search parameters not supported here: {names}. Supported: {', '.join(sorted(allowed))}. "
            "Send 'Prefer: handling=lenient' to have unknown parameters ignored.",
            code="not-supported",
        )
    return unknown


def parse(params: tuple[SearchParam, ...], query: QueryDict, *, lenient: bool) -> Criteria:
    allowed = {p.name for p in params} | set(COMMON)
    ignored = unknown_params(query, allowed, lenient)
    criteria = Criteria()
    by_name = {p.name: p for p in params}
    for name, values in query.lists():
        if name in ignored:
            continue
        for raw in values:
            if name == "_count":
                criteria.count = parse_int(name, raw, maximum=settings.PAGE_SIZE_MAX)
                continue
            if name == "_offset":
                criteria.offset = parse_int(name, raw)
                continue
            if name == "_format":
                if raw not in JSON_FORMATS:
                    raise FhirError(406, f"_format: only JSON is served, not {raw!r}.")
                criteria.used.append((name, raw))
                continue
            criteria.used.append((name, raw))
            param = by_name[name]
            if param.name == "patient":
                if criteria.patient is not None and criteria.patient != parse_patient(raw):
                    raise FhirError(400, "patient: give one patient.")
                criteria.patient = parse_patient(raw)
            elif param.name == "_lastUpdated":
                criteria.last_updated.append(parse_date(name, raw))
            elif param.type == "date":
                criteria.dates.append(parse_date(name, raw))
            elif param.name == "category":
                criteria.categories.append(parse_tokens(name, raw))
            else:
                criteria.codes.append(parse_tokens(name, raw))
    return criteria


def lenient(prefer: str) -> bool:
    """Whether the Prefer header asks for lenient handling (`Prefer: handling=lenient`)."""
    return any(part.strip().replace(" ", "") == "handling=lenient" for part in prefer.split(","))
