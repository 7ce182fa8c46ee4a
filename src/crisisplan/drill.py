"""A tabletop exercise script for one scenario, built from the plan's own timings.

The facilitator reads timed injects that escalate from the first trigger to the
worst case; under each, what the team is expected to have done by when (the first
actions, the escalation steps and the severity's response targets, as clock
times); at the end, a checklist to score the drill and the snippet that records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crisisplan.labels import labels_for
from crisisplan.model import Plan, Scenario, SeverityLevel, format_minutes, parse_duration
from crisisplan.views import role_title, statement_views, who_to_call


@dataclass(frozen=True)
class Expectation:
    minutes: int
    kind: str  # "action", "escalation" or "target"
    text: str
    who: str = ""


@dataclass
class Inject:
    minutes: int
    title: str
    narrative: list[str]
    questions: list[str]
    expectations: list[Expectation] = field(default_factory=list)


@dataclass
class DrillScript:
    plan: Plan
    scenario: Scenario
    level: SeverityLevel | None
    start: dt.datetime
    injects: list[Inject]
    checklist: list[str]
    roles: list[str]

    def clock(self, minutes: int) -> str:
        """'10:15 (T+15m)', with the day when a drill runs past midnight."""
        moment = self.start + dt.timedelta(minutes=minutes)
        days = (moment.date() - self.start.date()).days
        day = f" +{days}d" if days else ""
        return f"{moment:%H:%M}{day} (T+{format_minutes(minutes)})"

    @property
    def duration(self) -> int:
        return self.injects[-1].minutes + 30 if self.injects else 60


def _expectations(plan: Plan, scenario: Scenario, level: SeverityLevel | None) -> list[Expectation]:
    found: list[Expectation] = []
    for step in plan.actions_of(scenario):
        found.append(Expectation(step.minutes, "action", step.do, role_title(plan, step.owner)))
    for escalation in scenario.escalation:
        if escalation.minutes is None:
            continue
        told = [role_title(plan, r) for r in escalation.notify]
        parts = []
        if told:
            parts.append("tell " + ", ".join(told))
        if escalation.hand_over_to:
            parts.append("hand over to " + role_title(plan, escalation.hand_over_to))
        text = " and ".join(parts)
        if escalation.when:
            text += f" ({escalation.when})"
        by = role_title(plan, escalation.by) if escalation.by else ""
        found.append(Expectation(escalation.minutes, "escalation", text, by))
    if level is not None:
        for key, label in (("acknowledge", "First public acknowledgement"), ("first_statement", "First holding statement published")):
            minutes = parse_duration(getattr(level, key))
            if minutes is not None:
                found.append(Expectation(minutes, "target", f"{label} (target: within {getattr(level, key)})"))
    for audience in scenario.audiences:
        minutes = parse_duration(audience.within)
        if minutes is not None:
            found.append(Expectation(minutes, "action", f"inform {audience.audience}" + (f" ({audience.how})" if audience.how else ""), role_title(plan, audience.by)))
    return sorted(found, key=lambda e: (e.minutes, e.kind))


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def build_drill(plan: Plan, scenario: Scenario, start: dt.time = dt.time(10, 0)) -> DrillScript:
    level = plan.severity(scenario.severity)
    expectations = _expectations(plan, scenario, level)
    acknowledge = parse_duration(level.acknowledge) if level else None
    first_statement = parse_duration(level.first_statement) if level else None
    t1 = acknowledge or 15
    t2 = max(first_statement or 60, t1 + 15)
    last_due = max([e.minutes for e in expectations] + [t2])
    t3 = last_due + 15
    statements = statement_views(plan, scenario)
    main = statements[0] if statements else None
    higher = [lv for lv in plan.severity_levels if level and lv.rank > level.rank]
    pressure = (higher[0] if higher else level)
    conditions = [s.when for s in scenario.escalation if s.when]

    injects = [
        Inject(
            0,
            "It starts",
            [scenario.triggers[0] if scenario.triggers else scenario.title]
            + ([f"Background: {_first_paragraph(scenario.description)}"] if scenario.description.strip() else []),
            [
                "Who noticed, and who do they tell first?",
                f"Which severity level is this? (The plan says {level.name})" if level else "Which severity level is this?",
            ],
        ),
        Inject(
            t1,
            "It spreads",
            (scenario.triggers[1:] + scenario.signals)[:4]
            or ["More people post about it; the numbers double within the hour."],
            [
                "Has anyone answered the first posts yet? With what words?",
                f"Is the holding statement '{main.title}' being filled in and approved?" if main else "Which statement goes out?",
            ],
        ),
        Inject(
            t2,
            "Pressure rises",
            [f"{key.capitalize()}: {value}" for key, value in (pressure.criteria.items() if pressure else [])][:3]
            + [f"The situation changes: {c}" for c in conditions[:2]],
            [
                "Who speaks to the press, and have they been briefed?",
                "Which audiences must hear it from us before they read it elsewhere?",
                "What do the moderation rules say about the comments now arriving?",
            ],
        ),
        Inject(
            t3,
            "The worst case",
            [scenario.worst_case.strip()],
            [
                "What would stop it getting here? What do you do now?",
                "Who decides, and who has to be told?",
            ],
        ),
    ]
    bounds = [i.minutes for i in injects[1:]] + [10**9]
    for inject, until in zip(injects, bounds, strict=True):
        inject.expectations = [e for e in expectations if inject.minutes <= e.minutes < until]

    checklist: list[str] = []
    for e in expectations:
        who = f"{e.who}: " if e.who else ""
        checklist.append(f"{who}{e.text}, by T+{format_minutes(e.minutes)}")
    if main is not None:
        first = main.variants[0] if main.variants else None
        fits = f", within {first.limit} characters on {first.limit_channel}" if first and first.limit else ""
        checklist.append(f"Statement '{main.title}' filled in and personalised{fits}, and approved")
    if level and level.update_every:
        checklist.append(f"Updates published every {level.update_every}")
    checklist.append("Every comment answered; nothing from real customers hidden or deleted")
    checklist += plan.review_of(scenario)

    roles = [role.title for role in who_to_call(plan, scenario)]
    return DrillScript(plan, scenario, level, dt.datetime.combine(dt.date(2000, 1, 1), start), injects, checklist, roles)


def drill_context(script: DrillScript) -> dict[str, object]:
    return {"d": script, "w": labels_for(script.plan.default_language)}
