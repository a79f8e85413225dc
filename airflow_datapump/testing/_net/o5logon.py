"""O5LOGON, Oracle's challenge-response logon, as a server performs it with a 12c verifier.

The server never holds a password. It keeps a *verifier*: a random salt and
``SHA-512(PBKDF2-SHA512(password, salt + "AUTH_PBKDF2_SPEEDY_KEY", 4096) + salt)``, which is
what Oracle 12c stores for a password (the ``T:`` part of ``SYS.USER$.SPARE4``). At logon:

1. the server derives a key from the verifier, encrypts a random half session key with it and
   sends it with the salt and the PBKDF2 parameters;
2. the client, which derives the same key from the password, sends its own encrypted half
   and, encrypted with the combined key, the PBKDF2 output ("speedy key") and the password;
3. the server recomputes the verifier from the speedy key: if it matches, the password was
   right, and it proves itself by encrypting ``SERVER_TO_CLIENT`` with the combined key.

A wrong password leaves the client with a different combined key, so the speedy key decrypts
to garbage and the server refuses with ORA-01017. Unknown users get a throw-away verifier, so
the exchange looks the same for them (no user enumeration), and fail the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

VERIFIER_TYPE_12C = 0x4815
ITERATIONS = 4096
COMBINE_ITERATIONS = 3
_SPEEDY_SUFFIX = b"AUTH_PBKDF2_SPEEDY_KEY"
_PREFIX = "T:"


def make_verifier(password: str) -> str:
    """A stored verifier, ``T:`` + hex(hash 64 bytes + salt 16 bytes), for ``password``."""
    salt = secrets.token_bytes(16)
    return _PREFIX + (_hash(password_key(password.encode(), salt), salt) + salt).hex().upper()


def check_password(verifier: str, password: str) -> bool:
    """Whether ``password`` matches a stored verifier (for logons that carry the password).

    Anything that is not a 12c verifier (a value from older emulator state) matches nothing.
    """
    if not is_verifier(verifier):
        return False
    digest, salt = split_verifier(verifier)
    return hmac.compare_digest(_hash(password_key(password.encode(), salt), salt), digest)


def is_verifier(value: str) -> bool:
    try:
        digest, salt = split_verifier(value)
    except ValueError:
        return False
    return len(digest) == 64 and len(salt) == 16


def split_verifier(verifier: str) -> tuple[bytes, bytes]:
    if not verifier.startswith(_PREFIX):
        raise ValueError("not a 12c verifier")
    raw = bytes.fromhex(verifier[len(_PREFIX) :])
    return raw[:64], raw[64:]


def password_key(password: bytes, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha512", password, salt + _SPEEDY_SUFFIX, ITERATIONS, 64)


def _hash(key: bytes, salt: bytes) -> bytes:
    return hashlib.sha512(key + salt).digest()


def _aes(key: bytes, data: bytes, *, encrypt: bool) -> bytes:
    """AES-CBC with a zero IV and no padding, as both sides of O5LOGON use it."""
    cipher = Cipher(algorithms.AES(key), modes.CBC(bytes(16)))
    worker = cipher.encryptor() if encrypt else cipher.decryptor()
    return worker.update(data) + worker.finalize()


def _pad(data: bytes) -> bytes:
    extra = 16 - len(data) % 16
    return data + bytes([extra]) * extra


class LogonRefusedError(Exception):
    """The logon failed its cryptographic check (ORA-01017 for the client)."""


@dataclass
class Challenge:
    """One logon in progress: what phase one sent and must be remembered for phase two."""

    verifier: str
    server_half: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    combine_salt: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    @classmethod
    def for_unknown_user(cls) -> Challenge:
        return cls(make_verifier(secrets.token_hex(16)))

    def _key(self) -> bytes:
        digest, _ = split_verifier(self.verifier)
        return digest[:32]

    def parameters(self) -> list[tuple[str, str, int]]:
        """Phase one's reply: (key, value, flags); the verifier type rides in the flags."""
        _, salt = split_verifier(self.verifier)
        return [
            ("AUTH_SESSKEY", _aes(self._key(), self.server_half, encrypt=True).hex().upper(), 1),
            ("AUTH_VFR_DATA", salt.hex().upper(), VERIFIER_TYPE_12C),
            ("AUTH_PBKDF2_CSK_SALT", self.combine_salt.hex().upper(), 0),
            ("AUTH_PBKDF2_VGEN_COUNT", str(ITERATIONS), 0),
            ("AUTH_PBKDF2_SDER_COUNT", str(COMBINE_ITERATIONS), 0),
        ]

    def verify(self, client_half_hex: str, speedy_hex: str, password_hex: str) -> tuple[str, str]:
        """Check phase two's proof; return (clear password, AUTH_SVR_RESPONSE) or refuse."""
        try:
            client_half = _aes(self._key(), bytes.fromhex(client_half_hex)[:32], encrypt=False)
            combo = hashlib.pbkdf2_hmac(
                "sha512",
                (client_half + self.server_half).hex().upper().encode(),
                self.combine_salt,
                COMBINE_ITERATIONS,
                32,
            )
            speedy = _aes(combo, bytes.fromhex(speedy_hex)[:80], encrypt=False)
            digest, salt = split_verifier(self.verifier)
            if not hmac.compare_digest(_hash(speedy[16:80], salt), digest):
                raise LogonRefusedError("verifier mismatch")
            secret = _aes(combo, bytes.fromhex(password_hex), encrypt=False)
        except ValueError as exc:
            raise LogonRefusedError(str(exc)) from exc
        padding = secret[-1] if secret else 0
        if not 1 <= padding <= 16 or len(secret) < 16 + padding:
            raise LogonRefusedError("malformed password block")
        password = secret[16:-padding].decode(errors="replace")
        response = _aes(combo, _pad(secrets.token_bytes(16) + b"SERVER_TO_CLIENT"), encrypt=True)
        return password, response.hex().upper()
