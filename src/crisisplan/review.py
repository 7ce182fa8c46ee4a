"""`crisisplan review`: start a post-crisis review file for a scenario.

The file is pre-filled from the plan (the review checklist as questions, the expected
timings as a reference) in the format `crisisplan check` validates, so that the review
is written in the same repository, reviewed like any change, and shown on the site.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from crisisplan.loader import PLAN_FILE_NAMES, PlanSource
from crisisplan.model import Plan, Scenario, parse_duration
from crisisplan.templating import environment
from crisisplan.views import role_title


class ReviewExists(Exception):
    """A review for that scenario and date is already there: never overwrite one."""


def _source_of(plan: Plan) -> PlanSource:
    path = Path(plan.source)
    if path.name in PLAN_FILE_NAMES:
        return PlanSource(path.parent, True)
    return PlanSource(path, False)


def review_path(plan: Plan, scenario: Scenario, date: dt.date) -> Path:
    return _source_of(plan).reviews_dir / f"{date.isoformat()}-{scenario.id}.yaml"


def review_text(plan: Plan, scenario: Scenario, date: dt.date) -> str:
    owner = plan.review_owner or plan.owner
    within = parse_duration(plan.review_within)
    due = date + dt.timedelta(days=14)
    expected = [
        f"T+{step.at} {step.do} ({role_title(plan, step.owner)})" for step in plan.actions_of(scenario)
    ]
    return environment().get_template("text/review.yaml.text.j2").render(
        plan=plan,
        scenario=scenario,
        date=date.isoformat(),
        held_by=(date + dt.timedelta(minutes=within)).isoformat() if within else "",
        owner=owner,
        owner_title=role_title(plan, owner),
        due=due.isoformat(),
        questions=plan.review_of(scenario),
        expected=expected,
        q=lambda text: json.dumps(text, ensure_ascii=False),
    )


def write_review(plan: Plan, scenario: Scenario, date: dt.date) -> Path:
    target = review_path(plan, scenario, date)
    if target.exists():
        raise ReviewExists(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(review_text(plan, scenario, date), encoding="utf-8")
    return target
