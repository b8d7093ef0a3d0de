"""Each person reads the service in their own language: English or Spanish, chosen in their profile; before sign-in
the browser's language decides."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User

ME = "/api/v1/me"


@pytest.mark.parametrize("who", ["alice", "carol", "frank"])
def test_anyone_chooses_spanish_and_the_api_answers_in_it(cast, client_for, who):
    person = getattr(cast, who)
    client = client_for(person)

    response = client.patch(ME, {"language": "es"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["language"] == "es"
    assert User.objects.get(pk=person.pk).language == "es"
    # The next request runs in Spanish: Django REST framework's own messages come from its Spanish catalog
    refused = client.patch(ME, {"full_name": ""}, format="json")
    assert refused.status_code == 400
    assert refused["Content-Language"] == "es"
    assert refused.json()["errors"]["full_name"] == ["Este campo no puede estar en blanco."]


def test_a_patients_language_is_shown_in_their_record(cast, client_for):
    client_for(cast.alice).patch(ME, {"language": "es"}, format="json")

    response = client_for(cast.carol).get(f"/api/v1/patients/{cast.alice.pk}")

    assert response.json()["language"] == "es"
    # The clinician's own requests stay in her language
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("code", ["xx", "fr", "", "ES", "es-MX"])
def test_a_language_that_is_not_offered_is_refused_and_nothing_changes(cast, client_for, code):
    response = client_for(cast.carol).patch(ME, {"language": code, "full_name": "Carol Changed"}, format="json")

    assert response.status_code == 400
    assert "language" in response.json()["errors"]
    carol = User.objects.get(pk=cast.carol.pk)
    assert (carol.language, carol.full_name) == ("en", cast.carol.full_name)


def test_before_sign_in_the_browsers_language_decides():
    response = Client().get(ME, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")

    assert response.status_code == 401
    assert response["Content-Language"] == "es"
    assert Client().get(ME, HTTP_ACCEPT_LANGUAGE="fr-FR")["Content-Language"] == "en"


def test_the_apis_own_type_checks_answer_in_the_persons_language(cast, client_for):
    client = client_for(cast.alice)
    client.patch(ME, {"language": "es"}, format="json")

    response = client.patch(ME, {"phone": 5551234, "favourite_colour": "blue"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        # Django REST framework's Spanish catalog holds the same English text and answers first
        "phone": ["No es una cadena válida."],
        "favourite_colour": ["Este campo no se puede enviar aquí."],
    }
