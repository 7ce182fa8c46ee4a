"""References by id: every id a plan names must exist, and every id must be unique."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from crisisplan.check.registry import Context, Finding, check
from crisisplan.plan.localtext import local_texts
from crisisplan.plan.model import DecisionOption, Plan, Ref, Step
from crisisplan.plan.values import LANGUAGE_CODE
from crisisplan.plan.yamlfile import JsonPath, field_name
from crisisplan.suggest import closest, did_you_mean, slug


def _unknown(
    plan: Plan, refs: Iterable[tuple[JsonPath, str]], known: Iterable[str], what: str
) -> Iterator[Finding]:
    ids = [k for k in known if k]
    # An id written with capitals or spaces is reported by the schema with the
    # spelling to use; a reference already spelt that way is not wrong too.
    respelt = {slug(k) for k in ids}
    plural = {"role or contact": "roles and contacts", "role, contact or rota": "roles, contacts and rotas"}.get(what, f"{what}s")
    for path, ref in refs:
        if ref and ref not in ids and ref not in respelt:
            yield Finding(
                plan.at(path),
                f"unknown {what} '{ref}'",
                did_you_mean(ref, ids, f"{plural} defined") or f"no {plural} are defined in this plan",
            )


def _list_at(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def role_references(plan: Plan) -> Iterator[tuple[JsonPath, str]]:
    """Every place the plan names a role, with the id it names."""
    yield ("plan", "owner"), plan.owner
    for channel in plan.channels:
        yield (*channel.path, "owner"), channel.owner
    yield from party_references(plan)
    monitoring = plan.monitoring
    for index, watcher in enumerate(_list_at(monitoring, "watchers")):
        if isinstance(watcher, dict) and isinstance(watcher.get("role"), str):
            yield ("monitoring", "watchers", index, "role"), watcher["role"]
    for index, ally in enumerate(plan.allies):
        if isinstance(ally.get("briefed_by"), str):
            yield ("allies", index, "briefed_by"), ally["briefed_by"]
    if plan.review_owner:
        yield ("post_crisis_review", "owner"), plan.review_owner
    for statement in plan.all_statements():
        if statement.approved_by:
            yield (*statement.path, "approval", "by"), statement.approved_by
        if statement.review_with:
            yield (*statement.path, "approval", "with"), statement.review_with
    for _, acceptance in plan.all_acceptances():
        if acceptance.by:
            yield (*acceptance.path, "by"), acceptance.by
    for scenario in plan.scenarios:
        for escalation in scenario.escalation:
            if escalation.hand_over_to:
                yield (*escalation.path, "hand_over_to"), escalation.hand_over_to
            if escalation.by:
                yield (*escalation.path, "by"), escalation.by
        if scenario.stand_down and scenario.stand_down.by:
            yield (*scenario.stand_down.path, "by"), scenario.stand_down.by
    for review in plan.reviews:
        for follow_up in review.actions:
            yield (*follow_up.path, "owner"), follow_up.owner


def _decision_options(plan: Plan) -> list[DecisionOption]:
    """Every option of every decision (a first action or shared step with options:)."""
    actions = [a for s in plan.scenarios for a in s.first_actions if isinstance(a, Step)]
    return [option for step in [*plan.steps, *actions] for option in step.options]


def party_references(plan: Plan) -> Iterator[tuple[JsonPath, str]]:
    """The places that may name a person or organisation from contacts: as well as a
    role: who is told (severity levels, escalation, monitoring signals), who does or
    decides a first action, and who is on a rota's shift."""
    for level in plan.severity_levels:
        for notify in level.notify:
            yield (*notify.path, "role"), notify.role
    for index, signal in enumerate(_list_at(plan.monitoring, "escalate_when")):
        if isinstance(signal, dict) and isinstance(signal.get("notify"), str):
            yield ("monitoring", "escalate_when", index, "notify"), signal["notify"]
    actions = [a for s in plan.scenarios for a in s.first_actions if isinstance(a, Step)]
    for step in [*plan.steps, *actions]:
        if (*step.path, "owner", 0) in plan.locator.values:  # written as a list
            yield from (((*step.path, "owner", i), owner) for i, owner in enumerate(step.owners))
        else:
            yield (*step.path, "owner"), step.owner
    for scenario in plan.scenarios:
        for escalation in scenario.escalation:
            for index, party in enumerate(escalation.notify):
                yield (*escalation.path, "notify", index), party
        # A regulator is often told by someone outside the team (outside counsel, the DPO).
        for audience in scenario.audiences:
            yield (*audience.path, "by"), audience.by
    for rota in plan.rotas:
        for shift in rota.shifts:
            if shift.person is None:
                yield (*shift.path, "who"), shift.who
    # Who activates, who takes media inquiries, and who names a role's holder during
    # the crisis: a body above the team as often as a role.
    for activation in [plan.activation, *(s.activation for s in plan.scenarios)]:
        if activation is not None:
            yield from (((*activation.path, "by", i), party) for i, party in enumerate(activation.by))
    if plan.media_inquiries is not None and plan.media_inquiries.to:
        yield (*plan.media_inquiries.path, "to"), plan.media_inquiries.to
    for role in plan.roles:
        if role.named_by:
            yield (*role.path, "named_by"), role.named_by


def command_references(plan: Plan) -> set[JsonPath]:
    """The places where a body above the team (a contact with kind: command: a crisis
    management team, an Incident Commander) may stand where a role would: approving
    or reviewing a statement, taking over, telling others, standing down."""
    places: set[JsonPath] = set()
    for statement in plan.all_statements():
        places |= {(*statement.path, "approval", "by"), (*statement.path, "approval", "with")}
    for scenario in plan.scenarios:
        for escalation in scenario.escalation:
            places |= {(*escalation.path, "hand_over_to"), (*escalation.path, "by")}
        if scenario.stand_down:
            places.add((*scenario.stand_down.path, "by"))
    return places


def go_between_references(plan: Plan) -> Iterator[tuple[JsonPath, str]]:
    """Who reaches a holder or contact for you (through:): a role, contact or rota."""
    holders = [p for r in plan.roles for p in r.people]
    holders += [s.person for r in plan.rotas for s in r.shifts if s.person is not None]
    places = [(h.path, h.through) for h in holders] + [(c.path, c.through) for c in plan.contacts]
    for path, through in places:
        if through:
            yield (*path, "through"), through


@check("CP201", "unknown-role")
def unknown_role(plan: Plan, context: Context) -> Iterator[Finding]:
    """A role id that no role in roles: has (or, where a contact may stand, no contact in contacts: either).

    Owners, approvers, escalation steps, audiences and monitoring all name roles
    by id; a misspelt id would leave a task with nobody to do it. Where the plan
    names who is told, who does or decides an action, or who is on a rota's shift,
    the id may also be a person or organisation from contacts:, and the hint looks
    among both. A holder's or contact's through: may also name a rota, and an
    audience's contact: names an entry of contacts:.

    Fails: ``owner: socail-lead`` when the role is ``social-lead``, or ``notify: [ceo]`` with no role or contact ``ceo``.
    Passes: every role id used is defined under ``roles:``, and every other id under ``contacts:``.
    """
    roles = [r.id for r in plan.roles]
    contacts = [c.id for c in plan.contacts if c.id]
    either = {path for path, _ in party_references(plan)}
    refs = list(role_references(plan))
    # A contact named where only a role will do is CP453's (checks/people.py).
    only_roles = [(path, ref) for path, ref in refs if path not in either and ref not in contacts]
    yield from _unknown(plan, only_roles, roles, "role")
    open_to_contacts = [(path, ref) for path, ref in refs if path in either]
    yield from _unknown(plan, open_to_contacts, roles + contacts, "role or contact" if contacts else "role")
    rotas = [r.id for r in plan.rotas if r.id]
    yield from _unknown(plan, go_between_references(plan), roles + contacts + rotas, "role, contact or rota")
    cards = [((*a.path, "contact"), a.contact) for s in plan.scenarios for a in s.audiences if a.contact]
    yield from _unknown(plan, cards, contacts, "contact")


@check("CP202", "unknown-channel")
def unknown_channel(plan: Plan, context: Context) -> Iterator[Finding]:
    """A statement written for a channel id that channels: does not define.

    Fails: ``channels: [twitter]`` when the channel's id is ``x``.
    Passes: every channel a statement names is defined under ``channels:``.
    """
    refs = (
        ((*s.path, "channels", i), c)
        for s in plan.all_statements()
        for i, c in enumerate(s.channels)
    )
    yield from _unknown(plan, refs, (c.id for c in plan.channels), "channel")


@check("CP203", "unknown-severity")
def unknown_severity(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario or monitoring signal naming a severity level that does not exist.

    Escalation steps that raise the severity (``raise_to:``) and decision options
    (``severity:``) name levels too.

    Fails: ``severity: level-4`` when the levels are ``level-1`` to ``level-3``.
    Passes: every severity named is an id under ``severity_levels:``.
    """
    refs: list[tuple[JsonPath, str]] = [((*s.path, "severity"), s.severity) for s in plan.scenarios]
    refs += [((*e.path, "raise_to"), e.raise_to) for s in plan.scenarios for e in s.escalation if e.raise_to]
    refs += [((*o.path, "severity"), o.severity) for o in _decision_options(plan) if o.severity]
    for index, signal in enumerate(_list_at(plan.monitoring, "escalate_when")):
        if isinstance(signal, dict) and isinstance(signal.get("severity"), str):
            refs.append((("monitoring", "escalate_when", index, "severity"), signal["severity"]))
    yield from _unknown(plan, refs, (s.id for s in plan.severity_levels), "severity level")


@check("CP204", "unknown-statement")
def unknown_statement(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario referring to a shared statement that statements: does not define.

    A decision's option (``statement:``) may name any statement, shared or
    written in a scenario, and must name one that exists.

    Fails: ``statements: [recal-notice]`` when the shared statement is ``recall-notice``.
    Passes: every statement id in a scenario is a shared statement.
    """
    refs = (
        (entry.path, entry.id)
        for scenario in plan.scenarios
        for entry in scenario.statements
        if isinstance(entry, Ref)
    )
    yield from _unknown(plan, refs, (s.id for s in plan.statements), "shared statement")
    # A decision may lead to any statement: a shared one or one written in a scenario.
    chosen = [((*o.path, "statement"), o.statement) for o in _decision_options(plan) if o.statement]
    yield from _unknown(plan, chosen, (s.id for s in plan.all_statements()), "statement")


@check("CP205", "unknown-language")
def unknown_language(plan: Plan, context: Context) -> Iterator[Finding]:
    """A text in a language the plan does not declare in plan.languages.

    Any text may be written per language (``title: {da: ..., en: ...}``), and
    statements always are; a language the plan does not declare gets no runbook,
    so its text would never be read: usually a typo for one that is declared.

    Fails: ``text: {en: ..., de: ...}`` or ``title: {en: ..., dk: ...}`` in a plan whose languages are ``[en, da]``.
    Passes: every text is keyed by one of the plan's languages.
    """
    if not plan.languages_well_formed:
        return
    keyed: list[tuple[JsonPath, str]] = [
        ((*statement.path, "text", language), f"statement '{statement.id}' has text")
        for statement in plan.all_statements()
        for language in statement.text
    ]
    for path, value in local_texts(plan.raw):
        if isinstance(value, dict):
            keyed.extend(((*path, language), f"'{field_name(path, 'text')}' has text") for language in value)
    for path, what in keyed:
        language = str(path[-1])
        if language in plan.languages or not LANGUAGE_CODE.match(language):
            continue  # a malformed code is the schema's to report (CP105)
        yield Finding(
            plan.at_key(path),
            f"{what} in '{language}', which is not one of the plan's languages ({', '.join(plan.languages)})",
            did_you_mean(language, plan.languages, "languages declared")
            if closest(language, plan.languages)
            else f"add {language} to plan.languages, or remove this text",
        )



@check("CP206", "unknown-scenario")
def unknown_scenario(plan: Plan, context: Context) -> Iterator[Finding]:
    """A drill record or post-crisis review naming a scenario the plan does not have.

    A decision's option (``scenario:``) must name an existing scenario too.

    Fails: ``scenario: hacked-acount`` in drills: when the scenario is ``hacked-account``.
    Passes: every drill and review names an existing scenario.
    """
    refs = [((*d.path, "scenario"), d.scenario) for d in plan.drills]
    refs += [((*r.path, "scenario"), r.scenario) for r in plan.reviews]
    refs += [((*o.path, "scenario"), o.scenario) for o in _decision_options(plan) if o.scenario]
    yield from _unknown(plan, refs, (s.id for s in plan.scenarios), "scenario")


@check("CP207", "unknown-step")
def unknown_step(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario's first action referring to a shared step that steps: does not define.

    Fails: ``first_actions: [pause-posts]`` when the shared step is ``pause-scheduled-posts``.
    Passes: every step id in first_actions is a shared step.
    """
    refs = (
        (entry.path, entry.id)
        for scenario in plan.scenarios
        for entry in scenario.first_actions
        if isinstance(entry, Ref)
    )
    yield from _unknown(plan, refs, (s.id for s in plan.steps), "shared step")


@check("CP210", "duplicate-id")
def duplicate_id(plan: Plan, context: Context) -> Iterator[Finding]:
    """Two things of one kind with the same id, so a reference could mean either.

    Roles, channels, severity levels, steps, scenarios and statements (shared and
    written in scenarios alike) each need ids unique among their kind.

    Fails: two scenarios both with ``id: data-breach``.
    Passes: each id appears once per kind.
    """
    kinds: list[tuple[str, list[tuple[JsonPath, str]]]] = [
        ("role", [(r.path, r.id) for r in plan.roles]),
        ("channel", [(c.path, c.id) for c in plan.channels]),
        ("severity level", [(s.path, s.id) for s in plan.severity_levels]),
        ("step", [(s.path, s.id) for s in plan.steps]),
        ("scenario", [(s.path, s.id) for s in plan.scenarios]),
        ("statement", [(s.path, s.id) for s in plan.all_statements()]),
    ]
    for what, entries in kinds:
        first: dict[str, JsonPath] = {}
        for path, ident in entries:
            if not ident:
                continue
            if ident in first:
                earlier, here = plan.at((*first[ident], "id")), plan.at((*path, "id"))
                place = f"line {earlier.line}" if earlier.path == here.path else f"{earlier.path}:{earlier.line}"
                yield Finding(
                    here,
                    f"{what} id '{ident}' is used twice (first on {place})",
                    f"give this {what} an id of its own",
                )
            else:
                first[ident] = path
