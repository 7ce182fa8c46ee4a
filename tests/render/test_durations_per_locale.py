"""Durations and time zones in the reader's language: a Dane reads "15 min" and
"1 t", not "15m" (metres) and "1h"; English keeps the plan's own notation."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisplan.render.labels import labels_for
from crisisplan.render.views import timeline

BRIGHTBREW = Path(__file__).resolve().parents[2] / "plans" / "brightbrew"
# A duration in the plan's notation: "15m", "1h30m", "T+10m", "72h".
NOTATION = re.compile(r"(?<![\w/.#-])\d+[wdhm]\b")
LANGUAGES = ("da", "id", "ms")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["15m", "1h", "1h30m", "72h", "2d", "1w", "90m"]),
        ("da", ["15 min", "1 t", "1 t 30 min", "72 t", "2 dage", "1 uge", "90 min"]),
        ("id", ["15 mnt", "1 jam", "1 jam 30 mnt", "72 jam", "2 hari", "1 minggu", "90 mnt"]),
        ("ms", ["15 min", "1 jam", "1 jam 30 min", "72 jam", "2 hari", "1 minggu", "90 min"]),
    ],
)
def test_a_duration_as_readers_write_it(language: str, expected: list[str]) -> None:
    words = labels_for(language)
    assert [words.duration(t) for t in ("15m", "1h", "1h30m", "72h", "2d", "1w", "90m")] == expected


def test_minutes_are_shown_largest_unit_first_and_other_text_as_written() -> None:
    danish = labels_for("da")
    assert danish.duration(90) == "1 t 30 min"
    assert danish.duration(1440) == "1 dag"
    assert labels_for("en").duration(90) == "1h30m"
    assert danish.duration("6 months") == "6 months"
    assert danish.duration("") == ""


def test_a_time_zone_is_its_city_in_the_readers_language() -> None:
    assert labels_for("da").zone("Europe/Copenhagen") == "København"
    assert labels_for("id").zone("Europe/Copenhagen") == "Kopenhagen"
    # English shows the plan's own name; an unknown zone is shown as written.
    assert labels_for("en").zone("Europe/Copenhagen") == "Europe/Copenhagen"
    assert labels_for("da").zone("Mars/Olympus") == "Mars/Olympus"


def _scenario_pages(language: str) -> dict[str, str]:
    from crisisplan.check.pipeline import check_paths
    from crisisplan.publish.site import pages

    plan = check_paths([BRIGHTBREW]).plans[0].plan
    assert plan is not None
    words = labels_for(language)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "labels_for", lambda *_a, **_k: words)
        files = dict(pages.generate([pages.SitePlan(plan, "brightbrew")], dt.date(2026, 11, 22)).files)
    return {name: text for name, text in files.items() if "/scenarios/" in name or name.endswith("about.md")}


@pytest.fixture(scope="module")
def editions() -> Iterator[dict[str, dict[str, str]]]:
    yield {language: _scenario_pages(language) for language in ("en", *LANGUAGES)}


def reader_text(page: str) -> str:
    """What a reader sees: no attributes (data-cp-*, title) and no tags."""
    return re.sub(r"<[^>]*>", " ", page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_another_edition_shows_the_plan_notation(editions: dict[str, dict[str, str]], language: str) -> None:
    leaks = [
        f"{name}: {match.group(0)!r} in {reader_text(text)[max(0, match.start() - 30) : match.end() + 10]!r}"
        for name, text in editions[language].items()
        for match in NOTATION.finditer(reader_text(text))
    ]
    assert leaks == []
    assert any(labels_for(language).duration("15m") in text for text in editions[language].values())


def test_the_english_pages_keep_the_plan_notation(editions: dict[str, dict[str, str]]) -> None:
    english = "\n".join(reader_text(t) for t in editions["en"].values())
    assert "T+15m" in english or "T+10m" in english
    assert NOTATION.search(english)


def test_the_escalation_timeline_speaks_the_language() -> None:
    from crisisplan.check.pipeline import check_paths

    plan = check_paths([BRIGHTBREW]).plans[0].plan
    assert plan is not None
    scenario = plan.scenarios[0]
    danish = [item.at for item in timeline(plan, scenario, labels_for("da")) if item.at]
    english = [item.at for item in timeline(plan, scenario, labels_for("en")) if item.at]
    assert danish and all(not NOTATION.search(at) for at in danish)
    assert all(NOTATION.search(at) for at in english)
