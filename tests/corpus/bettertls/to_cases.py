"""Convert BetterTLS's `export-tests` JSON into case lines (see README.md).

Usage: python to_cases.py export.json > cases.tsv; then gzip -9n.
Every path-building case is kept. Of the name-constraints suite, the cases whose client
hostname is an IP address are dropped: they repeat the DNS-hostname grid with the same
certificate shapes (fresh keys), and a client chain has no hostname to check.
"""

import base64
import json
import sys

from cryptography import x509

GRID_START = 7  # nameconstraints/provider.go: 6 feature cases + 1 extra, then the grid
GRID_HALF = 2 * 3**7  # CN type x CN x DNS SAN x IP SAN x 4 constraint values, per hostname type


def keep(suite: str, cid: int) -> bool:
    if suite != "nameconstraints":
        return True
    return not GRID_START + GRID_HALF <= cid < GRID_START + 2 * GRID_HALF


def main() -> None:
    with open(sys.argv[1]) as f:
        data = json.load(f)
    root = base64.b64decode(data["trustRoot"])
    first = data["suites"]["nameconstraints"]["testCases"][0]["certificates"][0]
    # The generator stamps notBefore = now - 24 h on each certificate it makes: judge every
    # case just after generation time (an existing --rootCa may be older).
    leaf = x509.load_der_x509_certificate(base64.b64decode(first))
    epoch = int(leaf.not_valid_before_utc.timestamp()) + 24 * 3600 + 60
    root_b64 = base64.b64encode(root).decode()
    for suite in sorted(data["suites"]):
        for case in data["suites"][suite]["testCases"]:
            if not keep(suite, case["id"]):
                continue
            sent = ",".join(case["certificates"])  # already base64 DER, leaf first
            print(f"{suite}::{case['id']}\t{epoch}\t{root_b64}\t{sent}")


if __name__ == "__main__":
    main()
