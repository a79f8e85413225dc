"""A database link's password, kept encrypted in the database's state.

Oracle keeps a link's password encrypted (PASSWORDX in SYS.LINK$) under a key of the
database, and needs it back in clear to log on to the remote database each time the link
opens. The emulator does the same: AES-GCM under a random key made once per database. The
key sits in the same state, as Oracle's sits in the database, so this keeps the password out
of the files' plain bytes (and out of every view), not away from someone holding the files.
"""

from __future__ import annotations

import secrets
import sqlite3

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_KEY_SETTING = "db_link_key"
_MARK = "aesgcm:"


def seal(db: sqlite3.Connection, password: str | None) -> str | None:
    """The form of ``password`` the state keeps (None stays None: a link without one)."""
    if password is None:
        return None
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_key(db)).encrypt(nonce, password.encode(), None)
    return _MARK + (nonce + sealed).hex()


def unseal(db: sqlite3.Connection, kept: str | None) -> str | None:
    """The password a link logs on with, from what :func:`seal` kept."""
    if kept is None or not kept.startswith(_MARK):
        return kept  # a state written before links were sealed
    raw = bytes.fromhex(kept[len(_MARK) :])
    return AESGCM(_key(db)).decrypt(raw[:12], raw[12:], None).decode()


def _key(db: sqlite3.Connection) -> bytes:
    row = db.execute("SELECT value FROM settings WHERE key = ?", (_KEY_SETTING,)).fetchone()
    if row is not None:
        return bytes.fromhex(str(row[0]))
    key = AESGCM.generate_key(bit_length=256)
    db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (_KEY_SETTING, key.hex()))
    return key
