"""The name a clinic's patients know paracetamol by (acetaminophen in the US and Canada, paracetamol elsewhere): a
clinic setting that follows the country unless given, served with the clinic to everyone signed in, and changed by
clinic admins only, with bad input refused and nothing changed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from accounts.medicines import paracetamol_name_for
from accounts.models import Clinic

CLINIC = "/api/v1/me/clinic"
ME = "/api/v1/me"


@pytest.mark.parametrize(
    ("country", "name"),
    [("US", "acetaminophen"), ("CA", "acetaminophen"), ("us", "acetaminophen"), ("GB", "paracetamol"),
     ("DE", "paracetamol"), ("AU", "paracetamol"), ("NZ", "paracetamol")],
)  # fmt: skip
def test_the_name_follows_the_country(country, name):
    assert paracetamol_name_for(country) == name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "name"),
    [("America/New_York", "acetaminophen"), ("America/Toronto", "acetaminophen"), ("Europe/London", "paracetamol"),
     ("Australia/Sydney", "paracetamol")],
)  # fmt: skip
def test_a_new_clinic_takes_its_countrys_name(zone, name):
    clinic = Clinic.objects.create(name="Harbour Spine", phone="+1 555 0100", time_zone=zone)
    clinic.refresh_from_db()
    assert clinic.paracetamol_name == name


@pytest.mark.django_db
def test_a_given_name_is_kept_and_the_database_refuses_another_word():
    clinic = Clinic.objects.create(
        name="Border Spine", phone="+1 555 0100", time_zone="America/Detroit", paracetamol_name="paracetamol"
    )
    clinic.refresh_from_db()
    assert clinic.paracetamol_name == "paracetamol"
    with pytest.raises(IntegrityError), transaction.atomic():
        Clinic.objects.create(
            name="Typo Spine", phone="+1 555 0100", time_zone="America/Detroit", paracetamol_name="tylenol"
        )


@pytest.mark.django_db
def test_patients_and_staff_get_the_name_with_their_clinic(cast, client_for):
    for person in (cast.alice, cast.carol):
        assert client_for(person).get(ME).json()["clinic"]["paracetamol_name"] == "acetaminophen"
        assert client_for(person).get(CLINIC).json()["paracetamol_name"] == "acetaminophen"
    assert client_for(cast.erin).get(CLINIC).json()["paracetamol_name"] == "paracetamol"  # Hillside, London


@pytest.mark.django_db
def test_a_clinic_admin_changes_the_name_and_a_new_country_brings_its_own(cast, client_for):
    client = client_for(cast.frank)
    response = client.patch(CLINIC, {"paracetamol_name": "paracetamol"}, format="json")
    assert response.status_code == 200, response.json()
    assert Clinic.objects.get(pk=cast.riverside.pk).paracetamol_name == "paracetamol"

    assert client.patch(CLINIC, {"country": "CA"}, format="json").json()["paracetamol_name"] == "acetaminophen"
    body = client.patch(CLINIC, {"country": "GB", "paracetamol_name": "acetaminophen"}, format="json").json()
    assert (body["country"], body["paracetamol_name"]) == ("GB", "acetaminophen")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["tylenol", "", "Paracetamol", 3])
def test_a_bad_name_is_refused_and_nothing_changes(cast, client_for, value):
    before = Clinic.objects.filter(pk=cast.riverside.pk).values().get()
    response = client_for(cast.frank).patch(CLINIC, {"paracetamol_name": value}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["paracetamol_name"]
    assert Clinic.objects.filter(pk=cast.riverside.pk).values().get() == before


@pytest.mark.django_db
def test_only_clinic_admins_change_the_name(cast, client_for):
    response = client_for(cast.carol).patch(CLINIC, {"paracetamol_name": "paracetamol"}, format="json")
    assert response.status_code == 403
    assert Clinic.objects.get(pk=cast.riverside.pk).paracetamol_name == "acetaminophen"
