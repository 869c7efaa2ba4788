"""The lossless start-ini model: bytes -> document of lines -> edits -> identical bytes."""

from jettycfg.ini.model import IniDocument, IniLine, LineKind, java_trim, parse_bytes, read_ini

__all__ = ["IniDocument", "IniLine", "LineKind", "java_trim", "parse_bytes", "read_ini"]
