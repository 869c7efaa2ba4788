"""`jettycfg client` from a review of 1,000-account batches: two runs at once (the truststore
and --out-dir), a killed run's leftovers, the CA chain a bundle gets, and account names that
broke the one-line rule."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from jettycfg.cli import run
from jettycfg.stores import files
from tests.cli.test_edit_locks import _jettycfg as jettycfg_process
from tests.client.test_client import BUNDLE_PW, _base, _issue
from tests.jettyrun import free_port
from tests.pki import Issued, issue

REPO = Path(__file__).resolve().parents[2]


def _ca_file(folder: Path, ca: Issued) -> Path:
    """A PEM with the CA's certificate (and chain) and key, as --ca takes it."""
    path = folder / f"{ca.cert.subject.rfc4514_string()}.pem".replace("=", "_")
    key = ca.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM) + key)
    return path


def _jettycfg(*args: str) -> subprocess.Popen[str]:
    """The CLI in a process of its own (edit locks are per process); a loaded CI machine may
    keep a lock for a while."""
    return jettycfg_process(*args, timeout="240", cwd=REPO)


def _trusted_subjects(store: Path) -> set[str]:
    loaded = files.load(store, "client-test-pw")
    return {c.subject.rfc4514_string() for e in loaded.entries for c in e.certs}


def test_runs_at_once_keep_every_ca_and_never_mix_an_out_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four runs adding their own CA to one truststore: each read the truststore, and the last
    to write won (one CA of four left, every run exit 0). Two runs into one --out-dir both
    wrote (keys of one run beside certificates of the other)."""
    base = _base(tmp_path, free_port(), monkeypatch)
    cas = [_ca_file(tmp_path, issue(f"Race CA {n}", ca=True)) for n in range(4)]
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("".join(f"user{i:03d}\n" for i in range(40)))
    common = ["--accounts-file", str(accounts), "--password", BUNDLE_PW, "--base", str(base)]
    common += ["--jetty-version", "9.4.57", "--add-ca-to-truststore"]
    runs = [
        _jettycfg("client", "issue", "--ca", str(ca), "--out-dir", str(tmp_path / f"o{n}"), *common)
        for n, ca in enumerate(cas)
    ]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in runs]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    truststore = base / "etc" / "truststore.p12"
    assert {f"CN=Race CA {n}" for n in range(4)} <= _trusted_subjects(truststore)
    shared = tmp_path / "shared"
    two = [
        _jettycfg("client", "issue", "--ca", str(cas[n]), "--out-dir", str(shared), *common)
        for n in range(2)
    ]
    codes = sorted(p.wait(timeout=300) for p in two)
    assert codes == [0, 2]  # the second finds the first one's files: "exists ... --force"
    issuers = {
        x509.load_pem_x509_certificate(crt.read_bytes()).issuer.rfc4514_string()
        for crt in shared.glob("*.crt")
    }
    assert len(issuers) == 1 and len(list(shared.glob("*.p12"))) == 40


def test_a_killed_runs_temporary_files_go_with_the_next_write(tmp_path: Path) -> None:
    """The README says so; the batch writer never looked for them."""
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".alice.p12.k3x9a_2q.tmp", out / ".alice.key.zz81jw0e.tmp"]
    for path in stale:
        path.write_bytes(b"secret key material of a killed run")
    other = out / ".notes.txt.abcdefgh.tmp"  # not ours to remove: no file of this run
    other.write_bytes(b"x")
    assert _issue("--account", "alice", "--self-signed", "--out-dir", str(out)) == 0
    assert not any(p.exists() for p in stale) and other.exists()
    assert (out / "alice.p12").is_file()


def test_bundle_chain_is_put_in_issuer_order_and_a_stranger_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--chain root --chain intermediate was bundled root first ('issued by' the root);
    an unrelated certificate went into the bundle and ca-chain.pem; a repeat twice."""
    root = issue("Review Root CA", ca=True)
    inter = issue("Review Issuing CA", root, ca=True)
    pem = serialization.Encoding.PEM
    (tmp_path / "root.crt").write_bytes(root.cert.public_bytes(pem))
    (tmp_path / "inter.crt").write_bytes(inter.cert.public_bytes(pem))
    (tmp_path / "other.crt").write_bytes(issue("Unrelated", ca=True).cert.public_bytes(pem))
    leaf = issue("bob", inter)
    leaf.write_pem(tmp_path, "bob")
    args = ["client", "bundle", "--key", str(tmp_path / "bob.key"), "--cert"]
    args += [str(tmp_path / "bob.crt"), "--password", BUNDLE_PW]
    chain = ["--chain", str(tmp_path / "root.crt"), "--chain", str(tmp_path / "inter.crt")]
    chain += ["--chain", str(tmp_path / "root.crt")]
    capsys.readouterr()
    assert run([*args, "--out-dir", str(tmp_path / "a"), *chain]) == 0
    assert "issued by CN=Review Issuing CA" in capsys.readouterr().out
    written = x509.load_pem_x509_certificates((tmp_path / "a" / "ca-chain.pem").read_bytes())
    assert [c.subject.rfc4514_string() for c in written] == [
        "CN=Review Issuing CA",
        "CN=Review Root CA",
    ]
    stranger = ["--chain", str(tmp_path / "inter.crt"), "--chain", str(tmp_path / "other.crt")]
    assert run([*args, "--out-dir", str(tmp_path / "b"), *stranger]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CN=Unrelated did not issue" in err
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("account", "message"),
    [
        ("é" * 33, "longer than 64 bytes"),  # 66 bytes: cryptography refused it (exit 3)
        ("漢" * 22, "longer than 64 bytes"),
        ("a\u2028b", "does not print on one line"),  # printed raw before, and the CN
        ("a\u0085b", "does not print on one line"),
    ],
)
def test_account_names_that_broke_the_one_line_rule(
    account: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "out"
    assert _issue("--account", account, "--self-signed", "--out-dir", str(out)) == 2
    assert (
        run(["client", "csr", "--account", account, "--out-dir", str(out), "--password", "x"]) == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and err.count(message) == 2 and not out.exists()


def test_issue_inputs_named_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--add-ca-to-truststore with nowhere to add was ignored (exit 0); a missing --base was
    'the truststore does not hold the issuing CA'; an empty accounts file asked for one;
    a list starting with '[admin]' was read as broken JSON; a truststore holding the issuing
    intermediate (Java's anchor) was refused for not holding the root."""
    root = issue("Anchor Root", ca=True)
    inter = issue("Anchor Issuing CA", root, ca=True)
    ca = tmp_path / "ca.pem"
    key = inter.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pem = serialization.Encoding.PEM
    ca.write_bytes(inter.cert.public_bytes(pem) + root.cert.public_bytes(pem) + key)
    out = str(tmp_path / "out")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nobody yet\n")
    listed = tmp_path / "listed.txt"
    listed.write_text("[admin]\nbob\n")
    cases = [
        (["--account", "a", "--ca", str(ca), "--add-ca-to-truststore"], "needs --base"),
        (["--account", "a", "--ca", str(ca), "--base", str(tmp_path / "nope")], "does not exist"),
        (["--accounts-file", str(empty), "--ca", str(ca)], "no account in it"),
    ]
    for args, message in cases:
        capsys.readouterr()
        assert _issue(*args, "--out-dir", out) == 2, args
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, (args, err)
    assert _issue("--accounts-file", str(listed), "--ca", str(ca), "--out-dir", out) == 0
    assert {p.name for p in Path(out).glob("*.p12")} == {"[admin].p12", "bob.p12"}
    base = _base(tmp_path, free_port(), monkeypatch)
    trust = base / "etc" / "truststore.p12"
    (tmp_path / "inter.crt").write_bytes(inter.cert.public_bytes(pem))
    assert (
        run(
            [
                "store",
                "import",
                str(trust),
                str(tmp_path / "inter.crt"),
                "--storepass",
                "client-test-pw",
            ]
        )
        == 0
    )
    common = ["--base", str(base), "--jetty-version", "9.4.57", "--out-dir", str(tmp_path / "o2")]
    assert _issue("--account", "ann", "--ca", str(ca), *common) == 0
    assert os.path.exists(tmp_path / "o2" / "ann.p12")


def test_the_truststore_is_not_changed_when_the_bundles_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--add-ca-to-truststore wrote the truststore first; an --out-dir that then refused the
    bundles (a read-only file system) left the CA added and nothing to log in with."""
    import tempfile

    base = _base(tmp_path, free_port(), monkeypatch)
    truststore = base / "etc" / "truststore.p12"
    before = truststore.read_bytes()
    out = tmp_path / "out"
    real = tempfile.mkstemp

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs.get("dir"))).resolve() == out.resolve():
            raise OSError(30, "Read-only file system", str(out))
        return real(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    ca = _ca_file(tmp_path, issue("Read-only CA", ca=True))
    args = ["--account", "a", "--ca", str(ca), "--out-dir", str(out), "--base", str(base)]
    capsys.readouterr()
    assert _issue(*args, "--jetty-version", "9.4.57", "--add-ca-to-truststore") == 2
    assert "Read-only file system" in capsys.readouterr().err
    assert truststore.read_bytes() == before


def test_ctrl_c_is_one_line_exit_130_and_nothing_written(tmp_path: Path) -> None:
    """click turned Ctrl-C into a blank line and 'aborted' with exit 2."""
    import signal
    import time

    accounts = tmp_path / "accounts.txt"
    accounts.write_text("".join(f"u{i}\n" for i in range(12)))
    out = tmp_path / "out"
    proc = _jettycfg(
        "client", "issue", "--accounts-file", str(accounts), "--self-signed", "--key-type",
        "rsa4096", "--out-dir", str(out), "--password", BUNDLE_PW,
    )  # fmt: skip
    time.sleep(1.5)  # imported and generating keys (RSA-4096: seconds each)
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=60)
    err = proc.stderr.read() if proc.stderr else ""
    assert (code, err) == (130, "jettycfg: error: interrupted\n")
    assert not out.exists()


def test_bundle_takes_a_fullchain_file_and_a_long_cn_an_outside_ca_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fullchain.pem (leaf, then its CAs) as --chain was refused (the leaf 'did not issue'
    it); a CN OpenSSL writes with 40 'Ж' (80 bytes) fell under the byte limit meant for the CNs
    jettycfg writes itself (issue, csr)."""
    import shutil

    root = issue("Full Root CA", ca=True)
    inter = issue("Full Issuing CA", root, ca=True)
    leaf = issue("carol", inter)
    cert, key = leaf.write_pem(tmp_path, "carol")
    full = tmp_path / "fullchain.pem"
    pem = serialization.Encoding.PEM
    full.write_bytes(
        leaf.cert.public_bytes(pem) + inter.cert.public_bytes(pem) + root.cert.public_bytes(pem)
    )
    args = ["client", "bundle", "--key", str(key), "--password", BUNDLE_PW]
    assert (
        run([*args, "--cert", str(cert), "--chain", str(full), "--out-dir", str(tmp_path / "a")])
        == 0
    )
    written = x509.load_pem_x509_certificates((tmp_path / "a" / "ca-chain.pem").read_bytes())
    assert [c.subject.rfc4514_string() for c in written] == [
        "CN=Full Issuing CA",
        "CN=Full Root CA",
    ]
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed here")
    long_cn = "Ж" * 40
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-utf8", "-subj", f"/CN={long_cn}", "-days", "5", "-keyout",
         str(tmp_path / "long.key"), "-out", str(tmp_path / "long.pem"),
         "-addext", "extendedKeyUsage=clientAuth", "-addext", "keyUsage=digitalSignature"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    long_args = ["client", "bundle", "--key", str(tmp_path / "long.key"), "--cert"]
    long_args += [str(tmp_path / "long.pem"), "--password", BUNDLE_PW, "--dry-run"]
    capsys.readouterr()
    assert run([*long_args, "--out-dir", str(tmp_path / "b")]) == 0, capsys.readouterr().err
