"""Jetty OBF passwords: the reference vectors and a round trip for any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jettycfg.errors import PasswordError
from jettycfg.jetty.obf import deobfuscate, obfuscate, reveal

VECTORS = {
    "storepwd": "OBF:1vny1zlo1x8e1vnw1vn61x8g1zlu1vn4",
    "keypwd": "OBF:1u2u1wml1z7s1z7a1wnl1u2g",
    "jobscheduler": "OBF:1wmv1v2h1tv91z0d1shq1toi1toc1shs1z0h1tvt1v1x1wnb",
    "pässwörd€": "OBF:U0m98U12maU0wki1vny1yf4U0nnaU12o3U101j1yf21vn4U18roU0ptvU0y28",
}


@pytest.mark.parametrize(("plain", "obf"), VECTORS.items())
def test_reference_vectors(plain: str, obf: str) -> None:
    assert obfuscate(plain) == obf
    assert deobfuscate(obf) == plain


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_round_trip(password: str) -> None:
    encoded = obfuscate(password)
    assert encoded.startswith("OBF:")
    assert deobfuscate(encoded) == password


@pytest.mark.parametrize("bad", ["OBF:1vn", "OBF:U12", "OBF:!!!!"])
def test_garbage_is_a_clean_error(bad: str) -> None:
    with pytest.raises(PasswordError) as info:
        deobfuscate(bad)
    assert bad[4:] not in str(info.value) or bad == "OBF:"


def test_reveal_only_decodes_obf() -> None:
    assert reveal("OBF:1u2u1wml1z7s1z7a1wnl1u2g") == "keypwd"
    assert reveal("plain") == "plain"
