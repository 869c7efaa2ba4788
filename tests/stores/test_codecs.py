"""Codecs on their own: round trips, wrong password vs corrupt, garbage never escapes."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12 as c_pkcs12
from hypothesis import given, settings
from hypothesis import strategies as st

from jettycfg.errors import StoreError, WrongPasswordError
from jettycfg.stores import asn1, files, jks, pkcs12, rc2
from jettycfg.stores.model import Entry, EntryKind, Store, StoreFormat
from tests.pki import issue


def sample_store() -> Store:
    ca = issue("Codec CA", ca=True)
    leaf = issue("leaf", ca)
    pkcs8 = leaf.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Store(
        StoreFormat.PKCS12,
        [
            Entry("key", EntryKind.KEY, [leaf.cert, ca.cert], key_pkcs8=pkcs8),
            Entry("ca", EntryKind.TRUSTED, [ca.cert]),
            Entry("ignored", EntryKind.IGNORED, [leaf.cert]),
        ],
    )


@pytest.mark.parametrize(("fmt", "legacy"), [("PKCS12", False), ("PKCS12", True), ("JKS", False)])
def test_round_trip(fmt: str, legacy: bool) -> None:
    store = sample_store()
    data = files.serialize(store, StoreFormat[fmt], "pw", legacy=legacy)
    again = files.parse(data, "pw")
    kinds = {e.alias: e.kind for e in again.entries}
    expected = {"key": EntryKind.KEY, "ca": EntryKind.TRUSTED}
    # JKS has no "ignored" bag: a certificate entry there is always trusted.
    expected["ignored"] = EntryKind.IGNORED if fmt == "PKCS12" else EntryKind.TRUSTED
    assert kinds == expected
    key = next(e for e in again.entries if e.kind is EntryKind.KEY)
    assert [c.subject for c in key.certs] == [c.subject for c in store.entries[0].certs]
    tmp_entry = key
    if fmt == "PKCS12":
        assert pkcs12.decrypt_key(tmp_entry, "pw") == store.entries[0].key_pkcs8
        assert again.protection.legacy is legacy
    else:
        assert tmp_entry.protected_key is not None
        assert jks.recover_key(tmp_entry.protected_key, "pw") == store.entries[0].key_pkcs8


def test_cryptography_reads_our_pkcs12() -> None:
    data = files.serialize(sample_store(), StoreFormat.PKCS12, "pw")
    loaded = c_pkcs12.load_pkcs12(data, b"pw")
    assert loaded.key is not None and loaded.cert is not None
    assert len(loaded.additional_certs) == 3  # chain CA, trusted CA, ignored leaf


@pytest.mark.parametrize("fmt", ["PKCS12", "JKS"])
def test_wrong_password_is_told_apart_from_corruption(fmt: str) -> None:
    data = files.serialize(sample_store(), StoreFormat[fmt], "right")
    with pytest.raises(WrongPasswordError):
        files.parse(data, "wrong")
    with pytest.raises(StoreError) as info:
        files.parse(data[: len(data) // 2], "right")
    assert not isinstance(info.value, WrongPasswordError)
    assert "right" not in str(info.value)


def test_jks_without_password_skips_integrity() -> None:
    data = files.serialize(sample_store(), StoreFormat.JKS, "pw")
    store = files.parse(data, None)
    assert len(store.entries) == 3 and "not checked" in (store.protection.integrity or "")


def test_pkcs12_without_password_has_no_entries() -> None:
    data = files.serialize(sample_store(), StoreFormat.PKCS12, "pw")
    store = files.parse(data, None)
    assert [e for e in store.entries if e.kind is not EntryKind.KEY] == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"hello world", "unknown format"),
        (b"\xfe\xed\xfe\xed\x00\x00\x00\x02", "truncated"),
        (b"0\x82\x05\x00\x02\x01\x03", "not valid PKCS#12|no readable certificate"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "no readable"),
    ],
)
def test_bad_files(data: bytes, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        files.parse(data, "pw")


@settings(max_examples=300)
@given(st.binary(max_size=600))
def test_garbage_raises_only_store_errors(data: bytes) -> None:
    for prefix in (b"", b"\xfe\xed\xfe\xed", b"\xce\xce\xce\xce", b"0"):
        with contextlib.suppress(StoreError):
            files.parse(prefix + data, "pw")


@settings(max_examples=100)
@given(st.integers(min_value=1, max_value=400))
def test_truncated_stores_raise_store_errors(cut: int) -> None:
    for fmt in (StoreFormat.PKCS12, StoreFormat.JKS):
        data = files.serialize(sample_store(), fmt, "pw")
        with pytest.raises(StoreError):
            files.parse(data[: max(0, len(data) - cut)], "pw")


def test_asn1_round_trip_and_errors() -> None:
    encoded = asn1.seq(
        asn1.integer(-129), asn1.oid("1.2.840.113549.1.12.10.1.3"), asn1.octets(b"x" * 300)
    )
    parts = asn1.parse(encoded).children()
    assert parts[0].integer() == -129
    assert parts[1].oid() == "1.2.840.113549.1.12.10.1.3"
    assert parts[2].octets() == b"x" * 300
    with pytest.raises(asn1.ASN1Error):
        asn1.parse(encoded + b"\x00")
    # BER: indefinite length, constructed OCTET STRING
    ber = b"\x30\x80" + b"\x24\x80\x04\x01a\x04\x01b\x00\x00" + b"\x00\x00"
    assert asn1.parse(ber).children()[0].octets() == b"ab"


def test_rc2_rfc2268_vectors() -> None:
    vectors = [
        ("0000000000000000", 63, "0000000000000000", "ebb773f993278eff"),
        ("ffffffffffffffff", 64, "ffffffffffffffff", "278b27e42e2f0d49"),
        ("88bca90e90875a7f0f79c384627bafb2", 128, "0000000000000000", "2269552ab0f85ca6"),
    ]
    for key, bits, plain, cipher in vectors:
        out = rc2.decrypt_cbc(bytes.fromhex(key), bytes(8), bytes.fromhex(cipher), bits)
        assert out.hex() == plain


def test_detect_by_content_not_name(tmp_path: Path) -> None:
    data = files.serialize(sample_store(), StoreFormat.JKS, "pw")
    lying = tmp_path / "truststore.p12"
    lying.write_bytes(data)
    assert files.load(lying, "pw").format is StoreFormat.JKS
