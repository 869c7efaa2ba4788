"""Structure-aware fuzzing of probe's CertificateRequest parser (issue 11: it raised on 5,291
of 10,000 fuzzed messages before). Valid TLS 1.2 and 1.3 CertificateRequests are built from
real certificates' subjects (the system CA bundle), then one structure is mutated: a length
field, a name's DER (tree edits from tests/stores/mutate.py), the list (delete, duplicate,
swap, empty name), the extension block, or raw bytes. Every input must give a list of names
or a one-line ProbeError - nothing else, never over 5 s. CI runs FUZZ_INPUTS (10,000) inputs
with a fixed seed; `make fuzz` runs more.
"""

from __future__ import annotations

import os
import random
import time
import warnings
from pathlib import Path

import pytest

from jettycfg.probe.messages import ProbeError, _parse_certificate_request, ca_name_text
from jettycfg.trust.names import canonical, name_from_der
from tests.conftest import _require
from tests.stores import mutate

INPUTS = int(os.environ.get("FUZZ_INPUTS", "10000"))
SEED = int(os.environ.get("FUZZ_SEED", "20261205"))
BUDGET = float(os.environ.get("FUZZ_SECONDS", "240"))
BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


@pytest.fixture(scope="module")
def subjects() -> list[bytes]:
    """DER subjects of the real CA certificates on this machine (Debian's ca-certificates)."""
    _require("the system CA bundle (ca-certificates)", BUNDLE.is_file())
    from cryptography import x509

    with warnings.catch_warnings():  # a CA with a non-positive serial: cryptography warns
        warnings.simplefilter("ignore")
        certs = x509.load_pem_x509_certificates(BUNDLE.read_bytes())
    return [c.subject.public_bytes() for c in certs]


def _vec(data: bytes, width: int) -> bytes:
    return len(data).to_bytes(width, "big") + data


def _authorities(names: list[bytes]) -> bytes:
    return _vec(b"".join(_vec(n, 2) for n in names), 2)


def build(names: list[bytes], tls13: bool) -> bytes:
    if not tls13:
        return _vec(b"\x01\x40", 1) + _vec(b"\x04\x03\x08\x04", 2) + _authorities(names)
    exts = b"\x00\x0d" + _vec(_vec(b"\x04\x03\x08\x04", 2), 2)
    exts += b"\x00\x2f" + _vec(_authorities(names), 2)
    return _vec(b"", 1) + _vec(exts, 2)


def _names(rng: random.Random, subjects: list[bytes]) -> list[bytes]:
    names = [rng.choice(subjects) for _ in range(rng.choice([0, 1, 1, 2, 3, 8]))]
    action = rng.randrange(6)
    if action == 0 and names:
        i = rng.randrange(len(names))
        names[i] = mutate.mutate_der(names[i], rng)
    elif action == 1 and names:
        names.insert(rng.randrange(len(names)), rng.choice([b"", b"\x30\x00", b"\x31\x00"]))
    elif action == 2 and names:
        names[rng.randrange(len(names))] = mutate.raw_mutate(rng.choice(names), rng)
    elif action == 3 and len(names) > 1:
        names.append(names[0])
        rng.shuffle(names)
    return names


def _poke_length(data: bytes, rng: random.Random) -> bytes:
    """Rewrite a 1- or 2-byte big-endian field somewhere: lengths mostly."""
    if len(data) < 2:
        return data
    pos = rng.randrange(len(data) - 1)
    value = rng.choice([0, 1, 0xFF, 0xFFFF, len(data), len(data) - pos, rng.randrange(0x10000)])
    return data[:pos] + (value & 0xFFFF).to_bytes(2, "big") + data[pos + 2 :]


def make(rng: random.Random, subjects: list[bytes]) -> tuple[bytes, bool]:
    tls13 = rng.random() < 0.5
    body = build(_names(rng, subjects), tls13)
    shape = rng.random()
    if shape < 0.25:
        body = _poke_length(body, rng)
    elif shape < 0.35:
        body = body[: rng.randrange(len(body) + 1)]
    elif shape < 0.4:
        body += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5)))
    elif shape < 0.5:
        body = mutate.raw_mutate(body, rng)
    return body, (tls13 if rng.random() < 0.95 else not tls13)


def exercise(body: bytes, tls13: bool) -> None:
    """What probe does with a CertificateRequest: parse, show each name, compare canonically."""
    for der in _parse_certificate_request(body, tls13):
        ca_name_text(der)
        canonical(name_from_der(der))


def test_fuzz_certificate_request(subjects: list[bytes]) -> None:
    rng = random.Random(f"{SEED}-certreq")
    crashes: list[str] = []
    start, done, parsed = time.monotonic(), 0, 0
    while done < INPUTS and time.monotonic() - start < BUDGET:
        body, tls13 = make(rng, subjects)
        t0 = time.monotonic()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a warning in a normal run is a finding too
                exercise(body, tls13)
            parsed += 1
        except ProbeError as exc:
            assert "\n" not in str(exc), str(exc)
        except Exception as exc:
            crashes.append(f"{type(exc).__name__}: {exc} [tls13={tls13} {body.hex()[:300]}]")
        assert time.monotonic() - t0 < 5, "one CertificateRequest took > 5 s"
        done += 1
    print(f"certreq: {done} inputs, {parsed} parsed, {len(crashes)} crashes")
    assert done >= min(INPUTS, 10_000) or BUDGET != 240, f"only {done} inputs in the time box"
    assert 0 < parsed < done, "the mutator should give both readable and malformed requests"
    assert not crashes, f"{len(crashes)} of {done}:\n" + "\n".join(crashes[:5])


def test_valid_requests_from_real_subjects_parse_exactly(subjects: list[bytes]) -> None:
    names = subjects[:20]
    for tls13 in (False, True):
        assert _parse_certificate_request(build(names, tls13), tls13) == names


# -- regressions: shapes that escaped before (issue 11) ------------------------------------------


@pytest.mark.parametrize(
    ("body", "tls13"),
    [
        (b"", True),
        (b"\x05\x01", False),
        (build([b"\x30\x03\x31\x01\x00"], False), False),  # an RDN holding garbage
        (build([b"\x31\x00"], True), True),  # not a SEQUENCE
        (build([b"\x30\x02\x31\x00"], False), False),  # an empty RDN: cryptography refuses it
        (build([b"\x30\x0a\x31\x08\x30\x06\x06\x00\x0c\x02ab"], True), True),  # empty OID
        (build([b"\x30\x07\x31\x05\x30\x03\x06\x01\x55"], False), False),  # OID without value
        (_vec(b"\x01", 1) + _vec(b"", 2) + b"\xff\xff\x00", False),  # length beyond the end
        (build([], False) + b"\x00", False),  # trailing bytes
    ],
)
def test_malformed_requests_are_probe_errors(body: bytes, tls13: bool) -> None:
    with pytest.raises(ProbeError) as info:
        exercise(body, tls13)
    assert "\n" not in str(info.value)
