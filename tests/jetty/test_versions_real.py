"""Every Jetty line JOC ships (9.4, 10.0, 11.0, 12.0, 12.1), real: a base made by `init` starts and
serves TLS in both layouts with the ini lines of that version's own module templates, and
`client-auth need|want|off` behaves on a real handshake, idempotently."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from jettycfg.cli import run
from jettycfg.ini.model import LineKind, read_ini
from tests.conftest import JETTY_LINES, require_jetty_home
from tests.jetty.test_real_jetty import outcome
from tests.jettyrun import exchange, free_port, https_get, running_jetty, serves_tls
from tests.pki import Pki, make_pki, write_stores

pytestmark = pytest.mark.jetty

_SECTION = re.compile(r"^\[([a-z-]+)\]\s*$")
_TEMPLATE_KEY = re.compile(r"^#?\s*([A-Za-z][A-Za-z0-9_.]*)=")


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


def template_keys(home: Path, module: str) -> set[str]:
    """The property names a module's ``[ini-template]`` section lists (commented or not)."""
    mod = home / "modules" / f"{module}.mod"
    section, keys = "", set()
    for line in mod.read_text(encoding="utf-8").splitlines():
        if match := _SECTION.match(line):
            section = match.group(1)
        elif section == "ini-template" and (key := _TEMPLATE_KEY.match(line)):
            keys.add(key.group(1))
    return keys


def written_keys(path: Path) -> tuple[list[str], set[str]]:
    """(modules the file enables, property keys it sets)."""
    doc = read_ini(path)
    modules = [m for m in ("ssl", "ssl-context", "https") if doc.enables_module(m)]
    keys = {line.key for line in doc.lines if line.kind is LineKind.PROPERTY and line.key}
    return modules, keys


def version_of(home: Path) -> str:
    from jettycfg.jetty.version import detect_version

    return str(detect_version(home))


def prepared(line: str, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch) -> tuple:  # type: ignore[type-arg]
    """(Jetty home of ``line``, a base folder holding etc/keystore.p12 + truststore, a port)."""
    home = require_jetty_home(line)
    base = tmp_path / "base"
    write_stores(pki, base / "etc", b"v-pass-1")
    monkeypatch.setenv("VPW", "v-pass-1")
    return home, base, free_port()


def init(base: Path, home: Path, port: int, layout: str, mode: str) -> None:
    argv = ["init", "--base", str(base), "--jetty-version", version_of(home), "--layout", layout]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--client-auth", mode, "--force"]
    argv += ["--keystore", "etc/keystore.p12", "--truststore", "etc/truststore.p12"]
    argv += ["--keystore-password-env", "VPW", "--truststore-password-env", "VPW"]
    assert run(argv) == 0


@pytest.mark.parametrize("layout", ["start.ini", "start.d"])
@pytest.mark.parametrize("line", JETTY_LINES)
def test_init_serves_tls_with_the_versions_own_template_lines(
    line: str, layout: str, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, base, port = prepared(line, tmp_path, pki, monkeypatch)
    init(base, home, port, layout, "need")
    files = (
        sorted((base / "start.d").glob("*.ini")) if layout == "start.d" else [base / "start.ini"]
    )
    has_context_module = (home / "modules" / "ssl-context.mod").exists()
    if layout == "start.d":
        names = {f.name for f in files}
        assert names == {"ssl.ini", "https.ini"} | (
            {"ssl-context.ini"} if has_context_module else set()
        )
    for path in files:
        modules, keys = written_keys(path)
        assert modules, f"{path.name} enables no module"
        allowed = set().union(*(template_keys(home, m) for m in modules))
        if layout == "start.ini" and has_context_module:
            allowed |= template_keys(home, "ssl-context")  # ssl depends on ssl-context
        assert keys <= allowed, f"{path.name}: not in {modules}' [ini-template]: {keys - allowed}"
    client = pki.client.write_pem(tmp_path, "client", pki.ca.cert)
    with running_jetty(home, base, port, timeout=40):
        assert https_get(port, *client).startswith("HTTP/1.1 ")
        status, sent = exchange(port, *client)
    assert sent, "need mode: the server asked for the client certificate"
    assert status.startswith("HTTP/1.1 ")


@pytest.mark.parametrize("line", JETTY_LINES)
def test_client_auth_modes_on_every_jetty(
    line: str, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, base, port = prepared(line, tmp_path, pki, monkeypatch)
    layout = "start.ini" if line == "9.4" else "start.d"  # what init does by default
    init(base, home, port, layout, "off")
    certs = {
        "client": pki.client.write_pem(tmp_path, "client", pki.ca.cert),
        "stranger": pki.stranger.write_pem(tmp_path, "stranger"),
    }
    version = version_of(home)
    observed = {}
    for mode in ("need", "want", "off"):
        assert run(["client-auth", mode, "--base", str(base), "--jetty-version", version]) == 0
        snapshot = {p: p.read_bytes() for p in base.rglob("*.ini")}
        assert run(["client-auth", mode, "--base", str(base), "--jetty-version", version]) == 0
        assert {p: p.read_bytes() for p in base.rglob("*.ini")} == snapshot, "not idempotent"
        text = b"".join(snapshot.values()).decode()
        # the empty endpointIdentificationAlgorithm belongs to 9.4.15-9.4.18 only
        assert not re.search(r"^\s*jetty\.sslContext\.endpointIdentificationAlgorithm", text, re.M)
        with running_jetty(home, base, port, timeout=40):
            observed[mode] = (
                outcome(port),
                outcome(port, *certs["client"]),
                outcome(port, *certs["stranger"]),
            )
    # (connected, certificate sent) per client: none, CA-issued, unknown CA
    assert observed["need"] == ((False, False), (True, True), (False, False))
    assert observed["want"] == ((True, False), (True, True), (False, False))
    assert observed["off"] == ((True, False), (True, False), (True, False))


@pytest.mark.parametrize("line", JETTY_LINES)
def test_a_base_made_by_start_jar_itself(
    line: str, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The world's material: a base laid out by the version's own start.jar (`--add-to-start` on
    9.4, `--add-modules` later), then configured with `ini set` and `client-auth need` only.
    Edits activate the module templates' commented lines in place (no appended copies), and the
    real Jetty asks for and checks the client certificate."""
    home, base, port = prepared(line, tmp_path, pki, monkeypatch)
    add = "--add-to-start=ssl,https" if line == "9.4" else "--add-modules=ssl,https"
    subprocess.run(
        ["java", "-jar", str(home / "start.jar"), f"jetty.home={home}", f"jetty.base={base}", add],
        cwd=base,
        capture_output=True,
        timeout=60,
        check=False,  # Debian's 9.4 start.jar prints its usage after doing the work
    )
    before = {p.name: p.read_text() for p in base.rglob("*.ini")}
    assert any("# jetty.sslContext.needClientAuth=" in t for t in before.values())
    settings = ["jetty.ssl.host=127.0.0.1", f"jetty.ssl.port={port}"]
    for kind in ("key", "trust"):
        settings += [f"jetty.sslContext.{kind}StorePath=etc/{kind}store.p12"]
        settings += [f"jetty.sslContext.{kind}StoreType=PKCS12"]
    # one edit from "does not start" to "starts": a base edit that leaves (or makes) a Jetty
    # that cannot start is refused step by step (issue 8's start guard)
    for key in ("keyStorePassword", "trustStorePassword", "keyManagerPassword"):
        settings.append(f"jetty.sslContext.{key}=v-pass-1")
    assert run(["ini", "set", "--base", str(base), *settings]) == 0
    version = version_of(home)
    assert run(["client-auth", "need", "--base", str(base), "--jetty-version", version]) == 0
    after = {p.name: p.read_text() for p in base.rglob("*.ini")}
    for name, text in after.items():
        for key in ("needClientAuth", "keyStorePath", "trustStorePath"):
            active = re.findall(rf"^jetty\.sslContext\.{key}=", text, re.M)
            assert len(active) <= 1, f"{name}: {key} set twice"
        assert len(text.splitlines()) - len(before.get(name, "").splitlines()) <= 3, name
    client = pki.client.write_pem(tmp_path, "client", pki.ca.cert)
    stranger = pki.stranger.write_pem(tmp_path, "stranger")
    with running_jetty(home, base, port, timeout=40):
        assert outcome(port, *client) == (True, True)
        assert outcome(port, *stranger) == (False, False)
        assert outcome(port) == (False, False)


@pytest.mark.parametrize("line", JETTY_LINES)
def test_a_keystore_whose_key_has_no_certificate_serves_no_tls(
    line: str, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyca's key-only PKCS#12 (test data of pyca/cryptography, password "cryptography") as the
    keystore: every Jetty line starts and serves no TLS (Java's key manager skips a key without
    its certificate), and lint says so (JC305) instead of passing the keystore."""
    import json
    import shutil

    home, base, port = prepared(line, tmp_path, pki, monkeypatch)
    write_stores(pki, base / "etc", b"cryptography")
    monkeypatch.setenv("VPW", "cryptography")
    init(base, home, port, "start.d", "need")
    corpus = Path(__file__).resolve().parents[1] / "corpus" / "stores" / "pyca"
    shutil.copyfile(corpus / "no-cert-key-aes256cbc.p12", base / "etc" / "keystore.p12")
    report = tmp_path / "report.json"
    argv = ["lint", "--base", str(base), "--jetty-home", str(home), "--format", "json"]
    assert run([*argv, "--output", str(report)]) == 1
    found = [f for f in json.loads(report.read_text())["findings"] if f["rule"] == "JC305"]
    assert len(found) == 1 and "no private key with its certificate" in found[0]["message"]
    with running_jetty(home, base, port, timeout=60):
        assert not serves_tls(port)


@pytest.mark.parametrize("line", [x for x in JETTY_LINES if x != "9.4"])
def test_a_jks_keystores_keys_follow_its_new_password_when_jetty_opens_them_with_it(
    line: str, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jetty 10+ opens the keys with keyStorePassword when no keyManagerPassword is set: after
    `store passwd --base` on a JKS keystore the real Jetty still starts and serves TLS (its
    keys took the new password); keytool -storepasswd alone would leave them behind."""
    home, base, port = prepared(line, tmp_path, pki, monkeypatch)
    init(base, home, port, "start.d", "off")
    for ini_file in (base / "start.d").glob("*.ini"):  # as hand-written bases leave it out
        kept = [x for x in ini_file.read_text().splitlines(True) if "keyManagerPassword=" not in x]
        ini_file.write_text("".join(kept))
    jks = base / "etc" / "keystore.jks"
    pw = ["--storepass", "v-pass-1", "--deststorepass", "v-pass-1"]
    src = str(base / "etc" / "keystore.p12")
    at = ["--base", str(base), "--jetty-home", str(home)]
    assert run(["store", "convert", src, str(jks), "--to", "jks", *pw, *at]) == 0
    ini = "".join(p.read_text() for p in sorted((base / "start.d").glob("*.ini")))
    assert "keystore.jks" in ini
    assert not re.search(r"^\s*jetty\.sslContext\.keyManagerPassword", ini, re.M)
    with running_jetty(home, base, port, timeout=60):
        assert serves_tls(port)
    new = ["--storepass", "v-pass-1", "--new-storepass", "n3w-pass", *at]
    assert run(["store", "passwd", str(jks), *new]) == 0
    with running_jetty(home, base, port, timeout=60):
        assert serves_tls(port)


def _starts(home: Path, base: Path, port: int) -> bool:
    try:
        with running_jetty(home, base, port, timeout=60):
            return True
    except RuntimeError:  # Jetty exited
        return False


@pytest.mark.parametrize("line", ["9.4", "12.1"])
@pytest.mark.parametrize("form", ["+{port}", "0{port}", "{port} ", "abc", "0x10", "99999", "-1"])
def test_a_numeric_port_value_starts_jetty_exactly_when_lint_says_so(
    line: str, form: str, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JC107 is a start failure, judged as Java parses (a sign and leading zeros are fine, a
    port outside 0-65535 is not): the old check flagged +8443 and passed 99999, and lint still
    said Jetty starts."""
    import json

    home, base, port = prepared(line, tmp_path, pki, monkeypatch)
    init(base, home, port, "start.ini", "need")
    ini, value = base / "start.ini", form.format(port=port)
    assert f"jetty.ssl.port={port}\n" in ini.read_text()
    ini.write_text(ini.read_text().replace(f"jetty.ssl.port={port}\n", f"jetty.ssl.port={value}\n"))
    report = tmp_path / "report.json"
    argv = ["lint", "--base", str(base), "--jetty-home", str(home), "--format", "json"]
    run([*argv, "--output", str(report), "--fail-on", "never"])
    doc = json.loads(report.read_text())
    predicted = doc["summary"]["jetty_starts"]
    assert predicted == ("JC107" not in {f["rule"] for f in doc["findings"]})
    assert _starts(home, base, port) is predicted


@pytest.mark.parametrize("how", ["--jetty-home", "$JETTY_HOME"])
def test_ini_set_and_unset_judge_the_edit_with_the_bases_jetty_version(
    how: str, tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An absolute keyStorePath is a path of its own on Jetty 10+ (9.4 glues jetty.base in
    front): `ini set` judged every base as 9.4 and refused it (JC301), with no --jetty-version
    / --jetty-home and $JETTY_HOME ignored; real Jetty 12.1 serves TLS with the edit."""
    home, base, port = prepared("12.1", tmp_path, pki, monkeypatch)
    init(base, home, port, "start.d", "off")
    outside = tmp_path / "elsewhere" / "keystore.p12"
    outside.parent.mkdir()
    outside.write_bytes((base / "etc" / "keystore.p12").read_bytes())
    version = ["--jetty-home", str(home)] if how == "--jetty-home" else []
    monkeypatch.setenv("JETTY_HOME", str(home)) if how == "$JETTY_HOME" else None
    edit = ["ini", "set", "--base", str(base), f"jetty.sslContext.keyStorePath={outside}"]
    assert run([*edit, *version]) == 0
    with running_jetty(home, base, port, timeout=60):
        assert serves_tls(port)
    (base / "etc" / "keystore.p12").unlink()  # only the absolute path is left to open
    unset = ["ini", "unset", "--base", str(base), "jetty.sslContext.keyStorePath"]
    assert run([*unset, *version]) == 2  # back to etc/keystore.p12, which is gone: refused
