"""Every check documents itself and is shown failing by a case folder.

The documentation site's checks reference is generated from these docstrings
(docs/hooks.py); tests/test_docs_site.py checks that it lists every code."""

from __future__ import annotations

import pytest

from crisisplan.check.checks import all_checks
from crisisplan.check.codes import all_codes
from crisisplan.check.rules import PACKS, pack_doc
from tests.conftest import CASES

CHECKS = all_checks()


@pytest.mark.parametrize("check", CHECKS, ids=[c.code for c in CHECKS])
def test_check_is_documented_with_a_failing_and_a_passing_example(check: object) -> None:
    from crisisplan.check.checks import Check

    assert isinstance(check, Check)
    assert check.summary
    assert "Fails:" in check.doc
    assert "Passes:" in check.doc


@pytest.mark.parametrize("info", all_codes(), ids=[c.code for c in all_codes()])
def test_every_code_has_a_failing_case(info: object) -> None:
    from crisisplan.check.codes import CodeInfo

    assert isinstance(info, CodeInfo)
    if info.code in ("CP007", "CP011", "CP012", "CP014"):
        pytest.skip("made on the fly in test_bad_input: too big for git, an absent path, or a pipe")
    if info.code == "CP901":
        pytest.skip("reported by build --audience public, not by check: tests/publish/test_public_leaks.py")
    if info.code == "CP107":
        pytest.skip("fallback for schema keywords the plan schema does not use")
    prefix = info.code.lower() + "-"
    cases = [p for p in (CASES / "invalid").iterdir() if p.name.startswith(prefix)]
    assert cases, f"add tests/cases/invalid/{prefix}<what>/"
    assert any(info.code in (case / "expected.txt").read_text() for case in cases)


@pytest.mark.parametrize("pack", list(PACKS))
def test_every_rule_pack_says_what_its_standard_asks(pack: str) -> None:
    # `crisisplan explain PACK` and the documentation's rule packs page print this.
    doc = pack_doc(pack)
    assert doc.startswith(f"{pack}: "), "the docstring's first line names the pack"
    assert "\n\n" in doc, "then what the standard asks, and where it says so"
