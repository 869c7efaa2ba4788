"""A store's new password carried into the base that opens it (``store passwd --base``).

Changing the password of a keystore or truststore Jetty opens, and only then the ini file, is
a window in which Jetty cannot start (a restart in between fails). With the base named, the
password properties that open that store are edited in the same transaction as the store: the
start guard judges the base with the new store (``stores.files.pending``), so the edit is
refused when the base would not start with both changes, and nothing is half-switched.
"""

from __future__ import annotations

import os
from pathlib import Path

from jettycfg.errors import UsageError
from jettycfg.fsio import FileChange
from jettycfg.jetty.base import Property, evaluate
from jettycfg.jetty.edit import Workspace
from jettycfg.jetty.obf import obfuscate
from jettycfg.jetty.schema import SC
from jettycfg.jetty.ssl import StoreRole, StoreSetting, store_settings
from jettycfg.jetty.version import JettyVersion
from jettycfg.stores import files
from jettycfg.stores.model import StoreFormat

ASSUMED = JettyVersion.parse("9.4")  # what Workspace's start check assumes without a version


def _same_file(a: Path | None, b: Path) -> bool:
    if a is None:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _form(prop: Property | None, key: str, password: str) -> str:
    """The new password written the way the old one was (OBF stays OBF)."""
    obf = prop is not None and prop.origin is not None and prop.raw.startswith("OBF:")
    if "${" in password and not obf:
        raise UsageError(
            f"the new password contains '${{', which start.jar would expand in {key}: "
            "choose another, or write the current one as OBF first; nothing written"
        )
    if prop is None or prop.origin is None:
        return password
    if "${" in prop.raw:
        raise UsageError(
            f"{key} takes its value from a ${{...}} reference: change the referenced property "
            "(jettycfg ini set), then run store passwd without --base; nothing written"
        )
    return obfuscate(password) if prop.raw.startswith("OBF:") else password


def _opened_by(settings: tuple[StoreSetting, ...], store: Path) -> list[StoreSetting]:
    return [s for s in settings if _same_file(s.path, store)]


def carry_password(
    ws: Workspace,
    store: Path,
    password: str,
    *,
    pkcs12: bool,
    new_keypass: str | None,
    version: JettyVersion | None,
) -> list[str]:
    """Edit ``ws`` in memory so that the base opens ``store`` with ``password``; returns the
    keys set (values never named). UsageError when the base does not open that store."""
    ws.version = version
    config = evaluate(ws.docs, ws.root, version or ASSUMED)
    keystore, truststore = store_settings(config, version or ASSUMED)
    opened = _opened_by((keystore, truststore), store)
    if not opened:
        raise UsageError(
            f"{store} is neither the keystore nor the truststore of {ws.root}; nothing written"
        )
    wanted: dict[str, str] = {}
    for setting in opened:
        kind = (
            "key"
            if setting.role is StoreRole.KEYSTORE or setting.keystore_as_truststore
            else "trust"
        )
        key = f"{SC}{kind}StorePassword"
        wanted[key] = _form(setting.password, key, password)
    if keystore in opened:
        manager = config.xml(SC + "keyManagerPassword")
        key = SC + "keyManagerPassword"
        if pkcs12 and manager is not None and manager.origin is not None:
            wanted[key] = _form(manager, key, password)  # a PKCS#12 key has the store's password
        elif not pkcs12 and new_keypass is not None:
            wanted[key] = _form(manager, key, new_keypass)
    return [key for key, value in wanted.items() if ws.set(key, value)]


def plan_passwd(
    ws: Workspace,
    store: Path,
    data: bytes,
    passwords: tuple[str, str | None],
    fmt: StoreFormat,
    version: JettyVersion | None,
) -> tuple[list[FileChange], list[str]]:
    """The store's new bytes and the base's edited ini files, as changes to write together
    (the start guard has judged them with the new store); and the keys set."""
    new, new_keypass = passwords
    pkcs12 = fmt is StoreFormat.PKCS12
    keys = carry_password(ws, store, new, pkcs12=pkcs12, new_keypass=new_keypass, version=version)
    ws.stores = {store: data}  # the start guard judges the edited base with the new store
    changes = ws.changes()
    return [FileChange(store, files.read_bytes(store), data, 0o600), *changes], keys
