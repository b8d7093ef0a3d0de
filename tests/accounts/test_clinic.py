"""A clinic's phone number and local emergency number: defaults from the country, never blank, and what clinic admins
may change through the API (bad input refused field by field, nothing changed)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from accounts import services
from accounts.emergency import country_for_time_zone, emergency_number_for
from accounts.models import Clinic
from tests.factories import ClinicFactory

CLINIC = "/api/v1/me/clinic"


@pytest.mark.parametrize(
    ("country", "number"),
    [("US", "911"), ("CA", "911"), ("GB", "999"), ("DE", "112"), ("FR", "112"), ("IE", "112"), ("AU", "000"),
     ("NZ", "111"), ("JP", None)],
)  # fmt: skip
def test_the_emergency_number_follows_the_country(country, number):
    assert emergency_number_for(country) == number


@pytest.mark.parametrize(
    ("zone", "country"),
    [("America/New_York", "US"), ("America/Toronto", "CA"), ("Europe/London", "GB"), ("Europe/Berlin", "DE"),
     ("Australia/Sydney", "AU"), ("Pacific/Auckland", "NZ"), ("UTC", None)],
)  # fmt: skip
def test_the_country_is_read_from_the_time_zone(zone, country):
    assert country_for_time_zone(zone) == country


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "country", "number"),
    [("America/New_York", "US", "911"), ("Europe/London", "GB", "999"), ("Europe/Madrid", "ES", "112"),
     ("Australia/Perth", "AU", "000"), ("Pacific/Auckland", "NZ", "111")],
)  # fmt: skip
def test_a_new_clinic_gets_its_country_and_emergency_number_from_its_time_zone(zone, country, number):
    clinic = Clinic.objects.create(name="Harbour Spine", phone="+1 555 0100", time_zone=zone)
    clinic.refresh_from_db()
    assert (clinic.country, clinic.emergency_number) == (country, number)


@pytest.mark.django_db
def test_a_given_country_and_number_are_kept():
    clinic = Clinic.objects.create(
        name="Alpine Spine", phone="+41 44 000 00 00", time_zone="Europe/Zurich", country="CH", emergency_number="144"
    )
    clinic.refresh_from_db()
    assert (clinic.country, clinic.emergency_number) == ("CH", "144")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [{"phone": ""}, {"phone": "   "}, {"emergency_number": "9I1"}, {"emergency_number": "1"}, {"country": "us"}],
)
def test_the_database_refuses_a_clinic_without_a_phone_or_with_a_bad_emergency_number(fields):
    values = {"name": "Broken", "phone": "+1 555 0100", "time_zone": "America/New_York", **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Clinic.objects.create(**values)


@pytest.mark.django_db
def test_the_database_refuses_a_clinic_in_a_country_without_a_default_and_no_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        Clinic.objects.create(name="Tokyo Spine", phone="+81 3 0000 0000", time_zone="Asia/Tokyo")


@pytest.mark.django_db
def test_everyone_signed_in_reads_their_clinics_phone_and_emergency_number(cast, client_for):
    for person in (cast.alice, cast.carol):
        body = client_for(person).get(CLINIC).json()
        assert (body["phone"], body["country"], body["emergency_number"]) == ("+1 555 010 2030", "US", "911")
    assert client_for(cast.erin).get(CLINIC).json()["emergency_number"] == "999"  # Hillside, London


@pytest.mark.django_db
def test_a_clinic_admin_changes_the_phone_and_emergency_number(cast, client_for):
    response = client_for(cast.frank).patch(
        CLINIC, {"phone": " +1 555 010 9999 ", "emergency_number": "112"}, format="json"
    )
    assert response.status_code == 200, response.json()
    riverside = Clinic.objects.get(pk=cast.riverside.pk)
    assert (riverside.phone, riverside.emergency_number, riverside.country) == ("+1 555 010 9999", "112", "US")
    assert response.json()["emergency_number"] == "112"


@pytest.mark.django_db
def test_a_new_country_brings_its_emergency_number_unless_one_is_given(cast, client_for):
    client = client_for(cast.frank)
    assert client.patch(CLINIC, {"country": "au"}, format="json").json()["emergency_number"] == "000"
    body = client.patch(CLINIC, {"country": "CH", "emergency_number": "144"}, format="json").json()
    assert (body["country"], body["emergency_number"]) == ("CH", "144")


@pytest.mark.django_db
def test_a_country_without_a_default_needs_the_number(cast, client_for):
    response = client_for(cast.frank).patch(CLINIC, {"country": "JP"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["emergency_number"]
    assert Clinic.objects.get(pk=cast.riverside.pk).country == "US"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"phone": ""}, {"phone"}),
        ({"phone": "   "}, {"phone"}),
        ({"phone": "call us"}, {"phone"}),
        ({"emergency_number": "nine-one-one"}, {"emergency_number"}),
        ({"emergency_number": "9l1"}, {"emergency_number"}),
        ({"emergency_number": "1"}, {"emergency_number"}),
        ({"emergency_number": "1234567"}, {"emergency_number"}),
        ({"country": "USA"}, {"country"}),
        ({"country": "1A"}, {"country"}),
        ({"phone": "", "emergency_number": "abc"}, {"phone", "emergency_number"}),
        ({"name": "Renamed"}, {"name"}),
    ],
)
def test_bad_clinic_input_is_refused_field_by_field_and_nothing_changes(cast, client_for, body, fields):
    before = Clinic.objects.filter(pk=cast.riverside.pk).values().get()
    response = client_for(cast.frank).patch(CLINIC, body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    assert all(response.json()["errors"][f] for f in fields)
    assert Clinic.objects.filter(pk=cast.riverside.pk).values().get() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "carol"])
def test_only_clinic_admins_change_the_clinic(cast, client_for, who):
    response = client_for(getattr(cast, who)).patch(CLINIC, {"phone": "+1 555 010 1111"}, format="json")
    assert response.status_code == 403
    assert Clinic.objects.get(pk=cast.riverside.pk).phone == "+1 555 010 2030"


@pytest.mark.django_db
def test_the_service_refuses_a_blank_phone(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.clinic_update(clinic=cast.riverside, phone="  ")
    assert "phone" in refused.value.message_dict


@pytest.mark.django_db
def test_the_factory_clinic_has_every_field():
    clinic = ClinicFactory()
    assert (clinic.country, clinic.emergency_number) == ("US", "911")
