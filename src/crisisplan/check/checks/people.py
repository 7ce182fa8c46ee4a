"""People and organisations outside the team, the ways to reach them, and rotas.

A plan names the CEO, outside counsel or a regulator in contacts:, each with an id
that escalation, severity levels and first actions use like a role's (checks/
references.py resolves both in one place). Ways to reach someone (``reach:``) and
rota shifts say when they apply (``when:``): always, weekdays, weekends, a window
named under time_windows:, or days and hours (read by crisisplan.plan.windows).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crisisplan.check.checks.references import (
    _unknown,
    command_references,
    party_references,
    role_references,
)
from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import Plan, ReachMethod
from crisisplan.plan.windows import DAYS, Span, WindowProblem, covered_minutes, read_window
from crisisplan.plan.yamlfile import JsonPath


def _windows(plan: Plan) -> Iterator[tuple[JsonPath, Any]]:
    """Every ``when`` the plan writes, with where, and every named window."""
    for name, window in plan.time_windows.items():
        yield ("time_windows", name), window
    methods: list[ReachMethod] = []
    for role in plan.roles:
        for person in role.people:
            methods += person.reach
    for contact in plan.contacts:
        methods += contact.reach
    for rota in plan.rotas:
        methods += rota.reach
        for shift in rota.shifts:
            yield (*shift.path, "when"), shift.when
            if shift.person is not None:
                methods += shift.person.reach
    for method in methods:
        if method.when is not None:
            yield (*method.path, "when"), method.when


def _window_problems(plan: Plan) -> Iterator[WindowProblem]:
    for path, when in _windows(plan):
        yield from read_window(
            when, path, plan, (str(path[-1]),) if path[0] == "time_windows" else ()
        )[1]


@check("CP450", "duplicate-contact-id")
def duplicate_contact_id(plan: Plan, context: Context) -> Iterator[Finding]:
    """A contact whose id is also a role's or another contact's, or two rotas with one id.

    Escalation steps, severity levels and owners name roles and contacts by the same
    kind of id, so one id must mean one of them.

    Fails: a role ``legal`` and a contact ``legal`` (outside counsel).
    Passes: the role ``legal`` and the contact ``outside-counsel``.
    """
    roles = {r.id: r.path for r in plan.roles if r.id}
    for kind, things in (("contact", plan.contacts), ("rota", plan.rotas)):
        first: dict[str, JsonPath] = {}
        for thing in things:
            if not thing.id:
                continue
            here = plan.at((*thing.path, "id"))
            if kind == "contact" and thing.id in roles:
                role_line = plan.at((*roles[thing.id], "id")).line
                yield Finding(
                    here,
                    f"'{thing.id}' is the id of a role (line {role_line}) and of this contact, so nobody can tell which one a step means",
                    f"give the contact an id of its own, like '{thing.id}-external'",
                )
            elif thing.id in first:
                earlier = plan.at((*first[thing.id], "id"))
                place = (
                    f"line {earlier.line}"
                    if earlier.path == here.path
                    else f"{earlier.path}:{earlier.line}"
                )
                yield Finding(
                    here,
                    f"{kind} id '{thing.id}' is used twice (first on {place})",
                    f"give this {kind} an id of its own",
                )
            else:
                first[thing.id] = thing.path


@check("CP451", "unreachable-contact")
def unreachable_contact(plan: Plan, context: Context) -> Iterator[Finding]:
    """A person or organisation in contacts: with no phone, e-mail, chat or reach: named, but nobody can get hold of them.

    Fails: ``- {id: ceo, name: Claire Whitmore}`` and nothing else.
    Passes: ``- {id: ceo, name: Claire Whitmore, phone: "+44 7700 900111"}``.
    """
    for contact in plan.contacts:
        if not contact.given:
            yield Finding(
                plan.at((*contact.path, "id")),
                f"contact '{contact.id}' ({contact.name}) has no phone, e-mail, chat or reach: nobody can get hold of them in a crisis",
                'add how to reach them, like phone: "+44 20 7946 0321", or reach: with a line for office hours and one for after hours',
            )


@check("CP452", "unknown-rota")
def unknown_rota(plan: Plan, context: Context) -> Iterator[Finding]:
    """A monitoring watcher or a role pointing at a rota that rotas: does not define.

    Fails: ``watchers: [{rota: social-wach}]`` when the rota is ``social-watch``.
    Passes: every rota named is an id under ``rotas:``.
    """
    refs: list[tuple[JsonPath, str]] = [((*r.path, "rota"), r.rota) for r in plan.roles if r.rota]
    watchers = plan.monitoring.get("watchers")
    for index, watcher in enumerate(watchers if isinstance(watchers, list) else []):
        if isinstance(watcher, dict) and isinstance(watcher.get("rota"), str):
            refs.append((("monitoring", "watchers", index, "rota"), watcher["rota"]))
    yield from _unknown(plan, refs, (r.id for r in plan.rotas), "rota")


@check("CP453", "contact-where-role-needed")
def contact_where_role_needed(plan: Plan, context: Context) -> Iterator[Finding]:
    """A person or organisation from contacts: named where only a role on the team will do.

    Contacts can be told (``notify``), own or decide a first action, cover a rota's
    shift, activate the plan, take media inquiries and name a role's holder during
    the crisis. A body above the team (``kind: command``: a crisis management team,
    an Incident Commander) may also approve statements, take over the incident, tell
    others and stand the crisis down. Owning the plan or a channel, informing an
    audience and following up a review are the team's work.

    Fails: ``hand_over_to: ceo`` when ``ceo`` is under ``contacts:`` as an executive.
    Passes: ``hand_over_to: exec-sponsor`` (a role), with ``notify: [ceo]`` to tell the
    CEO; or ``hand_over_to: incident-commander``, a contact with ``kind: command``.
    """
    contacts = {c.id for c in plan.contacts if c.id}
    bodies = {c.id for c in plan.deciding_bodies()}
    roles = {r.id for r in plan.roles}
    either = {path for path, _ in party_references(plan)}
    decides = command_references(plan)
    for path, ref in role_references(plan):
        if ref in bodies and path in decides:
            continue
        if ref in contacts and ref not in roles and path not in either:
            key = next((p for p in reversed(path) if isinstance(p, str)), "")
            yield Finding(
                plan.at(path),
                f"'{ref}' is a contact outside the team, but '{key}' needs a role from roles:",
                f"name the role that does this; to tell {ref}, add them to an escalation step's notify:"
                + ("; if they decide above the team, give them kind: command" if path in decides else ""),
            )


@check("CP454", "unknown-time-window")
def unknown_time_window(plan: Plan, context: Context) -> Iterator[Finding]:
    """A when: naming a time window that is neither built in nor defined under time_windows:.

    always, weekdays and weekends are built in; any other name (office-hours,
    after-hours) is defined once under ``time_windows:``.

    Fails: ``when: offce-hours`` when time_windows: defines ``office-hours``.
    Passes: ``when: office-hours``, ``when: weekends``, or ``when: {days: mon-fri, from: "18:00", to: "08:00"}``.
    """
    for problem in _window_problems(plan):
        if problem.unknown_name:
            yield Finding(plan.at(problem.path), problem.message, problem.hint)


@check("CP455", "bad-time-window")
def bad_time_window(plan: Plan, context: Context) -> Iterator[Finding]:
    """Days and hours that cannot be read: a time not written HH:MM, a day that is not one, or a window covering no time.

    Fails: ``when: {days: [monday], from: 8am, to: "18:00"}`` or ``from: "09:00", to: "09:00"``.
    Passes: ``when: {days: mon-fri, from: "08:00", to: "18:00"}``.
    """
    for problem in _window_problems(plan):
        if not problem.unknown_name:
            yield Finding(plan.at(problem.path), problem.message, problem.hint)


@check("CP456", "rota-gap", Severity.WARNING)
def rota_gap(plan: Plan, context: Context) -> Iterator[Finding]:
    """A rota whose shifts leave whole days of the week with nobody on duty (a warning).

    A rota with a shared line answered at all hours has no gap.

    Fails: shifts for ``weekdays`` only: nobody covers Saturday and Sunday.
    Passes: ``{who: community-manager, when: weekdays}`` and ``{who: customer-care-lead, when: weekends}``.
    """
    for rota in plan.rotas:
        if not rota.shifts:
            continue
        spans: list[Span] = []
        for shift in rota.shifts:
            found, problems = read_window(shift.when, (*shift.path, "when"), plan)
            if problems:
                break  # reported by CP454/CP455; a gap would only repeat them
            spans += found
        else:
            for method in rota.reach:
                found, problems = read_window(method.when, (*method.path, "when"), plan)
                spans += [] if problems else found
            covered = covered_minutes(spans)
            empty = [
                d
                for i, d in enumerate(DAYS)
                if not any(m in covered for m in range(i * 1440, (i + 1) * 1440))
            ]
            if empty:
                days = ", ".join(empty)
                yield Finding(
                    plan.at((*rota.path, "shifts")),
                    f"nobody is on duty in rota '{rota.id}' on {days}",
                    f"add a shift for {days}, like - {{who: <role>, when: {{days: [{days}]}}}}, or a shared line for those days",
                )
