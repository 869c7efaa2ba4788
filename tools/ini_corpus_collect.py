"""Copy the Jetty bases of tests/corpus/ini from fetched mirrors (/work/.mirror/<owner>+<name>),
byte for byte (`git show`), and write manifest.json (repo, path, commit, licence, Jetty line).
Run once by a developer; the corpus is committed, CI never fetches."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "ini"
MIRRORS = Path("/work/.mirror")
NOLIC = "no licence file in the repository; start ini lines follow Jetty's own templates"
# name, repo, folder of the base in the repo ("" = root), Jetty line it was written for, licence
BASES = [
    ("internet2-inc-train", "Internet2/inc-train-jetty-base", "jetty-base", "9.4", NOLIC),
    ("unicon-shib-idpv3", "UniconLabs/shibboleth-idpv3-jetty9-base", "", "9.4", "Apache-2.0"),
    ("javirpe-standalone", "javiRPE/JettyStandalone", "", "9.4", NOLIC),
    (
        "lachlan-maven-https",
        "lachlan-roberts/jetty-maven-plugin-https-example",
        "jetty-base",
        "10.0",
        NOLIC,
    ),
    ("jetty-oome-root", "jetty-project/jetty-oome", "", "9.4", NOLIC),
    (
        "jetty-oome-heapdump",
        "jetty-project/jetty-oome",
        "examples/heapdump-oome-base",
        "9.4",
        NOLIC,
    ),
    ("rumetiller-geoserver", "RumeTiller/geoserver_ssl_config", "", "9.4", NOLIC),
    ("simplyphisoft-jetty9", "SimplyPhiSoft/jetty9", "", "9.4", "EPL-1.0/Apache-2.0 (Jetty)"),
    (
        "jetty-custom-connectors",
        "jetty-project/example-jetty-base-custom-connectors",
        "",
        "9.4",
        NOLIC,
    ),
    ("chaizhi-docker-jetty", "ChaiZhi/docker-jetty", "", "9.4", "MIT"),
    ("e7-jetty-seperation", "e7/jetty-seperation", "", "9.4", "Apache-2.0"),
    ("cmichon-ant-jetty9", "cmichon/ant-jetty9", "", "9.4", "Apache-2.0"),
    ("itnode-pdfreactor", "itnode/docker-pdfreactor", "", "9.4", NOLIC),
    ("boston-ldf-jetty", "boston-library/ldf-jetty", "", "9.4", "Apache-2.0"),
    ("visono-serf-jetty", "Visono/debian_serf_jre_jetty", "", "9.4", "MIT"),
    ("filelug-cloud", "filelug/filelug-cloud", "jetty-base", "9.4", "Apache-2.0"),
    ("filelug-cloud-local", "filelug/filelug-cloud", "jetty-local-base", "9.4", "Apache-2.0"),
    ("felix-webapp-crlf", "jetty-project/felix-webapp", "", "9.4", NOLIC),
    ("tsugumon-crlf", "inomoto-hironobu/tsugumon", "", "9.4", "MIT"),
    ("cloudscode-pft-web", "cloudscode/pft-web-base", "", "9.4", NOLIC),
    ("srikanth-react", "Srikanth-aakuthota/jetty-server-react", "jetty-base", "11.0", NOLIC),
]


def _git(repo: str, *args: str) -> bytes:
    mirror = MIRRORS / repo.replace("/", "+") / "repo"
    gitdir = mirror / ".git" if (mirror / ".git").is_dir() else mirror
    return subprocess.run(
        ["git", f"--git-dir={gitdir}", *args], capture_output=True, check=True
    ).stdout


def _wanted(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    top = rel.split("/", 1)[0]
    return (
        rel == "start.ini"
        or (top == "start.d" and name.endswith(".ini"))
        or (top == "modules" and name.endswith(".mod"))
        or (top == "etc" and name.endswith(".xml"))
    )


def main() -> int:
    entries = []
    for name, repo, folder, line, lic in BASES:
        commit = _git(repo, "rev-parse", "HEAD").decode().strip()
        prefix = f"{folder}/" if folder else ""
        listing = _git(repo, "ls-tree", "-r", "--name-only", "HEAD").decode().splitlines()
        files = []
        for path in listing:
            if not path.startswith(prefix) or not _wanted(path[len(prefix) :]):
                continue
            data = _git(repo, "show", f"HEAD:{path}")
            dst = CORPUS / name / path[len(prefix) :]
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)
            files.append({"file": path[len(prefix) :], "path": path})
        entries.append(
            {
                "base": name,
                "repo": repo,
                "folder": folder,
                "commit": commit,
                "jetty": line,
                "license": lic,
                "files": files,
            }
        )
    doc = {
        "note": "Jetty bases from public repositories, copied byte for byte "
        "(tools/ini_corpus_collect.py); verdicts.json holds real start.jar's view "
        "(tools/ini_corpus_verdicts.py).",
        "bases": entries,
    }
    (CORPUS / "manifest.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
