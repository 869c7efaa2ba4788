"""A store's new password (``store passwd --base``) or new file and type (``store convert
--base``) carried into the base that opens it.

Changing the password of a keystore or truststore Jetty opens, and only then the ini file, is
a window in which Jetty cannot start (a restart in between fails). With the base named, the
password properties that open that store are edited in the same transaction as the store: the
start guard judges the base with the new store (``stores.files.pending``), so the edit is
refused when the base would not start with both changes, and nothing is half-switched.
"""

from __future__ import annotations

import os
from pathlib import Path

from jettycfg.errors import PasswordError, UsageError
from jettycfg.fsio import FileChange
from jettycfg.jetty.base import EffectiveConfig, Property, evaluate
from jettycfg.jetty.edit import Workspace
from jettycfg.jetty.obf import obfuscate, reveal
from jettycfg.jetty.schema import SC, is_secret
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


def _opening(
    ws: Workspace, store: Path, version: JettyVersion | None
) -> tuple[EffectiveConfig, tuple[StoreSetting, StoreSetting], list[StoreSetting]]:
    """The base's configuration, its (keystore, truststore) settings, and the settings that
    open ``store`` (UsageError when none does)."""
    ws.version = version
    config = evaluate(ws.docs, ws.root, version or ASSUMED)
    keystore, truststore = store_settings(config, version or ASSUMED)
    opened = [s for s in (keystore, truststore) if _same_file(s.path, store)]
    if not opened:
        raise UsageError(
            f"{store} is neither the keystore nor the truststore of {ws.root}; nothing written"
        )
    return config, (keystore, truststore), opened


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
    config, (keystore, _), opened = _opening(ws, store, version)
    wanted: dict[str, str] = {}
    for setting in opened:
        key = f"{SC}{_kind(setting)}StorePassword"
        wanted[key] = _form(setting.password, key, password)
    if keystore in opened:
        manager = config.xml(SC + "keyManagerPassword")
        key = SC + "keyManagerPassword"
        if pkcs12 and manager is not None and manager.origin is not None:
            wanted[key] = _form(manager, key, password)  # a PKCS#12 key has the store's password
        elif not pkcs12 and new_keypass is not None:
            wanted[key] = _form(manager, key, new_keypass)
    return [key for key, value in wanted.items() if ws.set(key, value)]


def keys_follow(base: Path, store: Path, version: JettyVersion | None) -> bool:
    """Whether the base opens the keys of ``store`` with its store password: it is the base's
    keystore and no keyManagerPassword is set (Jetty 10+ then uses keyStorePassword; 9.4 has
    a default of its own, "keypwd"). UsageError when the base does not open ``store``."""
    config, (keystore, _), opened = _opening(Workspace.for_base(base), store, version)
    return keystore in opened and config.xml(SC + "keyManagerPassword") is None


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


def _opens_with(prop: Property | None, password: str) -> bool:
    """Whether the configured password already is ``password`` (then it is left as it is)."""
    if prop is None:
        return False
    try:
        return reveal(prop.value) == password
    except PasswordError:
        return False


def _kind(setting: StoreSetting) -> str:
    """'key' or 'trust': which properties open the store of ``setting``."""
    keystore = setting.role is StoreRole.KEYSTORE or setting.keystore_as_truststore
    return "key" if keystore else "trust"


def _path_value(
    setting: StoreSetting, kind: str, dst: Path, root: Path, version: JettyVersion
) -> tuple[str, str]:
    """(key, value) that makes Jetty ``version`` open ``dst`` where ``setting`` opened the
    old store: relative to jetty.base when inside it; outside it absolute, but on 9.4 (which
    glues jetty.base in front of any path) relative with '..'."""
    prop = setting.path_property
    if prop is not None and prop.origin is not None and prop.key.endswith("AbsolutePath"):
        return prop.key, str(dst.resolve())
    key = f"{SC}{kind}StorePath"
    target, home = dst.resolve(), root.resolve()
    try:
        return key, target.relative_to(home).as_posix()
    except ValueError:
        if version.family != "9.4":
            return key, str(target)
    try:
        return key, Path(os.path.relpath(target, home)).as_posix()
    except ValueError:  # another drive (Windows): 9.4 cannot reach it
        raise UsageError(
            f"{dst} is on another drive than {root}: Jetty 9.4 reads {key} relative to "
            "jetty.base; convert into a file on the base's drive; nothing written"
        ) from None


def plan_convert(
    ws: Workspace,
    src: Path,
    dst: Path,
    data: bytes,
    password: str,
    fmt: StoreFormat,
    version: JettyVersion | None,
) -> tuple[list[FileChange], list[tuple[str, str]]]:
    """The converted store and the base's edited ini files as changes to write together: every
    store setting that opened ``src`` opens ``dst`` (path, type, password) - the start guard has
    judged the edited base with the new store. Returns the changes and the (key, value) pairs
    set. UsageError when the base does not open ``src``."""
    config, (keystore, truststore), opened = _opening(ws, src, version)
    wanted: dict[str, str] = {}
    inherits = truststore not in opened and truststore.type_property is None
    if keystore in opened and inherits and keystore.type.upper() != fmt.value:
        # a truststore that takes the keystore's type keeps its own when the keystore's changes
        wanted[SC + "trustStoreType"] = truststore.type
    for setting in opened:
        kind = _kind(setting)
        key, value = _path_value(setting, kind, dst, ws.root, version or ASSUMED)
        wanted[key] = value
        if setting.type.upper() != fmt.value:  # Java's KeyStore types ignore case
            wanted[f"{SC}{kind}StoreType"] = fmt.value
        key = f"{SC}{kind}StorePassword"
        if not _opens_with(setting.password, password):
            wanted[key] = _form(setting.password, key, password)
    manager = config.xml(SC + "keyManagerPassword")
    if keystore in opened and manager is not None and manager.origin is not None:
        key = SC + "keyManagerPassword"  # the converted keys have the store's password
        if not _opens_with(manager, password):
            wanted[key] = _form(manager, key, password)
    done = [(key, value) for key, value in wanted.items() if ws.set(key, value)]
    ws.stores = {dst: data}  # the start guard judges the edited base with the new store
    old = files.read_bytes(dst) if dst.exists() else None
    return [FileChange(dst, old, data, 0o600), *ws.changes()], done


def shown(key: str, value: str) -> str:
    """``key=value`` for a report line, a password's value never named."""
    return f"{key} (value not shown)" if is_secret(key) else f"{key}={value}"
