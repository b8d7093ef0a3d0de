"""The app can be installed (a valid manifest with icons that load, a service worker that caches the shell), and
reminders can be turned on from Settings; the service worker shows a pushed reminder pointing at the right screen."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import BrowserContext, expect

from notifications.models import PushSubscription
from tests.e2e.conftest import Clinic
from tests.e2e.support import service_worker_in_control, shoot, sign_in

# The browser's push service cannot be reached from a test machine: PushManager.subscribe is replaced in the page by
# one that checks the key the app passes and returns a subscription as a browser would (endpoint on FCM).
FAKE_PUSH = """
(() => {
  const keys = __KEYS__;
  let current = null;
  PushManager.prototype.getSubscription = async function () { return current; };
  PushManager.prototype.subscribe = async function (options) {
    const serverKey = new Uint8Array(options.applicationServerKey);
    if (!options.userVisibleOnly || serverKey.length !== 65 || serverKey[0] !== 4) throw new Error("bad options");
    window.__subscribedWithKey = Array.from(serverKey);
    current = {
      endpoint: "https://fcm.googleapis.com/fcm/send/test-device-1",
      toJSON() { return {endpoint: this.endpoint, expirationTime: null, keys}; },
      async unsubscribe() { current = null; return true; },
    };
    return current;
  };
})();
"""


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _p256_public_key() -> bytes:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def test_manifest_and_service_worker_make_the_app_installable_and_offline(phone: BrowserContext, clinic: Clinic):
    page = phone.new_page()
    page.goto("/app/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shoot(page, "sign-in")

    # The page links the manifest, which has what installing needs
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href == "/app/manifest.webmanifest"
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "MILD Recovery" and manifest["short_name"]
    assert manifest["start_url"] == "/app/" and manifest["scope"] == "/app/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#") and manifest["background_color"].startswith("#")
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes

    # And every icon loads as an image of its stated size
    for icon in manifest["icons"]:
        width, height = page.evaluate(
            """src => new Promise((resolve, reject) => {
                const img = new Image();
                img.onload = () => resolve([img.naturalWidth, img.naturalHeight]);
                img.onerror = () => reject(new Error("icon did not load: " + src));
                img.src = src;
            })""",
            icon["src"],
        )
        assert f"{width}x{height}" == icon["sizes"]
    apple = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
    assert page.request.get(apple).headers["content-type"] == "image/png"

    # The service worker is registered for /app/, controls the page, and has the shell in a versioned cache
    service_worker_in_control(page)
    scope = page.evaluate("navigator.serviceWorker.getRegistration('/app/').then(r => r.scope)")
    assert scope.endswith("/app/")
    worker = page.request.get("/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "no-cache" in worker.headers["cache-control"]
    assert worker.headers["service-worker-allowed"] == "/app/"
    caches = page.evaluate("caches.keys()")
    assert len(caches) == 1 and caches[0].startswith("mild-shell-")
    cached = page.evaluate(
        "async name => (await (await caches.open(name)).keys()).map(r => new URL(r.url).pathname)", caches[0]
    )
    for path in (
        "/app/",
        "/static/web/app.js",
        "/static/web/app.css",
        "/static/web/js/outbox.js",
        "/static/web/icons/icon-192.png",
    ):
        assert path in cached

    # Offline, any screen of the app still opens (here the invitation page, never visited before)
    phone.set_offline(True)
    page.goto("/app/invitation")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    phone.set_offline(False)


def test_reminders_are_turned_on_from_settings_and_a_push_opens_the_right_screen(
    phone: BrowserContext, clinic: Clinic, settings
):
    server_key = _p256_public_key()
    settings.VAPID_PUBLIC_KEY = _b64url(server_key)
    phone.grant_permissions(["notifications"])
    device_keys = {"p256dh": _b64url(_p256_public_key()), "auth": _b64url(secrets.token_bytes(16))}
    phone.add_init_script(FAKE_PUSH.replace("__KEYS__", json.dumps(device_keys)))
    page = phone.new_page()
    sign_in(page, "alice@patients.example")
    service_worker_in_control(page)

    # When Alice taps "Turn on reminders" in Settings
    page.locator("#topnav").get_by_role("link", name="Settings").click()
    expect(page.locator("#main").get_by_text("Reminders are off for this phone.")).to_be_visible()
    shoot(page, "settings")
    page.get_by_role("button", name="Turn on reminders").click()

    # Then the phone subscribes with the server's key and registers with the API
    expect(page.locator("#main").get_by_text("Reminders are on for this phone.")).to_be_visible()
    assert bytes(page.evaluate("window.__subscribedWithKey")) == server_key
    subscription = PushSubscription.objects.get(user=clinic.alice)
    assert subscription.endpoint == "https://fcm.googleapis.com/fcm/send/test-device-1"

    # When a reminder is pushed, the service worker shows it, pointing at the screen it is about
    cdp = phone.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(r["registrationId"] for r in event["registrations"] if not r["isDeleted"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):  # CDP events arrive while Playwright waits
        if registrations:
            break
        page.wait_for_timeout(100)
    assert registrations, "the service worker registration was not reported"
    payload = {
        "title": "Time for today's check-in",
        "body": "It takes a minute.",
        "url": "https://app.test/app/checkin",
    }
    origin = page.evaluate("location.origin")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registrations[-1], "data": json.dumps(payload)},
    )
    shown: list[dict[str, str]] = []
    for _ in range(100):
        shown = page.evaluate(
            "navigator.serviceWorker.ready.then(r => r.getNotifications())"
            ".then(list => list.map(n => ({title: n.title, body: n.body, url: n.data.url})))"
        )
        if shown:
            break
        page.wait_for_timeout(100)
    # Only the path is kept: a tap opens this app's screen, never another site.
    assert shown == [{"title": "Time for today's check-in", "body": "It takes a minute.", "url": "/app/checkin"}]

    # When she turns reminders off again, the server forgets this phone
    page.get_by_role("button", name="Turn off reminders on this phone").click()
    expect(page.locator("#main").get_by_text("Reminders are off for this phone.")).to_be_visible()
    assert not PushSubscription.objects.filter(user=clinic.alice).exists()

    # Settings also hands her all her data as a file, and signs her out leaving nothing of hers on the phone
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename == "my-recovery-data.json"
    exported = json.loads(Path(download.value.path()).read_text())
    assert "alice@patients.example" in json.dumps(exported)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("MildOutbox.all('cache')") == []
    assert page.evaluate("MildOutbox.getMeta('me')") is None
