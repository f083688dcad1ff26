"""Message bodies and reply addresses are encrypted at rest, so a database dump alone does not reveal them.

``CONTACT_ENCRYPTION_KEYS`` (settings, from the environment) lists Fernet keys, newest first: the first encrypts,
every one decrypts, so a key is rotated by putting a new one first and running ``manage.py rotate_contact_keys``
(re-encrypts every stored value with the new key), after which the old one can be dropped. Without the setting
(development and tests only: a system check refuses it with DEBUG off) one key is derived from SECRET_KEY.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def derived_key(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(f"perhekeskus.contact:{secret}".encode()).digest())


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys] if keys else [Fernet(derived_key(secret_key))])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.CONTACT_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """The plain text of *token*; raises ``InvalidToken`` if no configured key opens it."""
    return fernet().decrypt(token.encode()).decode() if token else ""


def rotate(token: str) -> str:
    """*token* re-encrypted with the newest key (unchanged text)."""
    return fernet().rotate(token.encode()).decode() if token else ""


class Encrypted:
    """A model attribute that reads and writes its text through the encrypted *column* (a TextField)."""

    def __init__(self, column: str):
        self.column = column

    def __get__(self, obj, owner=None):
        return self if obj is None else decrypt(getattr(obj, self.column))

    def __set__(self, obj, text: str) -> None:
        setattr(obj, self.column, encrypt(text))


__all__ = ["Encrypted", "InvalidToken", "decrypt", "encrypt", "rotate"]
