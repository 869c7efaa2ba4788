"""lint's PEM reader (certs.load_pem_all: plain blocks decoded here, interned per run) reads
exactly what cryptography's load_pem_x509_certificates reads - on odd shapes and on random
mutations - and hands out one object per certificate within a run."""

from __future__ import annotations

import binascii
import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from jettycfg import memo
from jettycfg.certs import cert_id, load_pem_all
from tests.pki import make_pki

PKI = make_pki()
LEAF = PKI.client.cert.public_bytes(Encoding.PEM)
# a fixed certificate whose base64 ends in padding (generated ones vary in length)
CA = (Path(__file__).resolve().parents[2] / "samples" / "clients" / "demo-ca.crt").read_bytes()


def _theirs(data: bytes) -> list[bytes] | str:
    try:
        return [c.public_bytes(Encoding.DER) for c in x509.load_pem_x509_certificates(data)]
    except (ValueError, x509.InvalidVersion):  # a mutated version byte: not a ValueError
        return "refused"


def _ours(data: bytes) -> list[bytes] | str:
    with memo.scope():
        try:
            return [c.public_bytes(Encoding.DER) for c in load_pem_all(data)]
        except (ValueError, x509.InvalidVersion):
            return "refused"


ODD = {
    "plain": LEAF + CA,
    "crlf": (LEAF + CA).replace(b"\n", b"\r\n"),
    "junk between and around": b"subject=CN=x\n" + LEAF + b"issuer: y\n\n" + CA + b"trailer",
    "no final newline": (LEAF + CA).rstrip(b"\n"),
    "x509 certificate label": CA.replace(b"CERTIFICATE", b"X509 CERTIFICATE"),
    "trusted certificate label": CA.replace(b"CERTIFICATE", b"TRUSTED CERTIFICATE"),
    "with a key block": LEAF + b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    "bad base64": LEAF.replace(b"\n", b"\n!!", 2),
    "blank line inside": LEAF.replace(b"\n", b"\n\n", 3),
    "indented lines": LEAF.replace(b"\n", b"\n  ", 4),
    "header line": LEAF.replace(b"-----\n", b"-----\nProc-Type: 4,ENCRYPTED\n\n", 1),
    "empty block": b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
    "missing end": LEAF[: LEAF.index(b"-----END")],
    "truncated body": LEAF[:200] + LEAF[LEAF.index(b"-----END") :],
    "nothing": b"",
    "same block twice": CA + CA,
    "version byte out of range": LEAF[:43] + b"+" + LEAF[44:],  # InvalidVersion, not ValueError
    "blank line after BEGIN": CA.replace(b"-----\n", b"-----\n\n", 1),
    "spaces at line ends": CA.replace(b"\n", b" \n"),
    "lone CR line breaks": CA.replace(b"\n", b"\r"),
    "lone CR inside a line": CA[:100] + b"\r" + CA[100:],
    "blank CRLF line": CA.replace(b"\n", b"\n\r\n", 3),
    "CR CR LF": CA.replace(b"\n", b"\r\r\n", 2),
    "mixed LF and CRLF": CA.replace(b"\n", b"\r\n", 5),
    "unpadded": CA.replace(b"=\n", b"\n").replace(b"=\n", b"\n"),
}
for _k in range(1, 7):  # cryptography's scanner misses a BEGIN right after 1-5 dashes
    ODD[f"{_k} dashes before"] = b"-" * _k + LEAF
    ODD[f"{_k} dashes between"] = LEAF + b"-" * _k + CA
ODD["text glued before"] = b"a-" + LEAF
_PAD = CA.index(b"=")
for _ch in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":  # trailing bits before the padding: canonical or not
    ODD[f"last symbol {chr(_ch)}"] = CA[: _PAD - 1] + bytes([_ch]) + CA[_PAD:]


def _unpadded_pem(stray: bytes) -> bytes:
    """A certificate whose base64 needs no padding, and whose last symbols with ``stray``
    appended make a canonical final quantum: what Python's strict decoder then takes."""
    key = ec.generate_private_key(ec.SECP256R1())
    for i in range(1, 2000):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x" * (i % 60 + 1))])
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(i)
            .not_valid_before(dt.datetime(2020, 1, 1))
            .not_valid_after(dt.datetime(2030, 1, 1))
            .sign(key, hashes.SHA256())
        )
        der = cert.public_bytes(Encoding.DER)
        tail = binascii.b2a_base64(der, newline=False)[len(stray) - 4 :] + stray
        if len(der) % 3 == 0 and binascii.b2a_base64(binascii.a2b_base64(tail))[:-1] == tail:
            pem = cert.public_bytes(Encoding.PEM)
            last = pem.index(b"\n-----END")
            return pem[:last] + stray + pem[last:]
    raise AssertionError("no certificate of that shape")


for _stray in (b"=", b"=="):  # Python's strict base64 takes "AAAA=" and "AAAA==": not ours
    ODD[f"stray {_stray.decode()} after the last quantum"] = _unpadded_pem(_stray)


def test_odd_shapes_read_as_cryptography_reads_them() -> None:
    for name, data in ODD.items():
        assert _ours(data) == _theirs(data), name


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutations_read_as_cryptography_reads_them(data: st.DataObject) -> None:
    blob = bytearray(LEAF + CA)
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(blob) - 1))
        kind = data.draw(st.sampled_from(["set", "insert", "delete"]))
        byte = data.draw(st.sampled_from(list(b"\r\n -=+/A0!\x00")))
        if kind == "set":
            blob[where] = byte
        elif kind == "insert":
            blob.insert(where, byte)
        else:
            del blob[where]
    assert _ours(bytes(blob)) == _theirs(bytes(blob))


def test_one_object_per_certificate_within_a_run_none_outside() -> None:
    with memo.scope():
        first, second = load_pem_all(LEAF + CA), load_pem_all(CA.replace(b"\n", b"\r\n"))
        assert second[0] is first[1]  # the same CA, whatever its line endings
        assert cert_id(first[1]) == cert_id(second[0]) != cert_id(first[0])
    assert load_pem_all(CA)[0] is not load_pem_all(CA)[0]  # no run: nothing kept


def _plain_lines_spelled_out(text: bytes) -> bool:
    """The line shape ``\\r?\\n(?:[^\\r\\n]+\\r?\\n)+`` as every rule at once (the reference
    for the LF-only shortcut in jettycfg.certs.held._plain_lines)."""
    return (
        len(text) > 2
        and (text.startswith(b"\n") or text.startswith(b"\r\n"))
        and text.endswith(b"\n")
        and b"\n\n" not in text
        and b"\n\r\n" not in text
        and text.count(b"\r") == text.count(b"\r\n")
    )


@settings(max_examples=500)
@given(st.lists(st.sampled_from([b"\r", b"\n", b"\r\n", b"A", b"QUJD"]), max_size=12))
def test_line_shape_shortcut_agrees_with_every_rule(pieces: list[bytes]) -> None:
    from jettycfg.certs.held import _plain_lines

    text = b"".join(pieces)
    assert _plain_lines(text) == _plain_lines_spelled_out(text)
