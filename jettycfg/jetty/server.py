"""A model of the Jetty server a JETTY_BASE describes: does it start, what does it ask of
clients, and which trust anchors does it hold. Predicts per certificate what Jetty does."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from jettycfg import memo
from jettycfg.errors import StoreError, WrongPasswordError
from jettycfg.ini.model import IniDocument
from jettycfg.jetty import schema
from jettycfg.jetty.base import EffectiveConfig, evaluate, load_effective
from jettycfg.jetty.clientauth import ClientAuth
from jettycfg.jetty.keymanager import _password, _where, key_manager_findings
from jettycfg.jetty.masking import scrubbed, secret_values
from jettycfg.jetty.modules import module_findings
from jettycfg.jetty.numeric import numeric_findings
from jettycfg.jetty.schema import SC
from jettycfg.jetty.sni import sni_findings
from jettycfg.jetty.ssl import StoreSetting, store_settings
from jettycfg.jetty.version import JettyVersion
from jettycfg.rules import Finding, Severity
from jettycfg.rules.chains import JC450
from jettycfg.rules.ini import JC105, JC107, JC111, JC113, JC114
from jettycfg.rules.server import JC201, JC209, JC214, JC215, JC217
from jettycfg.rules.stores import JC301, JC302, JC303, JC304, JC305, JC306, JC308
from jettycfg.stores import files
from jettycfg.stores.javacompat import java_cannot_open
from jettycfg.stores.model import Store, StoreFormat
from jettycfg.trust import pkix
from jettycfg.trust.algorithms import DEFAULT_JAVA

if TYPE_CHECKING:
    from cryptography import x509

ASSUMED_VERSION = JettyVersion(9, 4)


@dataclass
class LoadedStore:
    setting: StoreSetting
    store: Store | None = None
    password: str | None = None
    error: str | None = None  # why Jetty cannot open it (then Jetty does not start)


@dataclass
class ServerModel:
    base: Path
    version: JettyVersion
    version_known: bool
    java: int
    config: EffectiveConfig
    client_auth: ClientAuth
    endpoint_identification: str | None
    keystore: LoadedStore
    truststore: LoadedStore
    anchors: pkix.Anchors | None
    findings: list[Finding] = field(default_factory=list)  # found while modelling

    @property
    def starts(self) -> bool:
        return not any(f.rule in START_FAILURES for f in self.findings)

    def start_failure(self) -> Finding | None:
        return next((f for f in self.findings if f.rule in START_FAILURES), None)


# Rules whose finding means Jetty does not start (every certificate: accepted false).
START_FAILURES = {JC301, JC302, JC303, JC306, JC308, JC105, JC107, JC111, JC114, JC214}
NO_TLS = (JC305, JC113, JC215)  # Jetty starts, and serves no TLS (or has nothing to present)


def _compatible(declared: str, real: StoreFormat, java: int) -> bool:
    """keystore.type.compat: JKS opens PKCS#12 (Java 8+), PKCS12 opens JKS (Java 9+)."""
    d = declared.strip().upper()
    if d == real.value:
        return True
    if d == "JKS" and real is StoreFormat.PKCS12:
        return True
    return d in ("PKCS12", "PKCS#12") and real is StoreFormat.JKS and java >= 9


def _open(setting: StoreSetting, java: int, model_findings: list[Finding]) -> LoadedStore:
    """Open a store as Jetty does at start; every reason it cannot becomes a finding."""
    loaded = LoadedStore(setting)
    file, line = _where(setting.path_property)
    role = setting.role
    if setting.path is None:
        loaded.error = f"no {role} is configured"
        model_findings.append(
            Finding(
                JC301, Severity.ERROR, f"no {role} configured: Jetty does not start", file, line
            )
        )
        return loaded
    loaded.password = _password(setting.password)
    try:
        data = files.read_bytes(setting.path)
        real = files.detect(data)
    except StoreError as exc:
        loaded.error = str(exc)
        model_findings.append(
            Finding(
                JC301,
                Severity.ERROR,
                f"the {role} {setting.path} cannot be opened ({_short(exc)}): Jetty does not start",
                file,
                line,
                "create it or fix the path",
            )
        )
        return loaded
    if _type_refused(loaded, real, java, model_findings):
        return loaded
    _parse(loaded, data, model_findings)
    return loaded


def _type_refused(
    loaded: LoadedStore, real: StoreFormat, java: int, model_findings: list[Finding]
) -> bool:
    """JC303 when Java cannot open the file as the declared type, JC304 when it opens it
    anyway (keystore.type.compat); True when Jetty stops here."""
    setting, role = loaded.setting, loaded.setting.role
    t_file, t_line = (
        _where(setting.type_property) if setting.type_property else _where(setting.path_property)
    )
    if real not in (StoreFormat.JKS, StoreFormat.PKCS12, StoreFormat.JCEKS) or not _compatible(
        setting.type, real, java
    ):
        loaded.error = f"declared {setting.type}, but the file is {real.value}"
        model_findings.append(
            Finding(
                JC303,
                Severity.ERROR,
                f"the {role} is declared "
                f"{setting.type} but the file is {real.value}: Java "
                f"{java} cannot open it, Jetty does not start",
                t_file,
                t_line,
                f"set the type to {real.value}",
            )
        )
        return True
    if setting.type.strip().upper() != real.value:
        model_findings.append(
            Finding(
                JC304,
                Severity.WARNING,
                f"the {role} is declared "
                f"{setting.type} but the file is {real.value} (Java "
                f"{java} opens it anyway: keystore.type.compat)",
                t_file,
                t_line,
                f"set the type to {real.value}",
            )
        )
    return False


def _parse(loaded: LoadedStore, data: bytes, model_findings: list[Finding]) -> None:
    """Read the store with its configured password (JC302 wrong password, JC301 unreadable)."""
    setting, role = loaded.setting, loaded.setting.role
    file, line = _where(setting.path_property)
    try:
        loaded.store = files.parse(data, loaded.password)
    except WrongPasswordError:
        p_file, p_line = _where(setting.password) if setting.password else (file, line)
        loaded.error = "wrong password"
        model_findings.append(
            Finding(
                JC302,
                Severity.ERROR,
                f"the {role} password does not open {setting.path}: Jetty does not start",
                p_file,
                p_line,
                "set the store's real password",
            )
        )
    except StoreError as exc:
        loaded.error = str(exc)
        model_findings.append(
            Finding(
                JC301,
                Severity.ERROR,
                f"the {role} {setting.path} cannot be read ({_short(exc)}): Jetty does not start",
                file,
                line,
            )
        )
    refusal = java_cannot_open(loaded.store) if loaded.store is not None else None
    if refusal:
        loaded.store, loaded.error = None, f"Java cannot open it: {refusal}"
        model_findings.append(
            Finding(
                JC308,
                Severity.ERROR,
                f"Java cannot open the {role} {setting.path} ({refusal}): Jetty does not start",
                file,
                line,
                "rewrite it: jettycfg store convert (AES-256, HmacSHA256)",
            )
        )


def _short(exc: Exception) -> str:
    return str(exc).split(": ")[-1]


def model_server(
    base: Path,
    version: JettyVersion | None,
    java: int = DEFAULT_JAVA,
    docs: list[IniDocument] | None = None,
) -> ServerModel:
    """Read the base (``docs``: its ini files, when already read) and its stores the way Jetty
    ``version`` on Java ``java`` would."""
    version_known = version is not None
    use = version or ASSUMED_VERSION
    config = evaluate(docs, base, use) if docs is not None else load_effective(base, use)
    need = schema.is_true(config.xml(SC + "needClientAuth"), use)
    want = schema.is_true(config.xml(SC + "wantClientAuth"), use)
    mode = ClientAuth.of(need, want)
    eia = config.xml(SC + "endpointIdentificationAlgorithm")
    findings: list[Finding] = []
    for error in config.errors:
        findings.append(Finding(JC105, Severity.ERROR, error))
    findings += numeric_findings(config)
    if version_known:
        findings += module_findings(config, use)
    keystore_setting, truststore_setting = store_settings(config, use)
    keystore = _open(keystore_setting, java, findings)
    if truststore_setting.keystore_as_truststore:
        truststore = LoadedStore(
            truststore_setting, keystore.store, keystore.password, keystore.error
        )
    else:
        truststore = _open(truststore_setting, java, findings)
    anchors = None
    if truststore.store is not None:
        anchors = pkix.Anchors(
            [e.certs[0] for e in truststore.store.entries if e.anchor and e.certs]
        )
    model = ServerModel(
        base,
        use,
        version_known,
        java,
        config,
        mode,
        eia.value if eia is not None else None,
        keystore,
        truststore,
        anchors,
        findings,
    )
    key_manager_findings(model)
    sni_findings(model)
    if _from_121(use) and schema.is_true(config.xml(SC + "validateCertificates"), use):
        prop = config.xml(SC + "validateCertificates")
        findings.append(Finding(JC214, Severity.ERROR, VALIDATE_CERTS, *_where(prop), NO_VALIDATE))
    model.findings = scrubbed(model.findings, secret_values(config))
    return model


def verdict(
    model: ServerModel, chain: list[x509.Certificate], params: pkix.TrustParams
) -> pkix.ChainVerdict:
    """What this server does with ``chain`` in a handshake."""
    gate = _server_gate(model)
    if gate.verdict is not None:
        return gate.verdict
    assert model.anchors is not None
    found = pkix.judge(chain, model.anchors, params)
    if found.accepted and gate.revocation:
        revoked = pkix.Problem(
            JC209,
            "validatePeerCertificates=true turns on revocation checking, hard-fail, and "
            "no CRL or OCSP source is configured: Java rejects the certificate",
            "remove jetty.sslContext.validatePeerCertificates (or configure CRL/OCSP in XML)",
        )
        return pkix.ChainVerdict(False, (*found.problems, revoked), found.path, found.pinned)
    return found


class _Gate(NamedTuple):
    """What every chain of a run gets from the server before and after its own check."""

    verdict: pkix.ChainVerdict | None  # Jetty does not start, asks for no certificate, no TLS
    revocation: bool  # validatePeerCertificates: revocation checked, hard-fail
    refusal: Finding | None  # every request gets HTTP 400 (JC217): no login reaches JOC


def _server_gate(model: ServerModel) -> _Gate:
    """The same for every chain of a run, found once per model in it - again when what it
    reads changed (a finding added, client auth set: a library caller may adjust the model
    between calls)."""
    table = memo.table("server_gate", 1_000)
    state = (model.client_auth, len(model.findings), model.version, id(model.config))
    found = table.get(id(model))
    if found is None or found[0] is not model or found[1] != state:  # the model is held
        refusal = next(
            (f for f in model.findings if f.rule is JC217 and f.severity is Severity.ERROR), None
        )
        gate = _Gate(_gate(model), revocation_checked(model), refusal)
        found = table[id(model)] = (model, state, gate)
    result: _Gate = found[2]
    return result


def login_refusal(model: ServerModel) -> Finding | None:
    """The finding that every request gets HTTP 400, so that no login reaches JOC (JC217)."""
    return _server_gate(model).refusal


def _gate(model: ServerModel) -> pkix.ChainVerdict | None:
    failure = model.start_failure()
    if failure is not None:
        return pkix.ChainVerdict(
            False,
            (pkix.Problem(JC450, f"Jetty would not start: {failure.message}", failure.fix),),
        )
    if model.client_auth is ClientAuth.OFF:
        return pkix.ChainVerdict(
            False,
            (
                pkix.Problem(
                    JC201,
                    "client auth is off: Jetty never asks for a client certificate, so JOC "
                    "never sees this one",
                    "jettycfg client-auth need (or want)",
                ),
            ),
        )
    no_tls = next((f for f in model.findings if f.rule in NO_TLS), None)
    if no_tls is not None:  # starts, then serves no TLS (or no certificate to present)
        return pkix.ChainVerdict(False, (pkix.Problem(JC450, no_tls.message),))
    return None


def _from_121(version: JettyVersion) -> bool:
    """Jetty 12.1 offers validateCertificates / validatePeerCertificates in ini files."""
    return (version.major, version.minor or 0) >= (12, 1)


VALIDATE_CERTS = (
    "validateCertificates=true makes Jetty check its own keystore at start with revocation "
    "checking on and no CRL: it stops ('unable to find valid certification path', real 12.1)"
)
NO_VALIDATE = "remove jetty.sslContext.validateCertificates"


def revocation_checked(model: ServerModel) -> bool:
    """validatePeerCertificates=true (an ini property from Jetty 12.1; earlier XML only)."""
    if not _from_121(model.version):
        return False
    return schema.is_true(model.config.xml(SC + "validatePeerCertificates"), model.version)
