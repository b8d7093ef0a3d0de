"""Medicine names as the clinic's patients know them.

The same medicine is called acetaminophen in the United States and Canada and paracetamol nearly everywhere else
(the INN). A clinic's `paracetamol_name` says which word its patients read, in the check-in's medication choices and
any other patient text naming the medicine. When a clinic is created without one it follows the clinic's country;
clinic admins can change it (PATCH /api/v1/me/clinic).
"""

from __future__ import annotations

from django.db import models


class ParacetamolName(models.TextChoices):
    ACETAMINOPHEN = "acetaminophen", "acetaminophen"
    PARACETAMOL = "paracetamol", "paracetamol"


# Countries where the medicine is sold and spoken of as acetaminophen.
ACETAMINOPHEN_COUNTRIES = frozenset({"US", "CA"})


def paracetamol_name_for(country: str) -> str:
    """The name patients in `country` (ISO 3166-1 alpha-2) know: acetaminophen in the US and Canada, else
    paracetamol."""
    if country.upper() in ACETAMINOPHEN_COUNTRIES:
        return ParacetamolName.ACETAMINOPHEN.value
    return ParacetamolName.PARACETAMOL.value
