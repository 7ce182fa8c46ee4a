"""`crisisplan review`: start a post-crisis review file for a scenario.

The file is pre-filled from the plan (the review checklist as questions, the expected
timings as a reference) in the format `crisisplan check` validates, so that the review
is written in the same repository, reviewed like any change, and shown on the site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from crisisplan.files import WriteRefused, write_new
from crisisplan.labels import Labels, labels_for
from crisisplan.loader import PLAN_FILE_NAMES, PlanSource
from crisisplan.model import Plan, Scenario, parse_duration
from crisisplan.templating import environment
from crisisplan.views import role_title


class ReviewExists(Exception):
    """A review for that scenario and date is already there: never overwrite one."""


# A scenario id as the schema allows it; the incident tools also load plans that
# failed the check, so an id like ../../x must be refused here too.
_SAFE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _source_of(plan: Plan) -> PlanSource:
    path = Path(plan.source)
    if path.name in PLAN_FILE_NAMES:
        return PlanSource(path.parent, True)
    return PlanSource(path, False)


def review_path(plan: Plan, scenario: Scenario, date: dt.date) -> Path:
    return _source_of(plan).reviews_dir / f"{date.isoformat()}-{scenario.id}.yaml"


def review_text(plan: Plan, scenario: Scenario, date: dt.date, words: Labels | None = None) -> str:
    words = labels_for(plan.default_language) if words is None else words
    owner = plan.review_owner or plan.owner
    within = parse_duration(plan.review_within)
    due = date + dt.timedelta(days=14)
    try:
        held_by = (date + dt.timedelta(minutes=within)).isoformat() if within else ""
    except OverflowError:
        held_by = ""
    expected = [
        f"{words['at_time'].format(time=step.at)} {step.do} ({role_title(plan, step.owner)})"
        for step in plan.actions_of(scenario)
    ]
    return environment().get_template("text/review.yaml.text.j2").render(
        plan=plan,
        w=words,
        scenario=scenario,
        date=date.isoformat(),
        held_by=held_by,
        owner=owner,
        owner_title=role_title(plan, owner),
        due=due.isoformat(),
        questions=plan.review_of(scenario),
        expected=expected,
        q=lambda text: json.dumps(text, ensure_ascii=False),
    )


def write_review(plan: Plan, scenario: Scenario, date: dt.date, words: Labels | None = None) -> Path:
    """Write a new review file inside the plan's folder.

    Never through a symbolic link (a linked reviews/ folder included), never outside
    the plan's folder, never over an existing file: raises WriteRefused or
    ReviewExists instead.
    """
    if not _SAFE_ID.fullmatch(scenario.id):
        raise WriteRefused(
            f"the scenario id {scenario.id!r} cannot be part of a file name",
            "fix the id (lowercase letters, digits and hyphens), then run 'crisisplan check'",
        )
    target = review_path(plan, scenario, date)
    if target.exists() or target.is_symlink():
        raise ReviewExists(str(target))
    source = _source_of(plan)
    home = source.path if source.is_folder else source.path.parent
    write_new(target, review_text(plan, scenario, date, words).encode("utf-8"), within=home)
    return target
