"""Jetty versions: parsing, the family that decides defaults, and detection from JETTY_HOME.

Detection reads files only (no Java): start.jar's manifest ``Implementation-Version`` (what
start.jar itself reports), the jar's ``build.properties`` / maven ``pom.properties``,
``VERSION.txt``, then ``lib/jetty-server-<version>.jar`` names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jettycfg.errors import UsageError

if TYPE_CHECKING:
    import zipfile

# A qualifier (".v20241219", "-beta1") only after a full major.minor.micro: "12.x.y" is no version.
_VERSION = re.compile(r"^(\d+)(?:\.(\d+)(?:\.(\d+)(?:[.-]([A-Za-z0-9._-]+))?)?)?$")


@dataclass(frozen=True, order=True)
class JettyVersion:
    """A Jetty version; ``minor``/``micro`` are None when the user gave only ``9.4`` or ``12``."""

    major: int
    minor: int | None = None
    micro: int | None = None

    @classmethod
    def parse(cls, text: str) -> JettyVersion:
        raw = text.strip()
        if raw.lower().startswith("jetty-"):
            raw = raw[6:]
        match = _VERSION.match(raw)
        if not match or not 9 <= int(match.group(1)) <= 12:
            raise UsageError(f"not a Jetty version (9.4, 10, 11 or 12 expected): {text!r}")
        major, minor, micro = (int(g) if g is not None else None for g in match.groups()[:3])
        assert major is not None
        if major == 9 and minor is not None and minor < 3:
            raise UsageError(f"Jetty {major}.{minor} is not supported (9.3 or later)")
        return cls(major, minor, micro)

    def __str__(self) -> str:
        parts = [self.major, self.minor, self.micro]
        return ".".join(str(p) for p in parts if p is not None)

    @property
    def family(self) -> str:
        """'9.4' (9.3 and 9.4 read ssl settings alike), '10', '11' or '12'."""
        return "9.4" if self.major == 9 else str(self.major)

    @property
    def has_ssl_context_module(self) -> bool:
        """Jetty 12.1 moved the jetty.sslContext.* settings into their own ``ssl-context`` module
        (``modules/ssl-context.mod``); 12.0 and older keep them in ``ssl.mod``."""
        return (self.major, self.minor or 0) >= (12, 1)

    @property
    def exact(self) -> bool:
        return self.micro is not None or (self.major >= 10 and self.minor is not None)

    def needs_endpoint_workaround(self) -> bool | None:
        """True for 9.4.15-9.4.18 (server side forces HTTPS endpoint identification).

        None when the version is too vague to tell (``9.4``).
        """
        if self.major != 9:
            return False
        if self.minor is None or self.micro is None:
            return None if self.minor in (None, 4) else False
        return self.minor == 4 and 15 <= self.micro <= 18


def _version_in_text(text: str) -> str | None:
    match = re.search(r"(?:jetty-)?(\d+\.\d+\.\d+(?:\.v\d+|[.-][A-Za-z0-9]+)?)", text)
    return match.group(1) if match else None


def _from_start_jar(jar: Path) -> str | None:
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(jar) as archive:
            names = set(archive.namelist())
            if "META-INF/MANIFEST.MF" in names:
                manifest = _member(archive, "META-INF/MANIFEST.MF")
                for key in ("Implementation-Version", "Bundle-Version"):
                    match = re.search(rf"^{key}:\s*(\S+)", manifest, re.M)
                    if match:
                        return match.group(1)
            for name in (
                "org/eclipse/jetty/start/build.properties",
                "META-INF/maven/org.eclipse.jetty/jetty-start/pom.properties",
            ):
                if name in names:
                    props = _member(archive, name)
                    match = re.search(r"^(?:buildNumber|version)=(\S+)", props, re.M)
                    if match:
                        return match.group(1)
    except (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile):
        return None  # not a readable jar
    except zlib.error:
        return None
    return None


def _member(archive: zipfile.ZipFile, name: str) -> str:
    """A small text member, read at most 1 MB (a crafted start.jar may inflate to gigabytes)."""
    with archive.open(name) as handle:
        return handle.read(1 << 20).decode("utf-8", "replace")


def detect_version(home: Path) -> JettyVersion:
    """Detect the version of the Jetty installed in ``home`` (JETTY_HOME)."""
    if not home.is_dir():
        raise UsageError(f"Jetty home is not a folder: {home}")
    found = None
    jar = home / "start.jar"
    if jar.is_file():  # a FIFO or device would block or never end
        found = _from_start_jar(jar)
    if found is None and (home / "VERSION.txt").is_file():
        with (home / "VERSION.txt").open(encoding="utf-8", errors="replace") as handle:
            found = _version_in_text(handle.readline())
    if found is None and (home / "lib").is_dir():
        for jar_path in sorted((home / "lib").glob("jetty-server-*.jar")):
            found = _version_in_text(jar_path.name[len("jetty-server-") :])
            if found:
                break
    if found is None:
        raise UsageError(
            f"cannot tell the Jetty version of {home} (no start.jar, VERSION.txt or lib jars)"
        )
    return JettyVersion.parse(found)
