"""Findings for lint: the records live in :mod:`jettycfg.rules` (shared with probe and the
trust engine); this name stays for the lint rooms that import them."""

from __future__ import annotations

from jettycfg.rules import Finding, Severity

__all__ = ["Finding", "Severity"]
