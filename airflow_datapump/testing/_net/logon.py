"""The logon a connection goes through before its first call: O5LOGON's two phases.

Kept apart from :mod:`.session`, which serves the calls a logged-on session makes: the
handshake has its own state (the challenge of phase one, the program name the client gave)
that no later call reads, and the rules of who may log on are the engine's, asked once the
password is proven.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from airflow_datapump.testing._engine import ConnectRequest, Engine, OracleErrorLike, SessionRef
from airflow_datapump.testing._net import o5logon, replies
from airflow_datapump.testing._net.buffer import ProtocolError
from airflow_datapump.testing._net.requests import Call
from airflow_datapump.testing._plsql.errors import ora_line

log = logging.getLogger(__name__)
AUTH_SYSDBA, AUTH_SYSOPER = 0x20, 0x40
#: Looks up a user's stored verifier in a service's database; None for unknown users.
VerifierLookup = Callable[[str, str], str | None]


class DisconnectError(Exception):
    """The client logged off or must be dropped; the connection ends after any reply."""


class Logon:
    """One connection's O5LOGON: phase one hands out a challenge, phase two proves the
    password against it and opens the engine session."""

    def __init__(self, engine: Engine, service: str, verifier: VerifierLookup) -> None:
        self.engine = engine
        self.service = service
        self._verifier = verifier
        self._challenge: o5logon.Challenge | None = None
        self._program: str | None = None

    def phase_one(self, call: Call) -> bytes:
        self._program = call.auth_pairs.get("AUTH_PROGRAM_NM")
        stored = self._verifier(self.service, _canonical(call.auth_user or ""))
        self._challenge = o5logon.Challenge(stored) if stored else o5logon.Challenge.for_unknown_user()
        return replies.parameters(self._challenge.parameters()) + replies.call_end()

    def phase_two(self, call: Call) -> tuple[bytes, SessionRef | None]:
        """The reply, and the session opened (None when the logon is refused)."""
        if self._challenge is None:
            raise ProtocolError("logon phase two before phase one")
        pairs = call.auth_pairs
        try:
            password, response = self._challenge.verify(
                pairs.get("AUTH_SESSKEY", ""),
                pairs.get("AUTH_PBKDF2_SPEEDY_KEY", ""),
                pairs.get("AUTH_PASSWORD", ""),
            )
        except o5logon.LogonRefusedError as exc:
            log.info("logon of %s refused: %s", call.auth_user, exc)
            return replies.call_end(error=1017, message=ora_line(1017)), None
        mode = 2 if call.auth_mode & AUTH_SYSDBA else 4 if call.auth_mode & AUTH_SYSOPER else 0
        request = ConnectRequest(
            service_name=self.service,
            user=call.auth_user,
            password=password,
            mode=mode,
            program=self._program,
        )
        try:
            session = self.engine.connect(request)
        except Exception as exc:
            if isinstance(exc, OracleErrorLike) and exc.prefix == "DPY":
                raise DisconnectError(f"logon refused by the database: {exc.message}") from exc
            raise
        version = self.engine.server_version(session)
        sid, serial = getattr(session, "sid", 1), getattr(session, "serial", 1)
        reply = (
            replies.parameters(replies.logon_parameters(sid, serial, version, response)) + replies.call_end()
        )
        return reply, session


def _canonical(user: str) -> str:
    if len(user) > 1 and user[0] == user[-1] == '"':
        return user[1:-1]
    return user.upper()
