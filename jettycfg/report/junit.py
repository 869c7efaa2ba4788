"""JUnit XML for CI test reports: one test case per client certificate and per finding."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from jettycfg.errors import printable
from jettycfg.lint.findings import Severity
from jettycfg.lint.runner import LintResult


def render_junit(result: LintResult) -> str:
    suites = ET.Element("testsuites", name="jettycfg lint")
    config = ET.SubElement(suites, "testsuite", name="configuration")
    cases = 0
    failures = 0
    for f in result.findings:
        case = ET.SubElement(
            config,
            "testcase",
            classname=f"configuration.{f.rule}",
            name=f"{f.rule} {f.message}"[:200],
        )
        cases += 1
        if f.severity is Severity.ERROR:
            failures += 1
            ET.SubElement(case, "failure", message=f.message, type=f.rule).text = f.fix or ""
        else:
            ET.SubElement(case, "system-out").text = f"{f.severity.label}: {f.message}"
    if not result.findings:
        ET.SubElement(config, "testcase", classname="configuration", name="no findings")
        cases += 1
    config.set("tests", str(cases))
    config.set("failures", str(failures))
    certs = ET.SubElement(
        suites, "testsuite", name="client certificates", tests=str(len(result.clients))
    )
    cert_failures = 0
    for c in result.clients:
        case = ET.SubElement(
            certs,
            "testcase",
            classname="client_certificates",
            name=f"{c.file} {c.common_name or c.subject or ''}".strip(),
        )
        errors = [p for p in c.problems if p.severity is Severity.ERROR]
        if not c.accepted or errors:
            cert_failures += 1
            text = "\n".join(f"{p.rule} {p.message}" for p in c.problems)
            verdict = "accepted" if c.accepted else "rejected"
            ET.SubElement(
                case,
                "failure",
                message=f"{verdict}: " + "; ".join(p.rule for p in errors),
                type="rejected" if not c.accepted else "problem",
            ).text = text
    certs.set("failures", str(cert_failures))
    for element in suites.iter():  # a file name or subject may hold what XML 1.0 cannot
        element.attrib = {k: _xml_text(v) for k, v in element.attrib.items()}
        if element.text:
            element.text = _xml_text(element.text)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


# what XML 1.0 refuses: C0 controls but tab / LF / CR, lone surrogates (bytes of a non-UTF-8
# file name), U+FFFE / U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold shown escaped (as :func:`printable` shows it)."""
    return _NOT_XML.sub(lambda m: printable(m.group(0)), text)
