"""What an emulated dump file set holds: the header facts and the exported objects.

:class:`DumpContents` is the one value the job engine hands to :func:`write_dump_set` and gets
back from :func:`read_dump_set`. It is pure data (no I/O) so the engine can build, compare and
inspect it in tests without touching files.

Versions: ``db_version`` is the release that wrote the dump (``"19.0.0.0.0"``), ``version`` the
VERSION the job was opened with, already resolved to a three-part compatibility level
(``"19.0.0"``, see :func:`resolve_version`). The Data Pump *file format* version that
GET_DUMPFILE_INFO reports as FILE_VERSION is derived from ``version`` by
:func:`file_format_version`: 10.1 → 0.1, 10.2 → 1.1, 11.1 → 2.1, 11.2 → 3.1, 12.1 → 4.1,
12.2 and later → 5.1 **[P: published Data Pump compatibility tables]**.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import INVALID_ARGVAL, DumpFileError

JsonDict = dict[str, Any]
RowSource = Callable[[int], Iterable[str]]

ENCRYPTION_MODES = ("PASSWORD", "TRANSPARENT", "DUAL")
COMPRESSION_ALGORITHMS = ("BASIC", "LOW", "MEDIUM", "HIGH")

_FORMAT_VERSIONS: tuple[tuple[tuple[int, int], str], ...] = (
    ((12, 2), "5.1"),
    ((12, 1), "4.1"),
    ((11, 2), "3.1"),
    ((11, 1), "2.1"),
    ((10, 2), "1.1"),
    ((10, 1), "0.1"),
)
_VERSION_RE = re.compile(r"^\d+(\.\d+){0,4}$")
_PBKDF2_ITERATIONS = 2000  # low on purpose: this is an emulator, tests must stay fast


def new_guid() -> str:
    """A fresh job GUID: 16 random bytes as upper-case hex, as GET_DUMPFILE_INFO shows it."""
    return secrets.token_hex(16).upper()


def version_tuple(version: str) -> tuple[int, ...]:
    """``"19.0.0"`` → ``(19, 0, 0)``; refuses anything that is not dotted digits."""
    if not _VERSION_RE.match(version):
        raise DumpFileError(INVALID_ARGVAL, f"invalid version string {version!r}")
    return tuple(int(part) for part in version.split("."))


def resolve_version(requested: str | None, db_version: str) -> str:
    """Resolve OPEN's ``version`` argument to the three-part level the dump records.

    COMPATIBLE (the default) and LATEST both resolve to the database's release, because the
    emulated database's COMPATIBLE parameter equals its release **[U simplification]**; an
    explicit ``"12.2"`` or ``"19"`` is padded to three parts.
    """
    text = (requested or "COMPATIBLE").strip().upper()
    if text in ("COMPATIBLE", "LATEST"):
        text = db_version
    parts = (*version_tuple(text), 0, 0)[:3]
    return ".".join(str(p) for p in parts)


def file_format_version(version: str) -> str:
    """The Data Pump file format number (``"5.1"``) for a VERSION level such as ``"19.0.0"``."""
    major_minor = (*version_tuple(version), 0)[:2]
    for since, fmt in _FORMAT_VERSIONS:
        if major_minor >= since:
            return fmt
    return "0.1"


@dataclass(frozen=True)
class PasswordVerifier:
    """A salted PBKDF2-HMAC-SHA256 digest of the encryption password.

    The dump stores this instead of the password so an import can tell a wrong password
    (ORA-39176) from a right one without the file ever holding the secret.
    """

    salt: str
    digest: str
    iterations: int = _PBKDF2_ITERATIONS

    @classmethod
    def create(cls, password: str, *, salt: bytes | None = None) -> PasswordVerifier:
        """Build a verifier for ``password`` with a fresh random salt (or the given one)."""
        raw_salt = salt if salt is not None else secrets.token_bytes(16)
        digest = _pbkdf2(password, raw_salt, _PBKDF2_ITERATIONS)
        return cls(salt=raw_salt.hex(), digest=digest.hex(), iterations=_PBKDF2_ITERATIONS)

    def check(self, password: str) -> bool:
        """Whether ``password`` is the one this verifier was made from (constant-time)."""
        candidate = _pbkdf2(password, bytes.fromhex(self.salt), self.iterations)
        return hmac.compare_digest(candidate, bytes.fromhex(self.digest))


def _pbkdf2(password: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)


@dataclass(frozen=True)
class Compression:
    """What the job compressed (COMPRESSION) and with which COMPRESSION_ALGORITHM.

    Oracle's default COMPRESSION is METADATA_ONLY, hence ``metadata=True``. Only
    ``data=True`` makes the emulator actually zlib-compress the body; metadata compression is
    recorded for GET_DUMPFILE_INFO only **[U simplification]**.
    """

    metadata: bool = True
    data: bool = False
    algorithm: str | None = None

    def __post_init__(self) -> None:
        if self.algorithm is not None and self.algorithm not in COMPRESSION_ALGORITHMS:
            raise ValueError(f"algorithm must be one of {COMPRESSION_ALGORITHMS} or None")


@dataclass(frozen=True)
class Encryption:
    """ENCRYPTION_MODE and what was encrypted, plus the password verifier.

    ``mode`` is None (not encrypted), ``"PASSWORD"``, ``"TRANSPARENT"`` or ``"DUAL"``. PASSWORD
    and DUAL need a verifier; TRANSPARENT relies on the (always open) emulated wallet.
    """

    mode: str | None = None
    metadata: bool = False
    data: bool = False
    columns: bool = False
    verifier: PasswordVerifier | None = None

    def __post_init__(self) -> None:
        if self.mode is not None and self.mode not in ENCRYPTION_MODES:
            raise ValueError(f"mode must be one of {ENCRYPTION_MODES} or None")
        if self.mode in ("PASSWORD", "DUAL") and self.verifier is None:
            raise ValueError(f"ENCRYPTION_MODE={self.mode} needs a password verifier")

    @classmethod
    def with_password(
        cls, mode: str, password: str, *, metadata: bool = True, data: bool = True,
        columns: bool = False,
    ) -> Encryption:  # fmt: skip
        """Encryption settings for a password-based mode, storing only the verifier."""
        verifier = PasswordVerifier.create(password)
        return cls(mode, metadata=metadata, data=data, columns=columns, verifier=verifier)

    @property
    def needs_password(self) -> bool:
        """Whether an import must supply ENCRYPTION_PASSWORD (only PASSWORD mode does)."""
        return self.mode == "PASSWORD"


@dataclass(frozen=True, kw_only=True)
class DumpContents:
    """Everything a dump file set carries: header facts plus ``objects`` in export order.

    ``objects`` are JSON-able dicts whose content the job engine decides; they are stored and
    returned unchanged. An object with a ``row_count`` has that many rows kept apart from it,
    streamed rather than held: on writing, ``rows(i)`` yields the rows of ``objects[i]``, each
    the JSON text of one row's values; on reading they go to the caller's ``rows`` callback
    (see :func:`read_dump_set`). ``master_present`` is per file on disk (file 1 only); the value read
    back by :func:`read_dump_set` is True because a readable set always includes its master.
    """

    job_name: str
    job_owner: str
    job_mode: str
    creation_time: _dt.datetime
    guid: str = field(default_factory=new_guid)
    operation: str = "EXPORT"
    db_version: str = "19.0.0.0.0"
    version: str = "19.0.0"
    charset: str = "AL32UTF8"
    charset_id: int = 873
    platform: str = "Linux x86 64-bit"
    language: str = "AMERICAN_AMERICA.AL32UTF8"
    instance: str = "ORCLCDB"
    block_size: int = 4096
    compression: Compression = field(default_factory=Compression)
    encryption: Encryption = field(default_factory=Encryption)
    master_present: bool = True
    objects: list[JsonDict] = field(default_factory=list)
    rows: RowSource | None = field(default=None, compare=False, repr=False)

    @property
    def file_version(self) -> str:
        """The FILE_VERSION item: the Data Pump format number for ``version``."""
        return file_format_version(self.version)


def facts_to_json(contents: DumpContents) -> JsonDict:
    """The header facts (everything but ``objects``) as a JSON-able dict."""
    enc = contents.encryption
    verifier = enc.verifier
    return {
        "job_name": contents.job_name,
        "job_owner": contents.job_owner,
        "job_mode": contents.job_mode,
        "creation_time": contents.creation_time.isoformat(),
        "guid": contents.guid,
        "operation": contents.operation,
        "db_version": contents.db_version,
        "version": contents.version,
        "charset": contents.charset,
        "charset_id": contents.charset_id,
        "platform": contents.platform,
        "language": contents.language,
        "instance": contents.instance,
        "block_size": contents.block_size,
        "compression": {
            "metadata": contents.compression.metadata,
            "data": contents.compression.data,
            "algorithm": contents.compression.algorithm,
        },
        "encryption": {
            "mode": enc.mode,
            "metadata": enc.metadata,
            "data": enc.data,
            "columns": enc.columns,
            "verifier": None
            if verifier is None
            else {"salt": verifier.salt, "digest": verifier.digest, "iter": verifier.iterations},
        },
    }


def facts_from_json(data: JsonDict, *, master_present: bool, objects: list[JsonDict]) -> DumpContents:
    """Rebuild :class:`DumpContents` from :func:`facts_to_json` output (KeyError if malformed)."""
    comp = data["compression"]
    enc = data["encryption"]
    ver = enc["verifier"]
    verifier = None if ver is None else PasswordVerifier(ver["salt"], ver["digest"], ver["iter"])
    return DumpContents(
        job_name=data["job_name"],
        job_owner=data["job_owner"],
        job_mode=data["job_mode"],
        creation_time=_dt.datetime.fromisoformat(data["creation_time"]),
        guid=data["guid"],
        operation=data["operation"],
        db_version=data["db_version"],
        version=data["version"],
        charset=data["charset"],
        charset_id=data["charset_id"],
        platform=data["platform"],
        language=data["language"],
        instance=data["instance"],
        block_size=data["block_size"],
        compression=Compression(comp["metadata"], comp["data"], comp["algorithm"]),
        encryption=Encryption(enc["mode"], enc["metadata"], enc["data"], enc["columns"], verifier=verifier),
        master_present=master_present,
        objects=objects,
    )
