"""JC467-JC470: a client's PKCS#12 bundle (--client-p12) as the client platforms see it."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization

from jettycfg.errors import JettycfgError
from jettycfg.lint.context import ClientCert
from jettycfg.rules import Severity
from jettycfg.rules.clients import JC467, JC468, JC469, JC470
from jettycfg.stores.model import EntryKind
from jettycfg.trust.pkix import Problem


def _key_matches(client: ClientCert, password: str | None) -> bool | None:
    """Whether the bundle's key belongs to the leaf; None when it cannot be decrypted here."""
    from jettycfg.stores import pkcs12

    assert client.bundle is not None
    keys = [e for e in client.bundle.entries if e.kind is EntryKind.KEY]
    if not keys:
        return False
    entry = keys[0]
    try:
        pkcs8 = entry.key_pkcs8 or pkcs12.decrypt_key(entry, password or "")
        key = serialization.load_der_private_key(pkcs8, None)
    except (JettycfgError, ValueError, TypeError):
        return None
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    return key.public_key().public_bytes(der, spki) == client.chain[0].public_key().public_bytes(
        der, spki
    )


def bundle_problems(client: ClientCert, account: str | None, password: str | None) -> list[Problem]:
    """What browsers, the Windows store and Connect-JS7 will make of this bundle."""
    assert client.bundle is not None
    leaf = client.chain[0]
    problems: list[Problem] = []
    if _key_matches(client, password) is False:
        problems.append(
            Problem(
                JC470,
                "the bundle holds no private key for its certificate",
                "bundle the certificate with its own key (jettycfg client bundle)",
            )
        )
    issued_by_other = leaf.issuer != leaf.subject
    if issued_by_other and not any(c.subject == leaf.issuer for c in client.chain[1:]):
        problems.append(
            Problem(
                JC467,
                f"the bundle does not hold its issuer {leaf.issuer.rfc4514_string()}",
                "rebuild it with the chain: jettycfg client bundle --chain CA.pem",
                Severity.WARNING,
            )
        )
    if not client.bundle.protection.legacy:
        problems.append(
            Problem(
                JC468,
                f"protected with {client.bundle.protection.key_encryption or 'PBES2/AES'}: "
                "Windows Server 2016 and older macOS cannot import it",
                "jettycfg client bundle --profile legacy (or store convert --legacy)",
                Severity.WARNING,
            )
        )
    keys = [e for e in client.bundle.entries if e.kind is EntryKind.KEY]
    if keys and account is not None and keys[0].alias.lower() != account.lower():
        problems.append(
            Problem(
                JC469,
                f"friendlyName '{keys[0].alias}' is not the account '{account}'",
                "rebuild the bundle with friendlyName = account (jettycfg client bundle)",
                Severity.INFO,
            )
        )
    return problems
