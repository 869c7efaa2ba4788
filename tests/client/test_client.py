"""`jettycfg client`: certificates for JOC accounts, proved by the real parts - a real Jetty 9.4
(need mode) accepts them in a TLS handshake, keytool lists every bundle, NSS's pk12util imports
it, openssl reads the legacy profile - and refused cleanly on bad input, with nothing written."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from jettycfg.cli import run
from tests import chains
from tests.conftest import _require
from tests.jettyrun import accepted, free_port, init_base, running_jetty
from tests.pki import issue, make_pki, write_stores

PW = "client-test-pw"
BUNDLE_PW = "bundle-pw-1"


def _ca_pem(tmp: Path) -> Path:
    ca = issue("Client Test CA", ca=True)
    path = tmp / "ca.pem"
    key = ca.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM) + key)
    return path


def _base(tmp: Path, port: int, monkeypatch: pytest.MonkeyPatch, mode: str = "need") -> Path:
    base = tmp / "base"
    write_stores(make_pki(), base / "etc", PW.encode())
    monkeypatch.setenv("CLIENT_TEST_PW", PW)
    init_base(base, port, mode=mode, password_env="CLIENT_TEST_PW")
    return base


def _client_pem(p12: Path, tmp: Path) -> tuple[Path, Path]:
    """The bundle's contents as PEM, for a TLS client (reads the .p12 like a browser would)."""
    key, cert, chain = pkcs12.load_key_and_certificates(p12.read_bytes(), BUNDLE_PW.encode())
    assert key is not None and cert is not None
    cert_path, key_path = tmp / (p12.stem + ".chain.pem"), tmp / (p12.stem + ".plain.key")
    pem = serialization.Encoding.PEM
    cert_path.write_bytes(b"".join(c.public_bytes(pem) for c in (cert, *chain)))
    key_path.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _issue(*args: str) -> int:
    return run(["client", "issue", *args, "--password", BUNDLE_PW])


@pytest.mark.jetty
@pytest.mark.parametrize("key_type", ["ec256", "rsa2048"])
def test_real_jetty_accepts_both_schemes(
    key_type: str, jetty_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    base = _base(tmp_path, port, monkeypatch)
    ca = _ca_pem(tmp_path)
    out = tmp_path / "out"
    common = ["--base", str(base), "--jetty-version", "9.4.57", "--key-type", key_type]
    assert (
        _issue(
            "--account",
            "ca-signed",
            "--ca",
            str(ca),
            "--out-dir",
            str(out),
            "--add-ca-to-truststore",
            *common,
        )
        == 0
    )
    assert _issue("--account", "self-signed", "--self-signed", "--out-dir", str(out), *common) == 0
    stranger = tmp_path / "stranger"
    assert _issue("--account", "stranger", "--self-signed", "--out-dir", str(stranger)) == 0
    with running_jetty(jetty_home, base, port):
        for name in ("ca-signed", "self-signed"):
            cert, key = _client_pem(out / f"{name}.p12", tmp_path)
            assert accepted(port, cert, key), name
        cert, key = _client_pem(stranger / "stranger.p12", tmp_path)
        assert not accepted(port, cert, key)  # not in the truststore: need mode refuses it
        assert not accepted(port)  # no certificate at all


@pytest.mark.keytool
@pytest.mark.parametrize("profile", ["modern", "legacy"])
def test_keytool_openssl_and_nss_read_every_bundle(profile: str, tmp_path: Path) -> None:
    _require("keytool", shutil.which("keytool") is not None)
    _require("openssl", shutil.which("openssl") is not None)
    _require("NSS pk12util (Debian libnss3-tools)", shutil.which("pk12util") is not None)
    out = tmp_path / "out"
    ca = _ca_pem(tmp_path)
    assert (
        _issue(
            "--account",
            "root",
            "--account",
            "apmacwin",
            "--ca",
            str(ca),
            "--out-dir",
            str(out),
            "--profile",
            profile,
        )
        == 0
    )
    for account in ("root", "apmacwin"):
        p12 = out / f"{account}.p12"
        listing = subprocess.run(
            ["keytool", "-list", "-v", "-keystore", str(p12), "-storepass", BUNDLE_PW],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert f"Alias name: {account}" in listing
        assert "Entry type: PrivateKeyEntry" in listing
        assert "Certificate chain length: 2" in listing
        assert "CN=Client Test CA" in listing
        legacy = ["-legacy"] if profile == "legacy" else []
        text = subprocess.run(
            [
                "openssl",
                "pkcs12",
                "-in",
                str(p12),
                "-passin",
                f"pass:{BUNDLE_PW}",
                "-nokeys",
                *legacy,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert text.returncode == 0, text.stderr
        assert text.stdout.count("BEGIN CERTIFICATE") == 2
        assert f"friendlyName: {account}" in text.stdout
        db = tmp_path / f"nss-{account}"
        db.mkdir()
        subprocess.run(
            ["certutil", "-N", "-d", f"sql:{db}", "--empty-password"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        imported = subprocess.run(
            ["pk12util", "-i", str(p12), "-d", f"sql:{db}", "-W", BUNDLE_PW],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert imported.returncode == 0, imported.stdout + imported.stderr
        certs = subprocess.run(
            ["certutil", "-L", "-d", f"sql:{db}"], capture_output=True, text=True, timeout=60
        ).stdout
        assert account in certs and "Client Test CA" in certs


def test_files_modes_and_subject(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        _issue(
            "--account",
            "ops",
            "--self-signed",
            "--key-type",
            "ec384",
            "--days",
            "30",
            "--rdn",
            "O=SOS",
            "--out-dir",
            str(out),
        )
        == 0
    )
    assert (out / "ops.key").stat().st_mode & 0o777 == 0o600
    assert (out / "ops.p12").stat().st_mode & 0o777 == 0o600
    assert not (out / "ca-chain.pem").exists()  # self-signed: no chain
    cert = x509.load_pem_x509_certificate((out / "ops.crt").read_bytes())
    assert cert.subject.rfc4514_string() == "O=SOS,CN=ops"  # CN is the first RDN in DER order
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and not ku.key_encipherment  # EC: no keyEncipherment
    days = (cert.not_valid_after_utc - cert.not_valid_before_utc).days
    assert days == 30
    key = serialization.load_pem_private_key((out / "ops.key").read_bytes(), BUNDLE_PW.encode())
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()  # type: ignore[union-attr]


def test_self_check_refuses_a_base_that_asks_for_no_certificate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _base(tmp_path, free_port(), monkeypatch, mode="off")
    before = (base / "etc" / "truststore.p12").read_bytes()
    out = tmp_path / "out"
    capsys.readouterr()
    code = _issue(
        "--account",
        "root",
        "--self-signed",
        "--out-dir",
        str(out),
        "--base",
        str(base),
        "--jetty-version",
        "9.4.57",
    )
    text = capsys.readouterr().out
    assert code == 1
    assert "handshake REJECTED" in text and "JC201" in text and "nothing written" in text
    assert not out.exists() or not any(out.iterdir())
    assert (base / "etc" / "truststore.p12").read_bytes() == before  # not even the truststore


def test_dry_run_checks_as_if_written_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Self-signed into the base's truststore: the self-check judges the truststore as it would
    be written (the new certificate pinned), the dry run shows it and writes nothing."""
    base = _base(tmp_path, free_port(), monkeypatch)
    truststore = base / "etc" / "truststore.p12"
    before = truststore.read_bytes()
    out = tmp_path / "out"
    argv = ["--account", "ops", "--self-signed", "--out-dir", str(out), "--base", str(base)]
    argv += ["--jetty-version", "9.4.57"]
    capsys.readouterr()
    assert _issue(*argv, "--dry-run") == 0
    text, err = capsys.readouterr()
    assert "self-check ops: handshake accepted, JOC login possible" in text
    assert f"+++ {out / 'ops.crt'}" in text and "BEGIN CERTIFICATE" in text
    assert f"{out / 'ops.key'}: would create" in text and "PRIVATE KEY" not in text
    assert f"{truststore}: would replace" in text and "dry run: nothing written" in text
    assert "would add to" in err
    assert not out.exists() and truststore.read_bytes() == before
    assert _issue(*argv) == 0
    assert "self-check ops: handshake accepted" in capsys.readouterr().out
    assert (out / "ops.p12").exists() and truststore.read_bytes() != before


def test_csr_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "req"
    argv = ["client", "csr", "--account", "ops", "--out-dir", str(out), "--password", "k-pw-1"]
    capsys.readouterr()
    assert run([*argv, "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "BEGIN CERTIFICATE REQUEST" in text and "PRIVATE KEY" not in text
    assert not out.exists()


def test_ca_not_in_truststore_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _base(tmp_path, free_port(), monkeypatch)
    before = (base / "etc" / "truststore.p12").read_bytes()
    out = tmp_path / "out"
    capsys.readouterr()
    code = _issue(
        "--account",
        "root",
        "--ca",
        str(_ca_pem(tmp_path)),
        "--out-dir",
        str(out),
        "--base",
        str(base),
        "--jetty-version",
        "9.4.57",
    )
    err = capsys.readouterr().err
    assert code == 2 and "--add-ca-to-truststore" in err and err.count("\n") == 1
    assert not out.exists()
    assert (base / "etc" / "truststore.p12").read_bytes() == before


def test_csr_then_bundle_with_the_chain(tmp_path: Path) -> None:
    _require("openssl", shutil.which("openssl") is not None)
    out = tmp_path / "req"
    assert (
        run(
            ["client", "csr", "--account", "auditor", "--out-dir", str(out), "--password", "key-pw"]
        )
        == 0
    )
    ca = _ca_pem(tmp_path)
    signed = tmp_path / "auditor.crt"
    ext = tmp_path / "ext.cnf"
    ext.write_text("extendedKeyUsage=clientAuth\nbasicConstraints=critical,CA:FALSE\n")
    subprocess.run(
        [
            "openssl",
            "x509",
            "-req",
            "-in",
            str(out / "auditor.csr"),
            "-CA",
            str(ca),
            "-CAkey",
            str(ca),
            "-CAcreateserial",
            "-days",
            "30",
            "-out",
            str(signed),
            "-extfile",
            str(ext),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    chain = tmp_path / "chain.pem"
    chain.write_bytes(
        x509.load_pem_x509_certificate(ca.read_bytes()).public_bytes(serialization.Encoding.PEM)
    )
    bundle = tmp_path / "bundle"
    assert (
        run(
            [
                "client",
                "bundle",
                "--key",
                str(out / "auditor.key"),
                "--key-pass",
                "key-pw",
                "--cert",
                str(signed),
                "--chain",
                str(chain),
                "--out-dir",
                str(bundle),
                "--password",
                BUNDLE_PW,
            ]
        )
        == 0
    )
    key, cert, extra = pkcs12.load_key_and_certificates(
        (bundle / "auditor.p12").read_bytes(), BUNDLE_PW.encode()
    )
    assert key is not None and cert is not None and cert.subject.rfc4514_string() == "CN=auditor"
    assert [c.subject.rfc4514_string() for c in extra] == ["CN=Client Test CA"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "a,b"], "split it on commas"),
        (["--account", "a+b"], "'+'"),
        (["--account", "a=b"], "'='"),
        (["--account", " padded"], "blanks"),
        (["--account", "../escaped"], "'/'"),  # was written one folder above --out-dir
        (["--account", "x/y"], "'/'"),
        (["--account", "c:d"], "':'"),  # an NTFS data stream on Windows
        (["--account", ".."], "this name"),
        (["--account", "x", "--ca", "{ca_cert}"], "no private key"),
        (["--account", "x", "--ca", "{not_ca}"], "not a CA"),
        (["--account", "x", "--ca", "{enc_ca}", "--ca-pass", "wrong"], "wrong --ca-pass"),
        (["--account", "x", "--ca", "{ca_p12}", "--ca-pass", "wrong"], "CA bundle"),
        (["--account", "x"], "--ca CA"),
        (["--account", "x", "--truststore-pass", "p"], "but not the truststore itself"),
        (["--account", "x", "--truststore", "{ca_cert}"], "the truststore password is needed"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = issue("Bad Input CA", ca=True)
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.crt").write_bytes(ca.cert.public_bytes(pem))
    leaf = issue("leaf", ca)
    (tmp_path / "leaf.pem").write_bytes(
        leaf.cert.public_bytes(pem)
        + leaf.key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (tmp_path / "enc.pem").write_bytes(
        ca.cert.public_bytes(pem)
        + ca.key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"right")
        )
    )
    (tmp_path / "ca.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ca", ca.key, ca.cert, None, serialization.BestAvailableEncryption(b"right")
        )
    )
    files = {"ca_cert": "ca.crt", "not_ca": "leaf.pem", "enc_ca": "enc.pem", "ca_p12": "ca.p12"}
    argv = [a.format(**{k: str(tmp_path / v) for k, v in files.items()}) for a in args]
    out = tmp_path / "out"
    capsys.readouterr()
    if "--ca" not in argv:
        argv.append("--self-signed" if message != "--ca CA" else "--out-dir")
    code = _issue(*argv, *(["--out-dir", str(out)] if argv[-1] != "--out-dir" else [str(out)]))
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and message in err, err
    assert not out.exists() and not list(tmp_path.glob("escaped*"))


def test_existing_output_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert _issue("--account", "root", "--self-signed", "--out-dir", str(out)) == 0
    first = (out / "root.p12").read_bytes()
    capsys.readouterr()
    assert _issue("--account", "root", "--self-signed", "--out-dir", str(out)) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "root.p12").read_bytes() == first
    assert _issue("--account", "root", "--self-signed", "--out-dir", str(out), "--force") == 0
    assert (out / "root.p12").read_bytes() != first


def test_password_never_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _issue("--account", "root", "--self-signed", "--out-dir", str(tmp_path / "o")) == 0
    captured = capsys.readouterr()
    assert BUNDLE_PW not in captured.out + captured.err


def _lint_bundle(
    lint_base: object, capsys: pytest.CaptureFixture[str], p12: Path, password: str
) -> dict[str, object]:
    _, doc = lint_base.lint(  # type: ignore[attr-defined]
        capsys, "--client-p12", str(p12), "--client-pass", password, "--account", "root"
    )
    (client,) = doc["client_certificates"]
    return client  # type: ignore[no-any-return]


def _rules(client: dict[str, object]) -> set[str]:
    return {p["rule"] for p in client["problems"]}  # type: ignore[attr-defined,index]


def test_lint_rules_for_client_bundles(
    lint_base: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = lint_base.pki  # type: ignore[attr-defined]
    enc = serialization.BestAvailableEncryption(b"pw")
    legacy = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(__import__("cryptography").hazmat.primitives.hashes.SHA1())
        .build(b"pw")
    )
    cases = {
        "good-legacy": (b"root", pki.client.key, [pki.ca.cert], legacy),
        "modern": (b"root", pki.client.key, [pki.ca.cert], enc),
        "no-chain": (b"root", pki.client.key, None, legacy),
        "named-client": (b"client", pki.client.key, [pki.ca.cert], legacy),
    }
    found = {}
    for label, (name, key, chain, protection) in cases.items():
        p12 = tmp_path / f"{label}.p12"
        p12.write_bytes(
            pkcs12.serialize_key_and_certificates(name, key, pki.client.cert, chain, protection)
        )
        found[label] = _lint_bundle(lint_base, capsys, p12, "pw")
    assert _rules(found["good-legacy"]) == set()
    assert found["good-legacy"]["login"]["possible"] is True  # type: ignore[index]
    assert _rules(found["modern"]) == {"JC468"}
    assert _rules(found["no-chain"]) == {"JC467"}
    assert _rules(found["named-client"]) == {"JC469"}
    # cryptography refuses to write a bundle whose key does not match: jettycfg's writer does
    from jettycfg.stores import pkcs12 as writer
    from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat

    other = pki.stranger.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    entry = Entry("root", EntryKind.KEY, [pki.client.cert, pki.ca.cert], key_pkcs8=other)
    wrong = tmp_path / "wrong-key.p12"
    wrong.write_bytes(writer.write(Store(StoreFormat.PKCS12, [entry]), "pw", legacy=True))
    assert _rules(_lint_bundle(lint_base, capsys, wrong, "pw")) == {"JC470"}


def test_issued_bundles_lint_clean(
    lint_base: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = _ca_pem(tmp_path)
    out = tmp_path / "out"
    assert (
        _issue("--account", "root", "--ca", str(ca), "--out-dir", str(out), "--profile", "legacy")
        == 0
    )
    client = _lint_bundle(lint_base, capsys, out / "root.p12", BUNDLE_PW)
    assert _rules(client) & {"JC467", "JC468", "JC469", "JC470"} == set()


_AES256_IV = re.compile(rb"\x06\x09\x60\x86\x48\x01\x65\x03\x04\x01\x2a\x04\x10(.{16})", re.S)
_PBKDF2_SALT = re.compile(
    rb"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0c\x30.\x04\x10(.{16})", re.S
)


def test_one_salt_per_batch_and_a_fresh_iv_per_encryption(tmp_path: Path) -> None:
    """The batch sealing (DEVELOPERS.md): one PBKDF2 salt per `client issue` call, shared by its
    bundles and keys; every IV differs; another call draws another salt."""
    salts, ivs = [], []
    for run_no in range(2):
        out = tmp_path / f"out{run_no}"
        argv = ["--account", "a1", "--account", "a2", "--self-signed", "--out-dir", str(out)]
        assert _issue(*argv) == 0
        data = [(out / f"a{i}.{ext}").read_bytes() for i in (1, 2) for ext in ("p12", "key")]
        blobs = [d if d.startswith(b"0") else _pem_body(d) for d in data]
        salts.append({s for b in blobs for s in _PBKDF2_SALT.findall(b)})
        ivs += [iv for b in blobs for iv in _AES256_IV.findall(b)]
    assert len(salts[0]) == 1 and len(salts[1]) == 1 and salts[0] != salts[1]
    assert len(ivs) == 2 * (2 * 2 + 2) and len(set(ivs)) == len(ivs)  # key+certs per p12, .key


def _pem_body(pem: bytes) -> bytes:
    import base64

    return base64.b64decode(b"".join(pem.strip().splitlines()[1:-1]))


def test_no_file_outside_the_out_dir_from_a_csr_or_a_certificates_cn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`client csr --account ../x` and `client bundle` of a certificate whose CN is ../x wrote
    NAME.key / NAME.p12 one folder above --out-dir; both are refused, nothing written."""
    out = tmp_path / "out"
    capsys.readouterr()
    csr = ["client", "csr", "--account", "../up", "--out-dir", str(out), "--password", "k-pw-1"]
    assert run(csr) == 2
    ca = issue("Bundle CA", ca=True)
    leaf = issue("../evil", ca)
    pem = serialization.Encoding.PEM
    (tmp_path / "leaf.crt").write_bytes(leaf.cert.public_bytes(pem) + ca.cert.public_bytes(pem))
    (tmp_path / "leaf.key").write_bytes(
        leaf.key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    args = ["--key", str(tmp_path / "leaf.key"), "--cert", str(tmp_path / "leaf.crt")]
    assert run(["client", "bundle", *args, "--out-dir", str(out), "--password", BUNDLE_PW]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and err.count("'/'") == 2, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leaf.crt", "leaf.key"]


def test_ca_chain_pem_of_another_ca_needs_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ca-chain.pem is shared by one CA's bundles: the same chain again is fine, another CA's
    chain is refused without --force (it replaced the one earlier bundles rely on)."""
    out, first, second = tmp_path / "out", _ca_pem(tmp_path), tmp_path / "other"
    second.mkdir()
    other = _ca_pem(second)
    assert _issue("--account", "a1", "--ca", str(first), "--out-dir", str(out)) == 0
    chain = (out / "ca-chain.pem").read_bytes()
    assert _issue("--account", "a2", "--ca", str(first), "--out-dir", str(out)) == 0
    capsys.readouterr()
    assert _issue("--account", "a3", "--ca", str(other), "--out-dir", str(out)) == 2
    err = capsys.readouterr().err
    assert "ca-chain.pem exists" in err and err.count("\n") == 1
    assert (out / "ca-chain.pem").read_bytes() == chain and not (out / "a3.p12").exists()
    assert _issue("--account", "a3", "--ca", str(other), "--out-dir", str(out), "--force") == 0
    assert (out / "ca-chain.pem").read_bytes() != chain


def test_force_leaves_no_secret_readable_by_others_and_a_dangling_link_is_no_free_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--force kept a world-readable mode (0644) on the new key and bundle; a dangling link in
    --out-dir was written through without --force; --rdn C=DEU was an internal error."""
    import os

    out = tmp_path / "out"
    assert _issue("--account", "alice", "--self-signed", "--out-dir", str(out)) == 0
    for name in ("alice.key", "alice.p12"):
        (out / name).chmod(0o644)
    assert _issue("--account", "alice", "--self-signed", "--out-dir", str(out), "--force") == 0
    assert {n: (out / n).stat().st_mode & 0o777 for n in ("alice.key", "alice.p12")} == {
        "alice.key": 0o600,
        "alice.p12": 0o600,
    }
    assert (out / "alice.crt").stat().st_mode & 0o777 == 0o644
    victim = tmp_path / "victim"
    victim.mkdir()
    os.symlink(victim / "stolen.key", out / "bob.key")
    capsys.readouterr()
    assert _issue("--account", "bob", "--self-signed", "--out-dir", str(out)) == 2
    assert "bob.key exists" in capsys.readouterr().err and not any(victim.iterdir())
    assert _issue("--account", "c", "--self-signed", "--out-dir", str(out), "--rdn", "C=DEU") == 2
    err = capsys.readouterr().err
    assert err.startswith("jettycfg: error: --rdn C:") and err.count("\n") == 1


def test_the_aki_names_the_cas_own_key_identifier(tmp_path: Path) -> None:
    """A CA whose SKI is not the SHA-1 of its key (written explicitly, RFC 7093 SHA-256): the
    issued certificate's AKI was the SHA-1, which Java does not chain to that CA."""
    ski = x509.SubjectKeyIdentifier(bytes(range(1, 21)))
    ca = chains.new_ca("Custom SKI CA", extra=[(ski, False)])
    pem = serialization.Encoding.PEM
    plain = serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    (tmp_path / "ca.pem").write_bytes(ca.cert.public_bytes(pem) + ca.key.private_bytes(pem, *plain))
    out = tmp_path / "out"
    assert _issue("--account", "bob", "--ca", str(tmp_path / "ca.pem"), "--out-dir", str(out)) == 0
    bob = x509.load_pem_x509_certificate((out / "bob.crt").read_bytes())
    aki = bob.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest


@pytest.mark.parametrize(
    "fault", ["server-eku", "no-digital-signature", "expired", "not-yet-valid", "ca-expired"]
)
def test_bundle_without_a_base_refuses_what_every_jetty_refuses(
    fault: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --base nothing was checked: a serverAuth-only, keyEncipherment-only or expired
    certificate (or one under an expired CA) was bundled, exit 0 - Java refuses each in the
    handshake whatever the truststore (EndEntityChecker, PKIX dates)."""
    import datetime as dt

    old = {"start": chains.NOW - dt.timedelta(days=400), "end": chains.NOW - dt.timedelta(days=30)}
    authority = chains.new_ca("Bundle CA", **(old if fault == "ca-expired" else {}))
    usage: dict[str, object] = {
        "server-eku": {"eku": chains.SERVER},
        "no-digital-signature": {"eku": chains.CLIENT, "ku": {"key_encipherment": True}},
    }.get(fault, {"eku": chains.CLIENT})
    key = chains.ec_key()
    later = {"start": chains.NOW + dt.timedelta(days=1), "end": chains.NOW + dt.timedelta(days=9)}
    dates = {"expired": old, "not-yet-valid": later}.get(fault, {})
    leaf = chains.make(chains.name("ops"), key, authority, **usage, **dates)  # type: ignore[arg-type]
    pem = serialization.Encoding.PEM
    plain = serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    (tmp_path / "ops.crt").write_bytes(leaf.public_bytes(pem))
    (tmp_path / "ca.crt").write_bytes(authority.cert.public_bytes(pem))
    (tmp_path / "ops.key").write_bytes(key.private_bytes(pem, *plain))
    out = tmp_path / "out"
    args = ["--key", str(tmp_path / "ops.key"), "--cert", str(tmp_path / "ops.crt")]
    args += ["--chain", str(tmp_path / "ca.crt"), "--out-dir", str(out), "--password", BUNDLE_PW]
    capsys.readouterr()
    assert run(["client", "bundle", *args]) == 1
    text = capsys.readouterr()
    rules = {"server-eku": "JC412", "no-digital-signature": "JC411", "not-yet-valid": "JC405"}
    rule = rules.get(fault, "JC404")
    assert rule in text.out + text.err and "nothing written" in text.out + text.err
    assert not out.exists()


def test_a_ca_issued_certificate_bundled_without_its_chain_is_not_called_self_signed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = issue("Bundle CA", ca=True)
    leaf = issue("ops", ca)
    pem = serialization.Encoding.PEM
    (tmp_path / "ops.crt").write_bytes(leaf.cert.public_bytes(pem))
    (tmp_path / "ops.key").write_bytes(
        leaf.key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    args = ["--key", str(tmp_path / "ops.key"), "--cert", str(tmp_path / "ops.crt")]
    capsys.readouterr()
    out = tmp_path / "out"
    assert run(["client", "bundle", *args, "--out-dir", str(out), "--password", BUNDLE_PW]) == 0
    text = capsys.readouterr().out
    assert "self-signed" not in text and "bundled without its chain" in text, text
