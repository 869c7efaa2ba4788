"""`make bench`: jettycfg against a peer run in the same run, reported as ratios.

Timings are medians of repeated whole-process runs (cold interpreter each time), the way a user
meets them. Nothing here asserts a time; it prints numbers to compare.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
JETTY_HOME = Path("/usr/share/jetty9")


def median_seconds(argv: Sequence[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(title: str, ours: float, peer: float, peer_name: str, size: str) -> None:
    print(f"{title} [{size}]")
    print(f"  jettycfg   {ours * 1000:8.1f} ms (median)")
    print(f"  {peer_name:<10} {peer * 1000:8.1f} ms (median)")
    print(f"  ratio      {peer / ours:8.2f}x  ({peer_name} time / jettycfg time)")


def bench_cold_start(runs: int) -> None:
    ours = median_seconds([str(BIN / "jettycfg"), "--version"], runs)
    peer = median_seconds([sys.executable, "-c", "pass"], runs)
    print(f"cold start [{runs} runs each]")
    print(f"  jettycfg --version {ours * 1000:8.1f} ms (median; goal < 100 ms)")
    print(f"  python3 -c pass    {peer * 1000:8.1f} ms (median)")
    print(f"  jettycfg overhead  {(ours - peer) * 1000:8.1f} ms")


def bench_ini_show(runs: int) -> None:
    if not (JETTY_HOME / "start.jar").exists() or shutil.which("java") is None:
        print("ini show vs start.jar: skipped (Debian jetty9 / java missing)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        shutil.copytree(REPO / "samples" / "joc-2.7" / "jetty_base", base)
        ours = median_seconds([str(BIN / "jettycfg"), "ini", "show", "--base", str(base)], runs)
        peer = median_seconds(
            [
                "java",
                "-jar",
                str(JETTY_HOME / "start.jar"),
                f"jetty.home={JETTY_HOME}",
                f"jetty.base={base}",
                "--list-config",
            ],
            runs,
        )
    files = len(list((REPO / "samples/joc-2.7/jetty_base/start.d").glob("*.ini")))
    report(
        "ini show vs start.jar --list-config",
        ours,
        peer,
        "start.jar",
        f"JOC 2.7 sample base, {files} ini files, {runs} runs each",
    )


def _peak_rss_mb(argv: Sequence[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child process."""
    import resource

    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{argv[:3]} failed")
    del resource
    return elapsed, usage.ru_maxrss / 1024


def _ca_bundle(folder: Path, count: int) -> list[Path]:
    """``count`` distinct CA certificates (one shared key: minting is not what we measure)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    paths = []
    for i in range(count):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Bench CA {i:05d}")])
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(i + 1)
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        path = folder / f"ca{i:05d}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        paths.append(path)
    return paths


def bench_store_list_cacerts(runs: int) -> None:
    cacerts = Path("/etc/ssl/certs/java/cacerts")
    if not cacerts.exists() or shutil.which("keytool") is None:
        print("store list vs keytool: skipped (cacerts / keytool missing)")
        return
    ours = median_seconds(
        [str(BIN / "jettycfg"), "store", "list", str(cacerts), "--storepass", "changeit"], runs
    )
    peer = median_seconds(["keytool", "-list", "-cacerts", "-storepass", "changeit"], runs)
    from jettycfg.stores import files

    count = len(files.load(cacerts, "changeit").entries)
    report(
        "store list vs keytool -list -cacerts",
        ours,
        peer,
        "keytool",
        f"Debian cacerts, {count} entries, {runs} runs each",
    )
    verbose = median_seconds(["keytool", "-list", "-v", "-cacerts", "-storepass", "changeit"], runs)
    print(
        f"  keytool -v {verbose * 1000:8.1f} ms (median; prints about what jettycfg prints: "
        f"{verbose / ours:.2f}x)"
    )


def bench_import(count: int, keytool_sample: int) -> None:
    if shutil.which("keytool") is None:
        print("store import vs keytool: skipped (keytool missing)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pems = _ca_bundle(folder, count)
        bundle = folder / "bundle.pem"
        bundle.write_bytes(b"".join(p.read_bytes() for p in pems))
        start = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "jettycfg"),
                "store",
                "import",
                str(folder / "ours.p12"),
                str(bundle),
                "--storepass",
                "changeit",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        ours = time.perf_counter() - start
        start = time.perf_counter()
        for i, pem in enumerate(pems[:keytool_sample]):
            subprocess.run(
                [
                    "keytool",
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    f"ca{i}",
                    "-file",
                    str(pem),
                    "-keystore",
                    str(folder / "kt.p12"),
                    "-storepass",
                    "changeit",
                ],
                check=True,
                capture_output=True,
            )
        per_call = (time.perf_counter() - start) / keytool_sample
    peer = per_call * count
    print(
        f"store import of {count} CA certificates [one jettycfg call; keytool: "
        f"{keytool_sample} calls measured, extrapolated x{count // keytool_sample}]"
    )
    print(f"  jettycfg   {ours:8.2f} s (one call)")
    print(
        f"  keytool    {peer:8.2f} s ({per_call * 1000:.0f} ms per -importcert, on a store "
        f"of < {keytool_sample} entries: the real cost grows with the store)"
    )
    print(f"  ratio      {peer / ours:8.1f}x  (keytool time / jettycfg time)")


def bench_big_store(count: int) -> None:
    from jettycfg.certs import load_der
    from jettycfg.stores import files
    from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pems = _ca_bundle(folder, count)
        from cryptography import x509

        store = Store(StoreFormat.PKCS12)
        for i, pem in enumerate(pems):
            cert = x509.load_pem_x509_certificate(pem.read_bytes())
            store.entries.append(Entry(f"ca{i:05d}", EntryKind.TRUSTED, [cert]))
        del load_der
        big = folder / "big.p12"
        big.write_bytes(files.serialize(store, StoreFormat.PKCS12, "changeit"))
        size_mb = big.stat().st_size / 1e6
        ours = _peak_rss_mb(
            [
                str(BIN / "jettycfg"),
                "store",
                "list",
                str(big),
                "--storepass",
                "changeit",
                "--format",
                "json",
            ]
        )
        peer = None
        if shutil.which("keytool"):
            peer = _peak_rss_mb(
                ["keytool", "-list", "-keystore", str(big), "-storepass", "changeit"]
            )
    print(f"store list of a {count}-entry PKCS#12 truststore [{size_mb:.1f} MB, one run each]")
    print(f"  jettycfg   {ours[0]:8.2f} s, peak RSS {ours[1]:6.0f} MB")
    if peer:
        print(f"  keytool    {peer[0]:8.2f} s, peak RSS {peer[1]:6.0f} MB")
        print(f"  ratio      {peer[0] / ours[0]:8.2f}x  (keytool time / jettycfg time)")


def _lint_fixture(folder: Path, leaves: int, roots: int) -> tuple[Path, list[Path], Path, Path]:
    """A base whose truststore holds ``roots`` CAs; ``leaves`` RSA-2048 client certificates
    issued by 10 intermediates (each file in ``folder/clients``: leaf + intermediate, as clients
    send them)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from jettycfg.stores import files
    from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat

    now = dt.datetime.now(dt.timezone.utc)
    pem = serialization.Encoding.PEM

    def cert(
        cn: str,
        key: rsa.RSAPrivateKey,
        issuer: x509.Certificate | None,
        issuer_key: rsa.RSAPrivateKey,
        ca: bool,
        serial: int,
    ) -> x509.Certificate:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
        b = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(issuer.subject if issuer else name)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)
        return b.sign(issuer_key, hashes.SHA256())

    ca_key = rsa.generate_private_key(65537, 2048)  # shared: minting is not what we measure
    leaf_key = rsa.generate_private_key(65537, 2048)
    root_certs = [cert(f"Bench Root {i}", ca_key, None, ca_key, True, i + 1) for i in range(roots)]
    inters = [
        cert(f"Bench Intermediate {i}", ca_key, root_certs[i], ca_key, True, 1000 + i)
        for i in range(10)
    ]
    base = folder / "base"
    (base / "etc").mkdir(parents=True)
    trust = Store(
        StoreFormat.PKCS12,
        [Entry(f"r{i}", EntryKind.TRUSTED, [c]) for i, c in enumerate(root_certs)],
    )
    (base / "etc" / "trust.p12").write_bytes(files.serialize(trust, StoreFormat.PKCS12, "pw"))
    server = cert("localhost", leaf_key, root_certs[0], ca_key, False, 99)
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    (base / "etc" / "keys.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"https", leaf_key, server, None, BestAvailableEncryption(b"pw")
        )
    )
    (base / "start.ini").write_text(
        "--module=ssl\njetty.sslContext.keyStorePath=etc/keys.p12\n"
        "jetty.sslContext.keyStoreType=PKCS12\njetty.sslContext.keyStorePassword=pw\n"
        "jetty.sslContext.keyManagerPassword=pw\n"
        "jetty.sslContext.trustStorePath=etc/trust.p12\n"
        "jetty.sslContext.trustStorePassword=pw\njetty.sslContext.trustStoreType=PKCS12\n"
        "jetty.sslContext.needClientAuth=true\n"
    )
    (folder / "cas.pem").write_bytes(b"".join(c.public_bytes(pem) for c in root_certs))
    (folder / "ints.pem").write_bytes(b"".join(c.public_bytes(pem) for c in inters))
    paths = []
    (folder / "clients").mkdir()
    for i in range(leaves):
        inter = inters[i % 10]
        leaf = cert(f"user{i:05d}", leaf_key, inter, ca_key, False, 100000 + i)
        path = folder / "clients" / f"c{i:05d}.pem"
        path.write_bytes(leaf.public_bytes(pem) + inter.public_bytes(pem))
        paths.append(path)
    return base, paths, folder / "cas.pem", folder / "ints.pem"


def bench_lint(leaves: int, roots: int, runs: int = 3) -> None:
    if shutil.which("openssl") is None:
        print("lint vs openssl verify: skipped (openssl missing)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base, paths, cas, ints = _lint_fixture(folder, leaves, roots)
        argv = [
            str(BIN / "jettycfg"),
            "lint",
            "--base",
            str(base),
            "--jetty-version",
            "9.4.57",
            "--format",
            "json",
            "--output",
            str(folder / "report.json"),
            "--fail-on",
            "never",
        ]
        each = [*argv]
        for path in paths:
            each += ["--client-cert", str(path)]
        modes = {
            "workers": each,
            "single": [*each, "--jobs", "1"],
            # the folder form, as an operator gives thousands of files (click's parser spends
            # time quadratic in the number of options on 10,000 --client-cert options)
            "folder": [*argv, "--client-cert", str(folder / "clients"), "--jobs", "1"],
            "openssl": ["openssl", "verify", "-CAfile", str(cas), "-untrusted", str(ints)]
            + [str(p) for p in paths],
        }
        times: dict[str, list[float]] = {mode: [] for mode in modes}
        rss = 0.0
        ok = 0
        for _ in range(runs):  # the modes in turn: each round sees the machine at one moment
            for mode, command in modes.items():
                if mode == "openssl":  # as before: its output read through a pipe, and a
                    # certificate it refuses is counted, not an error
                    start = time.perf_counter()
                    done = subprocess.run(command, capture_output=True, text=True)
                    times[mode].append(time.perf_counter() - start)
                    ok = done.stdout.count(": OK")
                    continue
                seconds, peak = _peak_rss_mb(command)
                times[mode].append(seconds)
                if mode == "workers":
                    rss = max(rss, peak)
        import json

        report = json.loads((folder / "report.json").read_text())
        accepted = report["summary"]["accepted"]
    med = {mode: statistics.median(t) for mode, t in times.items()}

    def spread(mode: str) -> str:
        return f"{min(times[mode]):.2f}-{max(times[mode]):.2f}"

    print(
        f"lint of {leaves} client certificates [RSA-2048 leaves sent with one of 10 "
        f"intermediates; truststore of {roots} CAs; medians of {runs} rounds, the modes in turn]"
    )
    print(
        f"  jettycfg   {med['workers']:8.2f} s  {leaves / med['workers']:8.0f} certs/s  "
        f"({spread('workers')}) peak RSS {rss:.0f} MB/process ({accepted} accepted; "
        f"{os.cpu_count()} worker processes)"
    )
    print(
        f"  --jobs 1   {med['single']:8.2f} s  {leaves / med['single']:8.0f} certs/s  "
        f"({spread('single')}; one process)"
    )
    print(
        f"  -j1 folder {med['folder']:8.2f} s  {leaves / med['folder']:8.0f} certs/s  "
        f"({spread('folder')}; one process; --client-cert FOLDER instead of {leaves:,} options)"
    )
    print(
        f"  openssl    {med['openssl']:8.2f} s  {leaves / med['openssl']:8.0f} certs/s  "
        f"({spread('openssl')}; {ok} OK)"
    )
    peer = med["openssl"]
    print(f"  ratio      {peer / med['workers']:8.2f}x  (openssl / jettycfg; >= 1 beats openssl)")
    print(f"  ratio -j1  {peer / med['single']:8.2f}x  (openssl / one-process jettycfg)")
    print(f"  ratio -j1f {peer / med['folder']:8.2f}x  (openssl / one process, folder form)")


def bench_client_issue(count: int, openssl_sample: int) -> None:
    """`client issue` for ``count`` ECDSA P-256 accounts in one call, against what installers
    do today: per account openssl req (key + CSR), x509 -req (sign), pkcs12 -export (bundle).
    openssl runs ``openssl_sample`` accounts; its time is scaled to ``count``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ca_key, ca_crt = folder / "ca.key", folder / "ca.crt"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                str(ca_key),
                "-out",
                str(ca_crt),
                "-subj",
                "/CN=Bench CA",
                "-days",
                "30",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ],
            check=True,
            capture_output=True,
        )
        ca_pem = folder / "ca.pem"
        ca_pem.write_bytes(ca_crt.read_bytes() + ca_key.read_bytes())
        accounts = folder / "accounts.txt"
        accounts.write_text("".join(f"user{i:05d}\n" for i in range(count)))
        # client issue's one durability barrier is os.sync(): without this it would also flush
        # what the sections before wrote (10,000 lint fixtures, a 10,000-entry store)
        os.sync()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [
                str(BIN / "jettycfg"),
                "client",
                "issue",
                "--accounts-file",
                str(accounts),
                "--ca",
                str(ca_pem),
                "--out-dir",
                str(folder / "ours"),
                "--password",
                "bench-pw",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)  # its workers' time included (waited for)
        if status != 0:
            raise RuntimeError("client issue failed")
        ours = time.perf_counter() - start
        peer_dir = folder / "openssl"
        peer_dir.mkdir()
        start = time.perf_counter()
        for i in range(openssl_sample):
            base = peer_dir / f"user{i}"
            run = [
                [
                    "openssl",
                    "req",
                    "-new",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    f"{base}.key",
                    "-out",
                    f"{base}.csr",
                    "-subj",
                    f"/CN=user{i}",
                ],
                [
                    "openssl",
                    "x509",
                    "-req",
                    "-in",
                    f"{base}.csr",
                    "-CA",
                    str(ca_crt),
                    "-CAkey",
                    str(ca_key),
                    "-CAcreateserial",
                    "-days",
                    "730",
                    "-out",
                    f"{base}.crt",
                ],
                [
                    "openssl",
                    "pkcs12",
                    "-export",
                    "-in",
                    f"{base}.crt",
                    "-inkey",
                    f"{base}.key",
                    "-certfile",
                    str(ca_crt),
                    "-name",
                    f"user{i}",
                    "-out",
                    f"{base}.p12",
                    "-passout",
                    "pass:bench-pw",
                ],
            ]
            for argv in run:
                subprocess.run(argv, check=True, capture_output=True)
        peer = (time.perf_counter() - start) * count / openssl_sample
    print(
        f"client issue, ECDSA P-256 [{count} accounts; openssl: {openssl_sample} measured, scaled]"
    )
    print(f"  jettycfg   {ours:8.2f} s, one call (bundle, .crt, .key, ca-chain.pem per account)")
    print(
        f"             CPU {usage.ru_utime:.2f} s user, {usage.ru_stime:.2f} s system (mostly the "
        "one os.sync: the rest of the elapsed time is the disk's)"
    )
    print(f"  openssl    {peer:8.2f} s, req + x509 + pkcs12 per account")
    print(f"  ratio      {peer / ours:8.1f}x  (openssl time / jettycfg time; goal >= 20x)")


def compile_bytecode() -> None:
    """An installed wheel ships compiled bytecode; an editable install under
    PYTHONDONTWRITEBYTECODE=1 would recompile every module in every measured run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "jettycfg")], check=True)


def calibration() -> float:
    """Seconds for a fixed pure-Python loop: how fast this machine runs Python right now (its
    speed swings about 2x over a day; compare the ratios, or scale by this)."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def main() -> None:
    compile_bytecode()
    real = os.path.realpath(sys.executable)
    print(f"python {sys.version.split()[0]} ({real}; make install prefers the OS's own)")
    print(f"calibration: a 10,000,000-step pure-Python loop took {calibration():.2f} s")
    print()
    bench_cold_start(20)
    print()
    bench_ini_show(10)
    print()
    bench_store_list_cacerts(10)
    print()
    bench_import(1000, 20)
    print()
    bench_big_store(10000)
    print()
    bench_lint(10000, 150)
    print(f"  calibration loop now {calibration():.2f} s")
    print()
    bench_client_issue(1000, 50)


if __name__ == "__main__":
    main()
