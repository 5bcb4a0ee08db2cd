"""The identity providers' client secrets, encrypted in the database with a key derived from
SECRET_KEY (Fernet: AES with an HMAC). Changing SECRET_KEY means entering the secrets again
(docs/deploy.md)."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"nollvision-provider-secret:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    """The secret, or "" when it was stored under another SECRET_KEY (or never)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
