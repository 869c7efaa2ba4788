"""Where Jetty looks for its key- and truststore, per version, from an effective configuration.

9.4's XML glues ``${jetty.base}/`` in front of ``keyStorePath`` / ``trustStorePath`` (so an
absolute value breaks) unless ``*AbsolutePath`` (9.4.36+) is set, and defaults both paths to
``etc/keystore``. 10/11/12 resolve the path against ``jetty.base`` and, without a truststore,
use the keystore (with its password and type) as the truststore. There ``*AbsolutePath`` is only
a deprecated name of ``*StorePath`` (their XML: ``deprecated="...AbsolutePath,jetty.keystore"``),
read when the new name is unset; 12 keeps it for the truststore only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from jettycfg.jetty.base import EffectiveConfig, Property
from jettycfg.jetty.schema import SC
from jettycfg.jetty.version import JettyVersion


class StoreRole(str, enum.Enum):
    """Which of the two stores Jetty opens: the server's key, or the client anchors."""

    KEYSTORE = "keystore"
    TRUSTSTORE = "truststore"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


@dataclass(frozen=True)
class StoreSetting:
    role: StoreRole
    path: Path | None
    path_property: Property | None
    type: str
    type_property: Property | None
    password: Property | None  # None: no password configured
    keystore_as_truststore: bool = False
    absolute_path_broken: bool = False  # 9.4 glued jetty.base in front of an absolute path


def _abs_first(version: JettyVersion) -> bool:
    """9.4.36+: ``*AbsolutePath`` wins over ``*StorePath`` (the XML's outer property)."""
    return version.minor != 4 or version.micro is None or version.micro >= 36


def _abs_alias(version: JettyVersion, kind: str) -> bool:
    """10/11 (both stores) and 12 (the truststore): a deprecated name of ``*StorePath``."""
    return version.major in (10, 11) or kind == "trust"


def _path(
    config: EffectiveConfig, version: JettyVersion, kind: str
) -> tuple[Path | None, Property | None, bool]:
    base = config.base
    absolute = config.xml(f"{SC}{kind}StoreAbsolutePath")
    given = absolute is not None and not absolute.is_default
    prop = config.xml(f"{SC}{kind}StorePath")
    if version.family == "9.4":
        if given and _abs_first(version):
            assert absolute is not None
            return Path(absolute.value), absolute, False
        if prop is None:
            return None, None, False
        glued = f"{base}/{prop.value}"
        return Path(glued), prop, Path(prop.value).is_absolute()
    unset = prop is None or prop.is_default or prop.via_alias is not None  # before jetty.keystore
    if given and unset and _abs_alias(version, kind):
        prop = absolute
    if prop is None:
        return None, None, False
    value = Path(prop.value)
    return (value if value.is_absolute() else base / value), prop, False


def store_settings(
    config: EffectiveConfig, version: JettyVersion
) -> tuple[StoreSetting, StoreSetting]:
    """(keystore, truststore) as Jetty ``version`` would open them."""
    k_path, k_prop, k_broken = _path(config, version, "key")
    k_type_prop = config.xml(SC + "keyStoreType")
    k_type = k_type_prop.value if k_type_prop else ("JKS" if version.family == "9.4" else "PKCS12")
    keystore = StoreSetting(
        StoreRole.KEYSTORE,
        k_path,
        k_prop,
        k_type,
        k_type_prop,
        config.xml(SC + "keyStorePassword"),
        absolute_path_broken=k_broken,
    )
    t_path, t_prop, t_broken = _path(config, version, "trust")
    t_type_prop = config.xml(SC + "trustStoreType")
    if t_path is None:
        truststore = StoreSetting(
            StoreRole.TRUSTSTORE,
            k_path,
            k_prop,
            k_type,
            k_type_prop,
            keystore.password,
            keystore_as_truststore=True,
            absolute_path_broken=k_broken,
        )
    else:
        t_type = t_type_prop.value if t_type_prop else k_type
        truststore = StoreSetting(
            StoreRole.TRUSTSTORE,
            t_path,
            t_prop,
            t_type,
            t_type_prop,
            config.xml(SC + "trustStorePassword"),
            absolute_path_broken=t_broken,
        )
    return keystore, truststore
