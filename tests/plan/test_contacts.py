"""Phone numbers and e-mail addresses, checked by phonenumbers and email-validator:
what a phone can dial and what an address can be, never by asking the network."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT, TODAY, invoke

MINIMAL = CASES / "valid" / "minimal" / "plan.yaml"


def plan_with(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = MINIMAL.read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "plan.yaml").write_text(text)
    return tmp_path


LEAD_PHONE = 'phone: "+44 20 7946 0001"'
DEPUTY_PHONE = 'phone: "+44 20 7946 0002"'
LEAD_EMAIL = "email: ana@example.com"


def test_a_number_too_short_for_its_country_cannot_be_dialled(tmp_path: Path) -> None:
    folder = plan_with(tmp_path, (LEAD_PHONE, 'phone: "+44 1234567"'))
    assert invoke("check", ".", cwd=folder) == (
        1,
        "plan.yaml:17:14: error CP408: '+44 1234567' cannot be dialled: no number under +44 (GB) has this length and these first digits\n"
        "  hint: check for a digit left out, added or swapped; a mobile number there is written like +44 7400 123456\n"
        "1 plan checked: 1 error\n",
        "",
    )


def test_brackets_and_hyphens_between_groups_are_fine(tmp_path: Path) -> None:
    folder = plan_with(
        tmp_path,
        (LEAD_PHONE, 'phone: "+1 (212) 555-0100"'),
        (DEPUTY_PHONE, 'phone: "+62 812.3456.7890"'),
    )
    assert invoke("check", ".", "--strict", cwd=folder) == (0, "1 plan checked: no problems\n", "")


def test_two_dots_in_a_row_is_not_an_address(tmp_path: Path) -> None:
    folder = plan_with(tmp_path, (LEAD_EMAIL, "email: ana..lima@acme.com"))
    assert invoke("check", ".", cwd=folder) == (
        1,
        "plan.yaml:18:14: error CP405: 'ana..lima@acme.com' is not an e-mail address\n"
        "  hint: an email address cannot have two periods in a row; write it like name@example.com\n"
        "1 plan checked: 1 error\n",
        "",
    )


def test_a_national_number_gets_the_plans_country_code_grouped_as_that_country_writes_it(
    tmp_path: Path,
) -> None:
    # The plan's other numbers are North American, so a number written as dialled
    # inside the US is shown with +1, grouped the American way.
    folder = plan_with(
        tmp_path,
        (LEAD_PHONE, 'phone: "+1 212 555 0100"'),
        (DEPUTY_PHONE, 'phone: "(212) 555-0101"'),
    )
    assert invoke("check", ".", cwd=folder) == (
        1,
        "plan.yaml:22:16: error CP404: '(212) 555-0101' is not an international phone number\n"
        '  hint: add the country code, in quotes: "+1 212-555-0101" (+1 is used elsewhere in this plan)\n'
        "1 plan checked: 1 error\n",
        "",
    )


def test_checking_contacts_never_touches_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a check asked the network")

    # A domain that does not exist passes: only the address's syntax is checked.
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    folder = plan_with(tmp_path, (LEAD_EMAIL, "email: ana@no-such-domain-for-crisisplan.example"))
    assert invoke("check", ".", "--strict", cwd=folder) == (0, "1 plan checked: no problems\n", "")


def test_tel_links_use_the_e164_form_with_the_extension_apart(tmp_path: Path) -> None:
    from crisisplan.publish.build import build
    from crisisplan.publish.options import BuildOptions

    plans = tmp_path / "plans"
    plans.mkdir()
    plan_with(
        plans,
        (LEAD_PHONE, 'phone: "+1 (212) 555-0100"'),
        (DEPUTY_PHONE, 'phone: "+44 20 7946 0002 ext. 12"'),
    )
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    result = build(
        BuildOptions(
            paths=[plans],
            site_dir=tmp_path / "site",
            config_file=tmp_path / "mkdocs.yml",
            pdf=False,
            today=dt.date.fromisoformat(TODAY),
        )
    )
    assert result.built, result.report.diagnostics
    team = (tmp_path / "site" / "plans" / "team.html").read_text("utf-8")
    assert 'href="tel:+12125550100">+1 (212) 555-0100</a>' in team
    assert 'href="tel:+442079460002;ext=12">+44 20 7946 0002 ext. 12</a>' in team
