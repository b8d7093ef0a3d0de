"""Which number a patient calls in an emergency, by the clinic's country.

A clinic's `country` is an ISO 3166-1 alpha-2 code. When a clinic is created without one, it is read from the clinic's
IANA time zone in the tz database's own table (zone.tab: each zone with the country it belongs to), e.g.
America/New_York -> US, Europe/London -> GB. Its `emergency_number` then defaults to the country's number below
(CLINICAL.md, "Risks and warning signs"); a country not in the table has no default, and the clinic must give its
number. Clinic admins can change both (PATCH /api/v1/me/clinic).
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from pathlib import Path

# The 27 member states of the European Union, where 112 is the single emergency number.
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)

EMERGENCY_NUMBERS: dict[str, str] = {
    "US": "911",
    "CA": "911",
    "GB": "999",
    "AU": "000",
    "NZ": "111",
    **dict.fromkeys(EU_COUNTRIES, "112"),
}

# Emergency numbers are short digit strings: 000, 111, 112, 911, 999, 1122, 10111 ...
EMERGENCY_NUMBER_PATTERN = r"^[0-9]{2,6}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"


def emergency_number_for(country: str) -> str | None:
    """The country's emergency number, or None when we ship no default for it."""
    return EMERGENCY_NUMBERS.get(country.upper())


def is_emergency_number(value: str) -> bool:
    return re.fullmatch(EMERGENCY_NUMBER_PATTERN, value) is not None


def is_country_code(value: str) -> bool:
    return re.fullmatch(COUNTRY_PATTERN, value) is not None


@functools.cache
def _zone_countries() -> dict[str, str]:
    """zone -> country from the first zone.tab found on the time-zone search path (empty if there is none)."""
    for directory in zoneinfo.TZPATH:
        table = Path(directory) / "zone.tab"
        if table.is_file():
            countries: dict[str, str] = {}
            for line in table.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    code, _coordinates, zone, *_ = line.split("\t")
                    countries[zone] = code
            return countries
    return {}


def country_for_time_zone(time_zone: str) -> str | None:
    """The country an IANA time zone belongs to (zone.tab), or None (UTC, or no tz table on this machine)."""
    return _zone_countries().get(time_zone)
