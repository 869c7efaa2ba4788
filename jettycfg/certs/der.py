"""A minimal DER walk over a certificate: the fields Java's parser is strict about."""

from __future__ import annotations

MAX_DEPTH = 32


class DerError(ValueError):
    pass


def _span(data: bytes, pos: int, bound: int) -> tuple[int, int]:
    """(start, end) of the content of the element at ``pos``, which must lie within
    ``bound``: :func:`_tlv` without the tag, for the walk every client certificate takes."""
    if pos + 2 > bound:
        raise DerError("truncated")
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4 or pos + n > bound:
            raise DerError("bad length")
        length = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    end = pos + length
    if end > bound:
        raise DerError("truncated")
    return pos, end


def _tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the element at ``pos``."""
    start, end = _span(data, pos, len(data))
    return data[pos], start, end


def children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out = []
    pos = start
    while pos < end:
        tag, s, e = _tlv(data, pos)
        out.append((tag, s, e))
        pos = e
    return out


def java_parse_problem(der: bytes) -> str | None:
    """Why Java's X509CertImpl refuses ``der``, or None."""
    try:
        _, s, e = _tlv(der, 0)
        cert = children(der, s, e)
        if len(cert) < 3:
            return None
        tbs = children(der, cert[0][1], cert[0][2])
        outer_alg = der[cert[1][1] : cert[1][2]]
        i = 1 if tbs and tbs[0][0] == 0xA0 else 0
        fields = tbs[i:]
        if len(fields) < 6:
            return None
        inner_alg = der[fields[1][1] : fields[1][2]]
        if _alg_oid(der, inner_alg) != _alg_oid(der, outer_alg):
            return "Signature algorithm mismatch"
        issuer, subject = fields[2], fields[4]
        if issuer[1] == issuer[2]:
            return "Empty issuer DN not allowed in X509Certificates"
        exts = _extensions(der, fields[6:])
    except DerError:
        return None  # cryptography's parser says what is wrong
    if explicit_ec_parameters(der):
        return "Only named ECParameters supported"
    oids = [oid for oid, _ in exts]
    if len(set(oids)) != len(oids):
        return "Duplicate extensions not allowed"
    san = next((crit for oid, crit in exts if oid == _SAN), None)
    if subject[1] == subject[2] and san is False:
        return "SubjectAlternativeName extension MUST be marked critical when subject is empty"
    return None


_SAN = bytes.fromhex("551d11")


def _alg_oid(der: bytes, alg: bytes) -> bytes:
    _, s, e = _tlv(alg, 0)
    return alg[s:e]


def _extensions(der: bytes, rest: list[tuple[int, int, int]]) -> list[tuple[bytes, bool]]:
    out: list[tuple[bytes, bool]] = []
    for tag, s, _e in rest:
        if tag != 0xA3:
            continue
        _, s2, e2 = _tlv(der, s)
        for _, es, ee in children(der, s2, e2):
            parts = children(der, es, ee)
            oid = der[parts[0][1] : parts[0][2]]
            critical = len(parts) == 3 and parts[1][0] == 0x01 and der[parts[1][1]] != 0
            out.append((oid, critical))
    return out


def _enc(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def extension_spans(der: bytes) -> list[tuple[bytes, bool, bytes]]:
    """(oid, critical, whole Extension TLV) of every extension, in order."""
    _, s, e = _tlv(der, 0)
    tbs = children(der, s, e)[0]
    out = []
    for tag, ts, _te in children(der, tbs[1], tbs[2]):
        if tag != 0xA3:
            continue
        _, pos, e2 = _tlv(der, ts)
        while pos < e2:
            _, es, ee = _tlv(der, pos)
            parts = children(der, es, ee)
            oid = der[parts[0][1] : parts[0][2]]
            critical = len(parts) == 3 and parts[1][0] == 0x01 and der[parts[1][1]] != 0
            out.append((oid, critical, der[pos:ee]))
            pos = ee
    return out


def with_extensions(der: bytes, extensions: list[bytes]) -> bytes:
    """``der`` with its extensions replaced by ``extensions`` (signature kept as is)."""
    _, s, e = _tlv(der, 0)
    tbs, alg, sig = children(der, s, e)[:3]
    fields = []
    for tag, ts, te in children(der, tbs[1], tbs[2]):
        if tag == 0xA3:
            continue
        fields.append(_enc(tag, der[ts:te]))
    if extensions:
        fields.append(_enc(0xA3, _enc(0x30, b"".join(extensions))))
    new_tbs = _enc(0x30, b"".join(fields))
    return _enc(
        0x30, new_tbs + _enc(alg[0], der[alg[1] : alg[2]]) + _enc(sig[0], der[sig[1] : sig[2]])
    )


# ecdsa-with-SHA1 / -SHA224 / -SHA256 / -SHA384 / -SHA512: parameters absent (RFC 5758)
_ECDSA_SIGNATURES = frozenset(
    bytes.fromhex("2a8648ce3d04" + tail) for tail in ("01", "0301", "0302", "0303", "0304")
)


def _without_null(der: bytes, alg: tuple[int, int, int]) -> bytes | None:
    """An ECDSA AlgorithmIdentifier with an explicit NULL, re-encoded without it; else None."""
    tag, s, e = alg
    parts = children(der, s, e)
    if tag != 0x30 or len(parts) != 2 or parts[0][0] != 0x06 or parts[1][0] != 0x05:
        return None
    oid = der[parts[0][1] : parts[0][2]]
    if oid not in _ECDSA_SIGNATURES or parts[1][1] != parts[1][2]:
        return None
    return _enc(0x30, _enc(0x06, oid))


def without_null_signature_params(der: bytes) -> bytes | None:
    """``der`` with the explicit NULL dropped from its ECDSA signature AlgorithmIdentifiers
    (the TBS's and the outer one), or None when there is none. Java reads NULL parameters as
    none (jdk17u AlgorithmId.parse) - a Jetty test keystore's certificate has them - while
    cryptography refuses the certificate. The twin only serves to read it: its signature is
    checked over the original TBS, and it stands for the original DER."""
    try:
        _, s, e = _tlv(der, 0)
        tbs, alg, sig = children(der, s, e)[:3]
        fields = children(der, tbs[1], tbs[2])
        at = 2 if fields and fields[0][0] == 0xA0 else 1  # [0] version, serial, signature
        inner, outer = _without_null(der, fields[at]), _without_null(der, alg)
    except (DerError, IndexError, ValueError):
        return None
    if inner is None and outer is None:
        return None
    body = [
        inner if i == at and inner is not None else _enc(tag, der[ts:te])
        for i, (tag, ts, te) in enumerate(fields)
    ]
    head = outer if outer is not None else _enc(alg[0], der[alg[1] : alg[2]])
    return _enc(0x30, _enc(0x30, b"".join(body)) + head + _enc(sig[0], der[sig[1] : sig[2]]))


def tbs_bytes(der: bytes) -> bytes:
    _, s, e = _tlv(der, 0)
    tag, ts, te = children(der, s, e)[0]
    return _enc(tag, der[ts:te])


_EC_PUBLIC_KEY = bytes.fromhex("2a8648ce3d0201")


def explicit_ec_parameters(der: bytes) -> bool:
    """An EC key with explicit curve parameters (Java: 'Only named ECParameters supported')."""
    try:
        _, s, e = _tlv(der, 0)
        tbs = children(der, s, e)[0]
        fields = children(der, tbs[1], tbs[2])
        spki = fields[6] if fields[0][0] == 0xA0 else fields[5]
        alg = children(der, spki[1], spki[2])[0]
        parts = children(der, alg[1], alg[2])
    except (DerError, IndexError):
        return False
    return (
        len(parts) == 2 and der[parts[0][1] : parts[0][2]] == _EC_PUBLIC_KEY and parts[1][0] == 0x30
    )


def empty_name_constraints(extension: bytes) -> bool:
    """NameConstraints whose subtrees are all empty or NULL: Java's NameConstraintsExtension
    parses them as no constraints at all (cryptography refuses them)."""
    try:
        _, s, e = _tlv(extension, 0)
        parts = children(extension, s, e)
        _, vs, _ve = parts[-1]
        _, ns, ne = _tlv(extension, vs)
        for _, cs, ce in children(extension, ns, ne):
            body = extension[cs:ce]
            if body not in (b"", b"\x05\x00"):
                return False
    except (DerError, IndexError):
        return False
    return True


def tbs_head(der: bytes) -> tuple[bool, bytes | None, bytes | None, bytes | None]:
    """From the first fields only: whether the outer signatureAlgorithm differs from the TBS's
    (Java: 'Signature algorithm mismatch'), the issuer's and the subject's Name DER, then the
    TBS element as encoded - the bytes the issuer signed (None where the walk fails:
    cryptography's parser says what is wrong)."""
    size = len(der)
    try:
        s, _ = _span(der, 0, size)
        ts, te = _span(der, s, size)
        as_, ae = _span(der, te, size)
        os_, oe = _span(der, as_, ae)  # the OID: the first element of the AlgorithmIdentifier
        pos = ts
        if pos < size and der[pos] == 0xA0:  # [0] version
            pos = _span(der, pos, size)[1]
        pos = _span(der, pos, size)[1]  # the serial
        is_, ie = _span(der, pos, size)  # the TBS's signature AlgorithmIdentifier
        ios, ioe = _span(der, is_, ie)
        differ = der[ios:ioe] != der[os_:oe]
    except DerError:
        return False, None, None, None
    tbs = der[s:te]
    try:
        issuer_end = _span(der, ie, size)[1]
        validity_end = _span(der, issuer_end, size)[1]
        subject_end = _span(der, validity_end, size)[1]
    except DerError:
        return differ, None, None, tbs
    return differ, der[ie:issuer_end], der[validity_end:subject_end], tbs
