"""Importing this module registers every emulated package, type and view with the backend."""

from __future__ import annotations
