"""The public edition: a copy of a plan with personal and internal data removed.

Contact details are personal data, and a plan site is sometimes published beyond
the team. Redacting the data itself, rather than hiding it in templates, means no
page, search index or PDF can show what is not there.

Left out of the public edition:
- every role holder: names, phones, e-mails, chat handles, organisations, time
  zones and hours (roles and their duties stay);
- contact points marked ``visibility: internal`` (public ones, like a press line, stay);
- scenarios marked ``visibility: internal``;
- monitoring (tools, watchers, keywords) and allies to brief;
- how-to details of first actions and notes on statements;
- drill participants, facilitators and findings, and post-crisis reviews.
"""

from __future__ import annotations

from dataclasses import replace

from crisisplan.model import Drill, Plan, Ref, Scenario


def _scenario(scenario: Scenario) -> Scenario:
    return replace(
        scenario,
        first_actions=[a if isinstance(a, Ref) else replace(a, details="") for a in scenario.first_actions],
        statements=[s if isinstance(s, Ref) else replace(s, notes="") for s in scenario.statements],
    )


def public_edition(plan: Plan) -> Plan:
    scenarios = [_scenario(s) for s in plan.scenarios if not s.internal]
    kept = {s.id for s in scenarios}
    return replace(
        plan,
        roles=[replace(role, primary=None, deputies=[]) for role in plan.roles],
        contact_points=[point for point in plan.contact_points if point.public],
        monitoring={},
        allies=[],
        steps=[replace(step, details="") for step in plan.steps],
        statements=[replace(statement, notes="") for statement in plan.statements],
        drills=[
            Drill(d.path, d.date, d.scenario, "", [], []) for d in plan.drills if d.scenario in kept
        ],
        reviews=[],
        scenarios=scenarios,
    )

