"""Structure-aware fuzzing of the store parsers (issue 11): every mutated input gives a store
or a clean StoreError - never ValueError/TypeError/RecursionError, never a hang.

Seeds are made by keytool and openssl; mutations get past the MACs (see mutate.py). CI runs a
fixed seed and FUZZ_INPUTS (default 10,000) inputs per parser; `make fuzz` runs more.
"""

from __future__ import annotations

import base64
import os
import random
import shutil
import subprocess
import time
import warnings
from pathlib import Path

import pytest

from jettycfg.errors import JettycfgError
from jettycfg.report.store_view import entry_json
from jettycfg.stores import files, jks, pkcs12
from tests.conftest import _require
from tests.stores import mutate

INPUTS = int(os.environ.get("FUZZ_INPUTS", "10000"))
SEED = int(os.environ.get("FUZZ_SEED", "20261205"))
BUDGET = float(os.environ.get("FUZZ_SECONDS", "240"))  # per parser: a time box (~20 s idle)
PW = "changeit"


def _run(*args: str, cwd: Path) -> None:
    subprocess.run(args, cwd=cwd, capture_output=True, check=True, timeout=120)


@pytest.fixture(scope="session")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[bytes]]:
    _require("keytool (Java)", shutil.which("keytool") is not None)
    _require("openssl", shutil.which("openssl") is not None)
    d = tmp_path_factory.mktemp("fuzzseeds")
    kt = ["keytool", "-storepass", PW, "-keypass", PW, "-noprompt"]
    for typ in ("PKCS12", "JKS", "JCEKS"):
        store = f"s.{typ.lower()}"
        _run(
            *kt,
            "-genkeypair",
            "-keystore",
            store,
            "-storetype",
            typ,
            "-alias",
            "server",
            "-keyalg",
            "EC",
            "-dname",
            "CN=fuzz server,O=x",
            "-ext",
            "SAN=dns:a",
            cwd=d,
        )
        _run(
            *kt,
            "-genkeypair",
            "-keystore",
            store,
            "-storetype",
            typ,
            "-alias",
            "ca",
            "-keyalg",
            "RSA",
            "-keysize",
            "1024",
            "-dname",
            "CN=fuzz ca",
            "-ext",
            "bc:c",
            cwd=d,
        )
        _run(*kt, "-exportcert", "-keystore", store, "-alias", "ca", "-file", "ca.der", cwd=d)
        _run(
            *kt,
            "-importcert",
            "-keystore",
            store,
            "-storetype",
            typ,
            "-alias",
            "trusted",
            "-file",
            "ca.der",
            cwd=d,
        )
    _run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:1024",
        "-nodes",
        "-keyout",
        "k.pem",
        "-out",
        "c.pem",
        "-subj",
        "/CN=openssl fuzz",
        "-days",
        "30",
        cwd=d,
    )
    _run(
        "openssl",
        "pkcs12",
        "-export",
        "-in",
        "c.pem",
        "-inkey",
        "k.pem",
        "-name",
        "o",
        "-passout",
        f"pass:{PW}",
        "-out",
        "o.p12",
        cwd=d,
    )
    _run(
        "openssl",
        "pkcs12",
        "-export",
        "-in",
        "c.pem",
        "-inkey",
        "k.pem",
        "-certpbe",
        "NONE",
        "-keypbe",
        "NONE",
        "-passout",
        f"pass:{PW}",
        "-out",
        "plain.p12",
        cwd=d,
    )
    ders = [
        (d / "ca.der").read_bytes(),
        base64.b64decode(b"".join((d / "c.pem").read_bytes().splitlines()[1:-1])),
    ]
    return {
        "pkcs12": [(d / n).read_bytes() for n in ("s.pkcs12", "o.p12", "plain.p12")],
        "jks": [(d / "s.jks").read_bytes()],
        "jceks": [(d / "s.jceks").read_bytes()],
        "der": ders,
    }


def _exercise(data: bytes, reader: object) -> None:
    store = reader(data, PW)  # type: ignore[operator]
    for entry in store.entries:
        entry_json(entry)  # what `store list` shows: lazily parsed fields included


def _fuzz(name: str, make: object, reader: object) -> tuple[int, list[str]]:
    rng = random.Random(f"{SEED}-{name}")
    crashes: list[str] = []
    start = time.monotonic()
    done = 0
    while done < INPUTS and time.monotonic() - start < BUDGET:
        data = make(rng)  # type: ignore[operator]
        t0 = time.monotonic()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a warning in a normal run is a finding too
                _exercise(data, reader)
        except JettycfgError as exc:
            assert "\n" not in str(exc), str(exc)
        except Exception as exc:
            crashes.append(f"{type(exc).__name__}: {exc} [{data.hex()[:400]}]")
        assert time.monotonic() - t0 < 5, f"{name}: one input took > 5 s"
        done += 1
    return done, crashes


def _check(name: str, done: int, crashes: list[str]) -> None:
    print(f"{name}: {done} inputs, {len(crashes)} crashes")
    assert done >= min(INPUTS, 10_000) or BUDGET != 240, (
        f"{name}: only {done} inputs in the time box"
    )
    assert not crashes, f"{len(crashes)} of {done}:\n" + "\n".join(crashes[:5])


def test_fuzz_pkcs12(seeds: dict[str, list[bytes]]) -> None:
    opened = [mutate.open_p12(s, PW) for s in seeds["pkcs12"]]
    _check(
        "pkcs12", *_fuzz("pkcs12", lambda r: mutate.mutate_p12(r.choice(opened), r), pkcs12.read)
    )


@pytest.mark.parametrize("fmt", ["jks", "jceks"])
def test_fuzz_jks(seeds: dict[str, list[bytes]], fmt: str) -> None:
    seed = seeds[fmt][0]
    _check(fmt, *_fuzz(fmt, lambda r: mutate.mutate_jks(seed, PW, r), jks.read))


def _pem(der: bytes) -> bytes:
    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"


def test_fuzz_der(seeds: dict[str, list[bytes]]) -> None:
    ders = seeds["der"]
    _check("der", *_fuzz("der", lambda r: mutate.mutate_der(r.choice(ders), r), files.parse))


def test_fuzz_pem(seeds: dict[str, list[bytes]]) -> None:
    ders = seeds["der"]

    def make(rng: random.Random) -> bytes:
        pem = b"".join(_pem(mutate.mutate_der(d, rng) if rng.random() < 0.7 else d) for d in ders)
        return mutate.raw_mutate(pem, rng) if rng.random() < 0.1 else pem

    _check("pem", *_fuzz("pem", make, files.parse))


# -- regressions: each a shape the fuzzer (or issue 11) found escaping as a crash or a hang -----


def _p12(seeds: dict[str, list[bytes]]) -> mutate.P12Seed:
    return mutate.open_p12(seeds["pkcs12"][1], PW)


@pytest.mark.parametrize("rounds", [0, -1, 5_000_001, 2**31 - 1])
def test_mac_iteration_caps_refused_at_once(seeds: dict[str, list[bytes]], rounds: int) -> None:
    data = mutate.build_p12(_p12(seeds).contents, PW, rounds)
    start = time.monotonic()
    with pytest.raises(JettycfgError, match="iteration count"):
        pkcs12.read(data, "wrong")
    assert time.monotonic() - start < 1


def test_java_limit_itself_is_accepted(seeds: dict[str, list[bytes]]) -> None:
    assert pkcs12.read(mutate.build_p12(_p12(seeds).contents, PW, 2), PW).entries


def _pbes2_with(seeds: dict[str, list[bytes]], key_len: int | None, rounds: int) -> bytes:
    from jettycfg.stores import asn1

    seed = _p12(seeds)
    plain = next(p for enc, p in seed.contents if enc)
    alg, blob = mutate.pbe.encrypt(plain, PW, legacy=False, iterations=1)
    tree = mutate.to_tree(alg)
    kdf_params = tree.children[1].children[0].children[1]  # type: ignore[index]
    kdf_params.children[1] = mutate.Node(asn1.INTEGER, mutate._int_bytes(rounds))  # type: ignore[index]
    if key_len is not None:
        kdf_params.children.insert(2, mutate.Node(asn1.INTEGER, mutate._int_bytes(key_len)))  # type: ignore[union-attr]
    body = asn1.seq(
        asn1.integer(0),
        asn1.seq(asn1.oid(pkcs12.DATA), mutate.encode(tree), asn1.tlv(0x80, blob)),
    )
    info = asn1.seq(asn1.oid(pkcs12.ENCRYPTED_DATA), asn1.explicit(0, body))
    auth_safe = asn1.seq(info)
    return asn1.seq(
        asn1.integer(3), asn1.seq(asn1.oid(pkcs12.DATA), asn1.explicit(0, asn1.octets(auth_safe)))
    )


@pytest.mark.parametrize(
    ("key_len", "rounds", "message"),
    [(1_300_000_000, 1, "keyLength"), (None, 2**31 - 1, "too large"), (None, -5, "invalid")],
)
def test_pbes2_parameters_checked_before_work(
    seeds: dict[str, list[bytes]], key_len: int | None, rounds: int, message: str
) -> None:
    start = time.monotonic()
    with pytest.raises(JettycfgError, match=message):
        pkcs12.read(_pbes2_with(seeds, key_len, rounds), PW)
    assert time.monotonic() - start < 1


def test_deeply_nested_safe_contents_is_a_store_error(seeds: dict[str, list[bytes]]) -> None:
    from jettycfg.stores import asn1

    bag = asn1.seq(asn1.oid(pkcs12.CERT_BAG), asn1.explicit(0, asn1.seq()))
    for _ in range(2000):
        bag = asn1.seq(asn1.oid(pkcs12.SAFE_CONTENTS_BAG), asn1.explicit(0, asn1.seq(bag)))
    with pytest.raises(JettycfgError):
        pkcs12.read(mutate.build_p12([(False, asn1.seq(bag))], PW), PW)


def test_jks_certificate_type_with_control_characters_stays_one_line(
    seeds: dict[str, list[bytes]],
) -> None:
    body = seeds["jks"][0][:-20]
    pos, _size, _ = next(
        f
        for f in mutate.jks_fields(body)
        if f[2] == "blob" and body[f[0] : f[0] + f[1]] == b"X.509"
    )
    data = mutate.jks_seal(body[:pos] + b"\n\x1b[" + body[pos + 3 :], PW)
    with pytest.raises(JettycfgError) as info:
        jks.read(data, PW)
    assert "\n" not in str(info.value) and "\x1b" not in str(info.value)


def test_jks_entry_count_beyond_the_file(seeds: dict[str, list[bytes]]) -> None:
    body = seeds["jks"][0][:-20]
    data = mutate.jks_seal(body[:8] + (2**31).to_bytes(4, "big") + body[12:], PW)
    with pytest.raises(JettycfgError, match="entry count"):
        jks.read(data, PW)


def test_certificate_with_bad_version_in_jks_is_a_store_error(
    seeds: dict[str, list[bytes]],
) -> None:
    body = seeds["jks"][0][:-20]
    idx = body.index(b"\xa0\x03\x02\x01\x02")  # [0] version v3 of the first certificate
    data = mutate.jks_seal(body[:idx] + b"\xa0\x03\x02\x01\x06" + body[idx + 5 :], PW)
    with pytest.raises(JettycfgError, match="certificate cannot be parsed"):
        jks.read(data, PW)


def test_unparsable_subject_still_listed_with_its_fingerprint(
    seeds: dict[str, list[bytes]],
) -> None:
    import hashlib

    der = seeds["der"][0]
    tree = mutate.to_tree(der)
    issuer = tree.children[0].children[3]  # type: ignore[index]
    issuer.children = [mutate.Node(0x31, children=[])]  # empty RDN: cryptography refuses
    data = mutate.encode(tree)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        store = files.parse(data, None)
        view = entry_json(store.entries[0])
    assert view["sha256"] == hashlib.sha256(data).digest().hex(":").upper()
    assert str(view["issuer"]).startswith("?") or "unparsable" in str(view["subject"])


def test_fifo_and_devices_refused_before_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(JettycfgError, match="not a regular file"):
            files.read_bytes(path)


def test_file_larger_than_the_limit_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.p12"
    big.write_bytes(b"0" * 2048)
    with pytest.raises(JettycfgError, match="too large"):
        files.read_bytes(big, limit=1024)
