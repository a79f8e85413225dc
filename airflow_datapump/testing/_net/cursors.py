"""REF CURSOR values on the wire: a cursor the database opened, handed to the client.

An OUT bind (or function result) of type SYS_REFCURSOR carries, in ROW_DATA, one length byte
the client skips, the cursor's describe information (the body of a DESCRIBE_INFO message
after its leading skipped bytes) and the ``ub2`` cursor id under which the client will then
send FETCH calls; then the usual ``sb4`` actual-length of an OUT bind. Read in
python-oracledb's thin implementation: messages/base.pyx ``_process_column_data`` (type
CURSOR) and ``_create_cursor_from_describe``. A cursor bound IN is sent by the client as a
``ub4`` flag (0: no cursor yet) followed, when the flag is 1, by the ``ub4`` cursor id
(messages/base.pyx ``_write_bind_params_column``).
"""

from __future__ import annotations

from airflow_datapump.testing._net import replies
from airflow_datapump.testing._net.buffer import Reader, Writer
from airflow_datapump.testing._net.replies import Column

_DESCRIBE_PREFIX = 2  # message type DESCRIBE_INFO and its skipped length byte


def out_image(columns: list[Column], cursor_id: int) -> bytes:
    """The ROW_DATA image of an opened cursor as an OUT bind, including its actual length."""
    describe = replies.describe(columns)[_DESCRIBE_PREFIX:]
    return Writer().u8(1).raw(describe).ub2(cursor_id).sb4(0).getvalue()


def read_in(body: Reader) -> bytes | None:
    """A cursor bind value as the client sends it: the cursor id's bytes, None for none."""
    if body.ub4() == 0:
        return None
    return body.ub4().to_bytes(4, "big")
