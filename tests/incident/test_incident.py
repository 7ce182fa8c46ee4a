"""Incident-time terminal tools: from a trigger word to a filled statement."""

from __future__ import annotations

import shlex

from crisisplan.check.pipeline import check_paths
from crisisplan.incident.find import find_scenarios
from crisisplan.plan.model import Plan
from tests.conftest import CASES, ROOT
from tests.conftest import invoke as run


def plans() -> list[Plan]:
    return [p.plan for p in check_paths([ROOT / "plans"]).plans if p.plan]


def test_search_ranks_the_scenario_a_word_points_to_first() -> None:
    for words, expected in {
        "giveaway": "hacked-account",
        "allergen": "product-recall",
        "#BoikotSegarKita": "keluhan-viral",
        "ICO 72 hours": "data-breach",
        "Morning Roast": "product-recall",  # a product, named in a placeholder's example
        "barista rude": "viral-complaint",
        "halal": "hoaks-produk",
    }.items():
        found = find_scenarios(plans(), words)
        assert found, words
        assert found[0].scenario.id == expected, (words, [m.scenario.id for m in found])


def test_no_words_lists_every_scenario_in_plan_order() -> None:
    assert len(find_scenarios(plans(), "")) == 16


def test_scenarios_command_output() -> None:
    code, out, err = run("scenarios", "--search", "giveaway")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "hacked-account  [Level 3: crisis]  A brand social media account is hacked  (Brightbrew Coffee)"
    assert lines[1].strip().startswith("triggers: A post or message from our account that nobody on the team wrote")
    assert lines[2].strip() == "matched: giveaway (keywords, signals, description)"
    assert err.strip() == "Next: crisisplan statement hacked-account --channel x|instagram|facebook --set platform=... --set time=..."


def test_nothing_found() -> None:
    code, _, err = run("scenarios", "--search", "zeppelin")
    assert code == 1
    assert "error: no scenario matches 'zeppelin'" in err


def test_two_commands_from_a_trigger_word_to_a_filled_statement() -> None:
    _, _, err = run("scenarios", "--search", "giveaway")
    suggested = shlex.split(err.strip().removeprefix("Next: "))
    assert suggested[:3] == ["crisisplan", "statement", "hacked-account"]
    args = ["statement", "hacked-account", "--channel", "x", "--set", "platform=Instagram", "--set", "time=16:00 GMT"]
    code, out, err = run(*args)
    assert code == 0
    assert out == (
        "Our Instagram account has been hacked. Please don't click links or reply to messages "
        "from it, and never send money or card details. We're working to get it back and will "
        "update you here by 16:00 GMT.\n"
    )
    assert err == "hacked-warning (en) on X (x): 199 of 280 characters\n"


def test_refuses_when_a_placeholder_has_no_value() -> None:
    code, out, err = run("statement", "hacked-account", "--set", "platform=Instagram")
    assert code == 1
    assert out == ""
    assert err == (
        "error: statement 'hacked-warning' needs a value for {time}\n"
        "  hint: add --set time=...   A time with its time zone, like 16:00 GMT\n"
    )


def test_fails_when_over_the_channel_limit() -> None:
    code, out, err = run(
        "statement", "hacked-account", "--channel", "x", "--set", "platform=" + "Instagram " * 10, "--set", "time=16:00"
    )
    assert code == 1
    assert "characters over the limit on X (x)" in err
    assert out.startswith("Our Instagram Instagram")  # shown, to shorten it by hand


def test_picks_the_statement_for_the_channel_and_language() -> None:
    code, out, err = run("statement", "offensive-post", "--channel", "linkedin", "--set", "channel_name=Instagram", "--set", "date=1 December")
    assert code == 0
    assert out.startswith("Today a post on our Instagram account caused real hurt.")
    assert "offensive-post-linkedin (en) on LinkedIn (linkedin)" in err
    code, out, _ = run("statement", "keluhan-viral", "--lang", "en", "--set", "nama=Budi")
    assert (code, out.split(",")[0]) == (0, "Hi Budi")


def test_warns_when_not_approved() -> None:
    code, out, err = run("statement", "outage", "--plan", ".", "--set", "product=Checkout", cwd=CASES / "invalid" / "cp605-not-approved")
    assert code == 0
    assert out.startswith("We know Checkout is down")
    assert "warning: statement 'outage-ack' is not approved (status: draft)" in err


def test_usage_mistakes_say_what_to_write() -> None:
    code, _, err = run("statement", "hacked-acount")
    assert code == 2
    assert err == "error: no scenario 'hacked-acount'\n  hint: did you mean 'hacked-account'?\n"
    code, _, err = run("statement", "hacked-account", "--channel", "twiter")
    assert code == 2 and "did you mean 'x'?" not in err and "no channel 'twiter'" in err
    code, _, err = run("statement", "hacked-account", "--set", "platfrom=X", "--set", "time=1")
    assert code == 2 and "has no placeholder {platfrom}" in err
    code, _, err = run("statement", "hacked-account", "--set", "nonsense")
    assert code == 2 and "is not name=value" in err


def test_list_every_statement() -> None:
    code, out, _ = run("statement", "--list", "--plan", "plans/brightbrew")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["SCENARIO", "STATEMENT", "CHANNEL", "LANGUAGE", "STATUS"]
    assert any(line.split()[:3] == ["hacked-account", "hacked-warning", "x"] for line in lines)
    # Every statement approved, but the full data-breach statement, still with legal.
    assert {line.split(None, 4)[-1] for line in lines[1:]} == {"approved", "in-review (with legal since 2026-11-03)"}
