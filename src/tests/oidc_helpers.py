"""Identity providers for tests: a real OpenID Connect provider (django-oauth-toolkit, settings
in `tests/oidc_provider/`) started as a second process, and provider rows and links on the
platform's side."""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from nollvision.accounts.models import IdentityProvider, ProviderLink
from nollvision.accounts.services import identity_provider_save

SRC = Path(__file__).resolve().parent.parent
CLIENT_ID = "nollvision-test"
CLIENT_SECRET = "provider-client-secret-for-tests"
PASSWORD = "provider-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Provider:
    url: str
    issuer: str
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def start_provider(folder: Path, *, platform: str, users: list[dict]) -> Provider:
    """Run django-oauth-toolkit as an OpenID Connect provider on a free port: a new RSA key,
    its own SQLite file in `folder`, the users given (all with PASSWORD) and one client whose
    return address is the platform's callback."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (folder / "provider-key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    } | {
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "PYTHONPATH": str(SRC),
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": str(folder / "provider-key.pem"),
        "OIDC_PROVIDER_ISSUER": f"{url}/o",
    }
    spec = {
        "users": [{"password": PASSWORD, **user} for user in users],
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{platform}/konto/oidc/klar/",
        "post_logout_redirect_uris": [f"{platform}/"],
    }
    subprocess.run(  # noqa: S603 - the test's own provider
        [sys.executable, "-m", "tests.oidc_provider.setup", json.dumps(spec)],
        env=environment,
        check=True,
        timeout=120,
    )
    process = subprocess.Popen(  # noqa: S603 - the test's own provider
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "provider.log").open("w"),
    )
    for _attempt in range(200):
        try:
            if requests.get(f"{url}/o/.well-known/openid-configuration", timeout=1).ok:
                break
        except requests.RequestException:
            pass
        time.sleep(0.1)
    else:
        process.terminate()
        raise AssertionError((folder / "provider.log").read_text())
    return Provider(url=url, issuer=f"{url}/o", process=process)


def identity_provider(organisation, *, issuer: str, domains: str, **fields) -> IdentityProvider:
    return identity_provider_save(
        provider=IdentityProvider(
            organisation=organisation,
            issuer=issuer,
            client_id=CLIENT_ID,
            domains=domains,
            **fields,
        ),
        client_secret=CLIENT_SECRET,
    )


def linked_account(django_user_model, username: str, organisation, **fields):
    """An account that logs in through its organisation's provider (linked by subject), with no
    password and no role: to the platform it is just a user."""
    user = django_user_model.objects.create_user(username=username, **fields)
    user.set_unusable_password()
    user.save()
    provider = identity_provider(
        organisation,
        issuer="https://login.example.invalid/" + organisation.slug,
        domains=f"{organisation.slug}.example",
    )
    ProviderLink.objects.create(provider=provider, user=user, subject=f"subject-of-{username}")
    return user


def route_provider(world, county_code: str) -> int:
    """An identity provider of an organisation of the county (the staff routes' object), made
    once per test database state."""
    from nollvision.accounts.models import Organisation

    organisation = (
        Organisation.objects.filter(region__code=county_code).order_by("pk").first()
        or world.response_a.organisation
    )
    existing = IdentityProvider.objects.filter(organisation=organisation).first()
    if existing is not None:
        return existing.pk
    return identity_provider(
        organisation,
        issuer=f"https://login-{county_code}.example/",
        domains=f"routes-{county_code}.example",
    ).pk
