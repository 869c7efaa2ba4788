"""Which property names the key- and truststore Jetty opens, when both ``*StorePath`` and
``*AbsolutePath`` (or only one) are set - checked against each real Jetty home's own
etc/jetty-ssl-context.xml: 9.4.36+ reads ``*AbsolutePath`` as the outer property (it wins);
10/11 list it in ``deprecated=`` of ``*StorePath`` (read only when the new name is unset); 12
keeps that for the truststore only."""

from __future__ import annotations

import re
from pathlib import Path

from jettycfg.ini.model import parse_bytes
from jettycfg.jetty.base import evaluate
from jettycfg.jetty.ssl import store_settings
from jettycfg.jetty.version import detect_version

SC = "jetty.sslContext."
BASE = Path("/srv/base")


def _xml_reads_absolute(home: Path, kind: str) -> str:
    """'first' (the outer property), 'alias' (a deprecated name) or 'no', from the real XML."""
    xml = (home / "etc" / "jetty-ssl-context.xml").read_text()
    if f'<Property name="{SC}{kind}StoreAbsolutePath">' in xml:
        return "first"
    element = re.search(rf'<Property name="{SC}{kind}StorePath"[^>]*>', xml)
    assert element is not None, f"{home}: no {kind}StorePath property"
    deprecated = re.search(r'deprecated="([^"]*)"', element.group(0))
    names = deprecated.group(1).split(",") if deprecated else []
    return "alias" if f"{SC}{kind}StoreAbsolutePath" in names else "no"


def _opened(home: Path, ini: str) -> tuple[Path | None, Path | None]:
    version = detect_version(home)
    config = evaluate([parse_bytes(ini.encode(), BASE / "start.ini")], BASE, version)
    keystore, truststore = store_settings(config, version)
    return keystore.path, truststore.path


def test_absolute_path_precedence_follows_each_real_xml(any_jetty_home: Path) -> None:
    home = any_jetty_home
    for kind in ("key", "trust"):
        how = _xml_reads_absolute(home, kind)
        index = 0 if kind == "key" else 1
        both = f"{SC}{kind}StorePath=etc/named.p12\n{SC}{kind}StoreAbsolutePath=/abs/other.p12\n"
        only = f"{SC}{kind}StoreAbsolutePath=/abs/other.p12\n"
        opened_both = _opened(home, both)[index]
        opened_only = _opened(home, only)[index]
        if how == "first":  # 9.4: the absolute path wins
            assert opened_both == Path("/abs/other.p12"), (home, kind)
        else:  # the new name wins
            assert opened_both == BASE / "etc" / "named.p12", (home, kind)
        if how == "no":  # ignored: the default (or, for the truststore, the keystore) instead
            assert opened_only != Path("/abs/other.p12"), (home, kind)
        else:
            assert opened_only == Path("/abs/other.p12"), (home, kind)
