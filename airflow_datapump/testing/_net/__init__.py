"""Oracle Net (TNS packets carrying TTC messages) as a server speaks it to python-oracledb.

The protocol only: packets, message encodings, type formats and O5LOGON. The bridge to the
emulated database (:mod:`.session`) talks to it solely through the ``Engine`` protocol.
"""
