"""The app in Spanish: a patient who reads Spanish sees every screen in it (before sign-in the browser's language
decides), changes language in Settings without a reload, and keeps Spanish offline. The completeness check walks
every patient screen and fails on any text the app wrote that is still English; the words that come from the server
(the clinic's content, people's and the clinic's names) are the server's to translate and are left out."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator

from playwright.sync_api import Browser, BrowserContext, Page, Response, expect
from playwright.sync_api import Error as PlaywrightError

from accounts.models import User
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import PHONE, Clinic
from tests.e2e.support import service_worker_in_control, shoot, sign_in
from tests.factories import PASSWORD, ProcedureFactory

# Whole words that give English away; none of them is a Spanish word.
ENGLISH = re.compile(
    r"\b(the|your|you|and|today|of|to|is|are|please|with|for|this|that|what|when|will|was|have|my|it|not|on|in|at|"
    r"yes|done|save|send|sign|check|back|day|days|pain|none|help)\b",
    re.IGNORECASE,
)

# Every text of the page (text nodes, aria-label, title, placeholder), with where it is, and the document's title.
PAGE_TEXTS = """() => {
    const found = [];
    const where = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('script, style, noscript')) continue;
        const text = node.textContent.trim();
        if (text) found.push([text, where(parent)]);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder]')) {
        for (const name of ['aria-label', 'title', 'placeholder']) {
            const value = (el.getAttribute(name) || '').trim();
            if (value) found.push([value, where(el) + '[' + name + ']']);
        }
    }
    found.push([document.title, 'title']);
    return found;
}"""


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class ServerWords:
    """Every text the API answered to this browser: the server's words, which the server translates (or not yet)."""

    def __init__(self, context: BrowserContext) -> None:
        self.responses: list[Response] = []
        self.words: set[str] = set()
        context.on("response", self._seen)

    def _seen(self, response: Response) -> None:
        if "/api/" in response.url or "/_allauth/" in response.url:
            self.responses.append(response)

    def collect(self) -> list[str]:
        for response in self.responses:
            if "json" not in (response.headers.get("content-type") or ""):
                continue
            # A response whose body the browser no longer keeps (or that is empty) says nothing more.
            with contextlib.suppress(PlaywrightError, ValueError):
                self.words.update(s.strip() for s in _strings(response.json()) if len(s.strip()) >= 3)
        self.responses.clear()
        return sorted(self.words, key=len, reverse=True)


class Completeness:
    """Collects, screen by screen, the app's own texts that are still English."""

    def __init__(self, page: Page, server: ServerWords, catalog: dict[str, str | list[str]]) -> None:
        self.page = page
        self.server = server
        # An English text that the catalog turns into something else must not be on a Spanish screen.
        self.english_msgids = {
            msgid.strip()
            for msgid, spanish in catalog.items()
            if msgid.strip() and (spanish if isinstance(spanish, str) else spanish[0]).strip() != msgid.strip()
        }
        self.failures: list[str] = []
        self.screens: list[str] = []

    def check(self, screen: str, *, axe: bool = True) -> None:
        self.page.wait_for_load_state("networkidle")
        expect(self.page.locator("html")).to_have_attribute("lang", "es")
        server_words = self.server.collect()
        self.screens.append(screen)
        for text, where in self.page.evaluate(PAGE_TEXTS):
            own = text
            for word in server_words:
                if word in own:
                    own = own.replace(word, " ")
            # A text that is wholly the server's (an exercise called "Walking") is the server's to translate.
            if own.strip() in self.english_msgids:
                self.failures.append(f"{screen}: {where}: {text!r} (an English text of the catalog)")
            elif ENGLISH.search(own):
                self.failures.append(f"{screen}: {where}: {text!r} (English words: {ENGLISH.findall(own)})")
        if axe:
            assert_no_axe_violations(self.page, f"{screen} in Spanish")
        shoot(self.page, f"es-{screen.replace(' ', '-').replace('/', '-')}")

    def assert_complete(self) -> None:
        print("Screens checked in Spanish:", ", ".join(self.screens))
        assert not self.failures, "English left on Spanish screens:\n" + "\n".join(self.failures)


def _spanish_phone(browser: Browser, live_server) -> BrowserContext:
    """A phone whose browser prefers Spanish (navigator.languages), as a Spanish-speaking patient's would."""
    from django.utils import timezone

    context = browser.new_context(viewport=PHONE, base_url=live_server.url, device_scale_factor=1, locale="es-MX")
    context.clock.install(time=timezone.now())
    context.set_default_timeout(15_000)
    context.on("console", lambda message: print(f"[browser {message.type}] {message.text}"))
    context.on("weberror", lambda error: print(f"[browser error] {error.error}"))
    return context


def _sign_in_in_spanish(page: Page, email: str) -> None:
    page.goto("/app/")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_have_count(0)


def test_every_patient_screen_is_in_spanish_for_a_patient_who_reads_it(browser: Browser, live_server, clinic: Clinic):
    User.objects.filter(pk__in=[clinic.alice.pk, clinic.charlie.pk]).update(language="es")
    charlie = clinic.charlie.patient_profile
    ProcedureFactory(patient=charlie, procedure_date=charlie.local_today() + dt.timedelta(days=6))
    context = _spanish_phone(browser, live_server)
    server = ServerWords(context)
    page = context.new_page()
    catalog = page.request.get(f"{live_server.url}/app/i18n/es.json").json()["catalog"]
    screens = Completeness(page, server, catalog)
    try:
        # Before sign-in: the browser's language
        page.goto("/app/")
        expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
        page.get_by_role("button", name="Iniciar sesión").click()  # nothing typed: the form says what is missing
        expect(page.locator(".form-errors")).to_be_visible()
        screens.check("sign-in")
        page.goto("/app/reset-password")
        expect(page.get_by_role("heading", name="¿Olvidó su contraseña?")).to_be_visible()
        screens.check("password reset")
        page.goto("/app/invitation#token=abc")
        expect(page.get_by_role("heading", name="Bienvenido")).to_be_visible()
        page.get_by_role("button", name="Guardar mi contraseña").click()
        expect(page.get_by_text("Por favor, use al menos 10 caracteres.")).to_be_visible()
        screens.check("invitation")

        _sign_in_in_spanish(page, "alice@patients.example")
        expect(page.locator("#tabbar").get_by_role("link", name="Hoy")).to_be_visible()
        expect(page.get_by_role("heading", name="Registro diario")).to_be_visible()
        screens.check("today")

        page.goto("/app/checkin")
        expect(page.get_by_role("heading", name="Registro diario")).to_be_visible()
        page.get_by_role("button", name="Enviar mi registro").click()  # empty: every error in Spanish
        expect(page.get_by_text("Por favor, elija un número para su dolor de espalda.")).to_be_visible()
        page.get_by_role("button", name="Dolor de espalda: subir").click()  # the pain scale speaks Spanish too
        expect(page.locator("input[name=back_pain]")).to_have_attribute("aria-valuetext", "1 de 10")
        screens.check("check-in form")
        page.locator("input[name=leg_pain]").fill("3")
        page.locator("input[name=walking_minutes]").fill("20")
        page.locator("input[name=standing_minutes]").fill("10")
        page.get_by_text("Ninguno", exact=True).click()
        page.get_by_text("Ninguna de estas", exact=True).click()
        weekly = page.locator("fieldset.yes-no")
        if weekly.count():
            weekly.locator("input[value=no]").check(force=True)
        page.get_by_role("button", name="Enviar mi registro").click()
        expect(page.get_by_role("heading", name="Gracias")).to_be_visible()
        expect(page.get_by_text("1 de 10")).to_be_visible()
        screens.check("check-in sent")

        for path, heading, screen in (
            ("/app/exercises", "Ejercicios de hoy", "exercises"),
            ("/app/progress", "Su avance", "progress"),
            ("/app/assessments", "Controles de avance", "assessments"),
            ("/app/education", "Aprenda sobre su procedimiento", "education"),
            ("/app/inbox", "Buzón", "inbox"),
            ("/app/settings", "Ajustes", "settings"),
            ("/app/settings/caregivers", "Personas que me ayudan", "caregivers"),
            ("/app/help", None, "help"),
        ):
            page.goto(path)
            if heading:
                expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
            else:
                expect(page.locator("#main h1")).to_be_visible()
            screens.check(screen)
            if screen == "progress":
                expect(page.locator(".measure-sentence").first).to_contain_text("antes del procedimiento")
            if screen == "assessments":
                # The frame around a questionnaire: its questions are the clinic's licensed wording
                # (the ODI: the pain and walking questions are the product's own and are in Spanish)
                page.locator(".task-list a[href*='instrument=odi']").click()
                expect(page.get_by_test_id("instrument-language")).to_be_visible()
                expect(page.get_by_role("button", name="Enviar mis respuestas")).to_be_visible()
                screens.check("assessment form")
            if screen == "education":
                page.locator("#main a[href^='/app/education/']").first.click()
                expect(page.get_by_role("link", name="Todos los artículos")).to_be_visible()
                screens.check("education article")

        # Before the procedure: the countdown and the checklist on Today (Charlie's procedure is in 6 days)
        page.goto("/app/settings")
        page.get_by_role("button", name="Cerrar sesión").click()
        expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
        _sign_in_in_spanish(page, "charlie@patients.example")
        expect(page.locator("section.preparation h3", has_text="Para prepararse")).to_be_visible()
        screens.check("prepare")

        screens.assert_complete()
    finally:
        context.close()


def test_a_spanish_patient_signs_in_keeps_spanish_offline_and_switches_to_english_without_a_reload(
    phone: BrowserContext, clinic: Clinic
):
    User.objects.filter(pk=clinic.alice.pk).update(language="es")
    page = phone.new_page()

    # The phone's browser reads English, so the sign-in screen is in English ...
    sign_in(page, "alice@patients.example")

    # ... and once signed in the app follows Alice's own language
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#tabbar").get_by_role("link", name="Hoy")).to_be_visible()
    expect(page.get_by_role("heading", name="Registro diario")).to_be_visible()
    expect(page.get_by_role("link", name="Empezar el registro de hoy")).to_be_visible()
    # Dates in Spanish words, from the browser's own calendar data
    expect(page.locator("#main .lead")).to_contain_text("de junio")
    service_worker_in_control(page)

    # Offline, opened again from the phone: still Spanish (the catalog comes from the service worker's cache)
    phone.set_offline(True)
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Registro diario")).to_be_visible()
    expect(page.locator(".banner-offline")).to_contain_text("No tiene conexión.")
    page.locator("#tabbar").get_by_role("link", name="Avance").click()
    expect(page.get_by_role("heading", name="Su avance")).to_be_visible()
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    # Settings: "Language / Idioma", English chosen: the app switches at once, without loading the page again
    page.get_by_role("link", name="Ajustes").click()
    expect(page.get_by_role("heading", name="Ajustes")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    page.get_by_role("group", name="Language / Idioma").get_by_text("English").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#tabbar").get_by_role("link", name="Today")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert User.objects.get(pk=clinic.alice.pk).language == "en"

    # And back to Spanish the same way
    page.get_by_role("group", name="Language / Idioma").get_by_text("Español").click()
    expect(page.get_by_role("heading", name="Ajustes")).to_be_visible()
    assert User.objects.get(pk=clinic.alice.pk).language == "es"
    assert page.evaluate("window.notReloaded") is True


def test_a_caregiver_chooses_spanish_in_settings(phone: BrowserContext, clinic: Clinic):
    from accounts.models import CaregiverLink, Role
    from tests.factories import UserFactory

    anna = UserFactory(
        email="anna@family.example", full_name="Anna Ellis", role=Role.CAREGIVER, clinic=clinic.alice.clinic
    )
    CaregiverLink.objects.create(
        patient=clinic.alice_profile, caregiver=anna, relationship="daughter", invited_by=clinic.alice, can_view=True
    )
    page = phone.new_page()
    sign_in(page, anna.email)
    page.get_by_role("button", name="Alice Adams (your daughter)").click()
    expect(page.locator("#helping-banner")).to_have_text("Helping Alice Adams")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()

    page.get_by_role("group", name="Language / Idioma").get_by_text("Español").click()

    expect(page.get_by_role("heading", name="Ajustes")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#helping-banner")).to_have_text("Ayudando a Alice Adams")
    assert User.objects.get(pk=anna.pk).language == "es"
    assert_no_axe_violations(page, "a caregiver's settings in Spanish")


def test_the_clinician_screens_are_only_a_catalog_away_from_spanish(browser: Browser, live_server, clinic: Clinic):
    """A staff member who reads Spanish: every clinician screen is in Spanish, so another language for them is only a
    catalog. The server's own words (alert titles, the rules' explanations, the protocol's titles) are left out."""
    from tests.e2e.test_clinician_screens import TABLET, _exercise_alert, _june

    User.objects.filter(pk=clinic.carol.pk).update(language="es")
    _june(clinic)
    alert = _exercise_alert(clinic)
    context = _spanish_phone(browser, live_server)
    context.set_default_timeout(20_000)
    server = ServerWords(context)
    page = context.new_page()
    page.set_viewport_size(TABLET)
    catalog = page.request.get(f"{live_server.url}/app/i18n/es.json").json()["catalog"]
    screens = Completeness(page, server, catalog)
    try:
        _sign_in_in_spanish(page, clinic.carol.email)
        expect(page.get_by_role("heading", name="Pacientes")).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="pacientes")).to_be_visible()
        screens.check("roster")
        page.get_by_role("button", name="Más").first.click()
        screens.check("roster row detail", axe=False)

        page.goto("/app/clinician/alerts")
        expect(page.get_by_role("heading", name="Alertas", exact=True)).to_be_visible()
        screens.check("alert queue")

        page.goto(f"/app/clinician/alerts/{alert.pk}")
        expect(page.get_by_role("heading", name="Lo que informó el paciente")).to_be_visible()
        expect(page.locator("table.trigger-sessions tbody tr")).to_have_count(2)
        screens.check("alert detail")

        page.goto(f"/app/clinician/patients/{clinic.alice_profile.pk}")
        expect(page.get_by_role("heading", name="Eventos adversos")).to_be_visible()
        expect(page.get_by_role("heading", name="Controles de avance")).to_be_visible()
        screens.check("patient detail")

        page.goto("/app/clinician/cohort")
        expect(page.get_by_role("heading", name="Curvas de recuperación")).to_be_visible()
        expect(page.locator("svg.chart")).to_have_count(3)
        screens.check("recovery curves")

        page.goto("/app/clinician/response-times")
        expect(page.get_by_role("heading", name="Tiempos de respuesta")).to_be_visible()
        screens.check("response times")

        page.goto("/app/clinician/content")
        expect(page.get_by_role("heading", name="Contenido clínico")).to_be_visible()
        expect(page.get_by_role("heading", name="Biblioteca educativa")).to_be_visible()
        screens.check("clinical content")

        screens.assert_complete()
    finally:
        context.close()
