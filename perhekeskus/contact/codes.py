"""The secret reply code a family keeps to read the answer: 120 random bits, shown once, stored only as a hash.

Crockford's base 32 (digits and letters without I, L, O and U), written as six groups of four, e.g.
``K7QM-3XRT-0D9E-…``: easy to copy and to write down by hand. Read back in any case, with or without dashes and
spaces, and with the look-alikes a hand-written code invites (O for 0, I or L for 1). 24 symbols of 32 carry
120 bits; the issue asks for at least 112.
"""

import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LENGTH = 6, 4
LENGTH = GROUPS * GROUP_LENGTH
KEY_SALT = "perhekeskus.contact.reply-code"
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# The first group, as typed: what wrong guesses are counted by (per code prefix), never stored.
PREFIX_LENGTH = GROUP_LENGTH


def new_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(symbols[i : i + GROUP_LENGTH] for i in range(0, LENGTH, GROUP_LENGTH))


def normalise(typed: str) -> str | None:
    """The code's symbols as stored, or None when *typed* cannot be a code (wrong length or symbols)."""
    symbols = "".join(typed.split()).replace("-", "").upper().translate(LOOK_ALIKES)
    if len(symbols) != LENGTH or any(symbol not in ALPHABET for symbol in symbols):
        return None
    return symbols


def code_hash(code: str, secret: str | None = None) -> str:
    """A keyed hash of the normalised code (HMAC-SHA256 keyed with SECRET_KEY): what the database holds.

    Keyed, so a dump of the database alone cannot be searched for codes, not even by trying the whole code space.
    """
    symbols = normalise(code)
    if symbols is None:
        raise ValueError("not a reply code")
    return salted_hmac(KEY_SALT, symbols, secret=secret, algorithm="sha256").hexdigest()


def code_hashes(code: str) -> list[str]:
    """The hashes a stored code may have: with SECRET_KEY and each of SECRET_KEY_FALLBACKS (a rotated key)."""
    return [code_hash(code, secret) for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]


def prefix(typed: str) -> str:
    symbols = normalise(typed)
    return symbols[:PREFIX_LENGTH] if symbols else ""
