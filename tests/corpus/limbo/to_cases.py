import base64
import datetime as dt
import json
import sys

with open(sys.argv[1]) as f:
    d = json.load(f)


def b(pem):
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    return base64.b64encode(base64.b64decode(body)).decode()


NOW = int(sys.argv[2])
for t in d["testcases"]:
    try:
        at = t["validation_time"]
        ep = int(dt.datetime.fromisoformat(at).timestamp()) if at else NOW
        roots = ",".join(b(p) for p in t["trusted_certs"])
        sent = ",".join(b(p) for p in [t["peer_certificate"]] + t["untrusted_intermediates"])
    except Exception as e:
        print("skipgen", t["id"], e, file=sys.stderr)
        continue
    print(f"{t['id']}\t{ep}\t{roots}\t{sent}")
