"""A tabletop exercise script for one scenario, built from the plan's own timings.

The facilitator reads timed injects that escalate from the first trigger to the
worst case; under each, what the team is expected to have done by when (the first
actions, the escalation steps and the severity's response targets, as clock
times); at the end, a checklist to score the drill and the snippet that records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crisisplan.plan.model import Plan, Scenario, SeverityLevel, in_sequence
from crisisplan.plan.values import format_minutes, parse_duration
from crisisplan.publish.pdf.documents import PAPER, stylesheet
from crisisplan.render.labels import SOURCE_LANGUAGE, Labels, labels_for
from crisisplan.render.templating import environment
from crisisplan.render.views import owners_title, role_title, statement_views, who_to_call


@dataclass(frozen=True)
class Expectation:
    minutes: int  # when it is due; for an untimed step, when the step before it is
    kind: str  # "action", "escalation" or "target"
    text: str
    who: str = ""
    # False for a step in a sequence without a clock: the script shows no time for it.
    timed: bool = True


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
    words: Labels = field(default_factory=lambda: labels_for(SOURCE_LANGUAGE))

    def clock(self, minutes: int) -> str:
        """'10:15 (T+15m)', with the day when a drill runs past midnight."""
        moment = self.start + dt.timedelta(minutes=minutes)
        days = (moment.date() - self.start.date()).days
        day = f" +{days}d" if days else ""
        return f"{moment:%H:%M}{day} ({self.words['at_time'].format(time=format_minutes(minutes))})"

    @property
    def duration(self) -> int:
        return self.injects[-1].minutes + 30 if self.injects else 60

    @property
    def duration_text(self) -> str:
        return format_minutes(self.duration)


def _expectations(plan: Plan, scenario: Scenario, level: SeverityLevel | None, words: Labels) -> list[Expectation]:
    found: list[Expectation] = []
    latest = 0
    for step in plan.actions_of(scenario):
        latest = latest if step.minutes is None else step.minutes
        found.append(Expectation(latest, "action", step.do, owners_title(plan, step), step.minutes is not None))
    latest = 0
    for escalation in in_sequence(scenario.escalation, lambda e: e.minutes):
        latest = latest if escalation.minutes is None else escalation.minutes
        told = [role_title(plan, r) for r in escalation.notify]
        parts = []
        if told:
            parts.append(words["drill_tell"].format(roles=", ".join(told)))
        if escalation.hand_over_to:
            parts.append(words["drill_hand_over"].format(role=role_title(plan, escalation.hand_over_to)))
        text = words["drill_and"].format(first=parts[0], second=parts[1]) if len(parts) == 2 else "".join(parts)
        if escalation.when:
            text += f" ({escalation.when})"
        by = role_title(plan, escalation.by) if escalation.by else ""
        found.append(Expectation(latest, "escalation", text, by, escalation.minutes is not None))
    if level is not None:
        for key, label in (("acknowledge", "drill_target_acknowledge"), ("first_statement", "drill_target_statement")):
            minutes = parse_duration(getattr(level, key))
            if minutes is not None:
                found.append(Expectation(minutes, "target", words["drill_target_within"].format(label=words[label], duration=getattr(level, key))))
    for audience in scenario.audiences:
        minutes = parse_duration(audience.within)
        if minutes is not None:
            found.append(Expectation(minutes, "action", words["drill_inform"].format(audience=words.choice("audience", audience.audience)) + (f" ({audience.how})" if audience.how else ""), role_title(plan, audience.by)))
    return sorted(found, key=lambda e: (e.minutes, e.kind))


# The severity criteria that have labels (as in the severity matrix).
_CRITERIA = ("volume", "velocity", "reach", "harm")


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def build_drill(plan: Plan, scenario: Scenario, start: dt.time = dt.time(10, 0), words: Labels | None = None) -> DrillScript:
    words = labels_for(plan.default_language) if words is None else words
    level = plan.severity(scenario.severity)
    expectations = _expectations(plan, scenario, level, words)
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
            words["drill_starts"],
            [scenario.triggers[0] if scenario.triggers else scenario.title]
            + ([words["drill_background"].format(text=_first_paragraph(scenario.description))] if scenario.description.strip() else []),
            [
                words["q_who_noticed"],
                words["q_which_level_plan"].format(level=level.name) if level else words["q_which_level"],
            ],
        ),
        Inject(
            t1,
            words["drill_spreads"],
            (scenario.triggers[1:] + scenario.signals)[:4]
            or [words["drill_more_posts"]],
            [
                words["q_answered"],
                words["q_statement_ready"].format(title=main.title) if main else words["q_which_statement"],
            ],
        ),
        Inject(
            t2,
            words["drill_pressure"],
            [f"{words[key] if key in _CRITERIA else key.capitalize()}: {value}" for key, value in (pressure.criteria.items() if pressure else [])][:3]
            + [words["drill_situation_changes"].format(condition=c) for c in conditions[:2]],
            [
                words["q_press"],
                words["q_audiences"],
                words["q_moderation"],
            ],
        ),
        Inject(
            t3,
            words["drill_worst"],
            [scenario.worst_case.strip()],
            [
                words["q_stop_it"],
                words["q_who_decides"],
            ],
        ),
    ]
    bounds = [i.minutes for i in injects[1:]] + [10**9]
    for inject, until in zip(injects, bounds, strict=True):
        inject.expectations = [e for e in expectations if inject.minutes <= e.minutes < until]

    checklist: list[str] = []
    for e in expectations:
        who = f"{e.who}: " if e.who else ""
        if not e.timed:
            checklist.append(f"{who}{e.text}")
            continue
        checklist.append(words["drill_by_time"].format(item=f"{who}{e.text}", time=words["at_time"].format(time=format_minutes(e.minutes))))
    if main is not None:
        first = main.variants[0] if main.variants else None
        if first and first.limit:
            checklist.append(words.ngettext("drill_check_statement_limit", first.limit, title=main.title, channel=first.limit_channel))
        else:
            checklist.append(words["drill_check_statement"].format(title=main.title))
    if level and level.update_every:
        checklist.append(words["drill_check_updates"].format(duration=level.update_every))
    checklist.append(words["drill_check_comments"])
    checklist += plan.review_of(scenario)

    roles = [role.title for role in who_to_call(plan, scenario)]
    return DrillScript(plan, scenario, level, dt.datetime.combine(dt.date(2000, 1, 1), start), injects, checklist, roles, words)


def drill_context(script: DrillScript) -> dict[str, object]:
    return {"d": script, "w": script.words}


def drill_html(script: DrillScript, paper: str = "a4") -> str:
    """A drill script as printable HTML."""
    plan = script.plan
    return environment().get_template("pdf/drill.html.j2").render(
        plan=plan,
        d=script,
        w=script.words,
        title=script.words["drill_title"].format(title=script.scenario.title),
        paper=PAPER[paper],
        css=stylesheet(),
    )
