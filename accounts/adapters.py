from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: patients are enrolled by their clinic and staff are invited by a clinic admin."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
