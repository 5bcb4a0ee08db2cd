"""Prepare the test provider's database: `python -m tests.oidc_provider.setup '<json>'` with
the client (id, secret, redirect and logout addresses) and the users (name, e-mail, password,
last name)."""

import json
import sys

import django


def main(spec: dict) -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in spec["users"]:
        User.objects.create_user(
            username=person["username"],
            email=person["email"],
            password=person["password"],
            last_name=person.get("last_name", ""),
        )
    Application.objects.create(
        name="Nollvision",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=spec["redirect_uri"],
        post_logout_redirect_uris=" ".join(spec["post_logout_redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
