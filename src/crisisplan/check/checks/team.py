"""The team: every role held by someone reachable (a person, or a position or office),
and a deputy for a role that rests on one named person."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crisisplan.check.registry import Context, Finding, check
from crisisplan.plan.model import Person, Plan


def _people(plan: Plan) -> Iterator[tuple[str, Person]]:
    for role in plan.roles:
        for person in role.people:
            yield f"of role '{role.id}'", person
    for rota in plan.rotas:
        for shift in rota.shifts:
            if shift.person is not None:
                yield f"on rota '{rota.id}'", shift.person


@check("CP401", "role-without-primary")
def role_without_primary(plan: Plan, context: Context) -> Iterator[Finding]:
    """A role that nobody holds, and that nobody names a holder for during the crisis.

    A role may be held by a person or by a position or office; a role filled only
    when a crisis breaks ("the crisis management team names a spokesperson") says who
    names its holder then (``named_by:``); a rota may cover it.

    Fails: a role with no ``primary:``, ``named_by:`` or ``rota:``.
    Passes: ``primary: {name: Ana Lima, phone: "+44 20 7946 0321"}``, ``primary:
    {position: Director of News and Media Relations, phone: "+1 555 0100"}``, or
    ``named_by: crisis-management-team``.
    """
    for role in plan.roles:
        if role.primary is None and not role.named_by and not role.rota:
            yield Finding(
                plan.at((*role.path, "id")),
                f"role '{role.id}' has no primary holder",
                "add primary: with the name (or the position: or office:) and the contacts of who holds this role; "
                "if it is filled during the crisis, write named_by: with who names its holder",
            )


@check("CP402", "role-without-deputy")
def role_without_deputy(plan: Plan, context: Context) -> Iterator[Finding]:
    """A role held by one named person with no deputy: when they are asleep, ill or on a plane, nobody acts.

    A role held by a position or office (whoever holds it, or their designee, acts),
    by someone at an outside firm (``organisation:``), covered by a rota, or named
    during the crisis (``named_by:``) needs no standing deputy.

    Fails: ``primary: {name: Ana Lima, ...}`` with no ``deputies:`` or an empty list.
    Passes: at least one deputy with a name and a way to reach them, or ``primary:
    {position: Director of Communications, ...}``.
    """
    for role in plan.roles:
        if role.needs_deputy and not role.deputies:
            yield Finding(
                plan.at((*role.path, "id")),
                f"role '{role.id}' has no deputy",
                f"add deputies: with at least one person who steps in when {role.primary.name if role.primary else 'the primary'} "
                "cannot be reached; if the role belongs to a position, write position: instead of name:",
            )


def _same(a: Person, b: Person) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip().lower()

    return bool(
        (a.name and norm(a.name) == norm(b.name))
        or (a.email and norm(a.email) == norm(b.email))
        or (a.phone and a.tel == b.tel)
    )


@check("CP403", "deputy-is-primary")
def deputy_is_primary(plan: Plan, context: Context) -> Iterator[Finding]:
    """A deputy who is the same person as the primary (same name, e-mail or phone).

    A deputy exists for when the primary cannot act; the same person cannot cover
    for themselves.

    Fails: primary Ana Lima and deputy Ana Lima.
    Passes: a deputy who is somebody else.
    """
    for role in plan.roles:
        if role.primary is None:
            continue
        for deputy in role.deputies:
            if _same(role.primary, deputy):
                yield Finding(
                    plan.at((*deputy.path, "name")),
                    f"role '{role.id}' has {deputy.name or 'the primary'} as both primary and deputy",
                    "name a different person as deputy",
                )


@check("CP406", "unreachable-person")
def unreachable_person(plan: Plan, context: Context) -> Iterator[Finding]:
    """A role holder (or a rota's member) with no phone, e-mail, chat handle or go-between: named, but not reachable.

    Filler such as ``chat: not given in source`` is not a way to reach anyone. Someone
    reached through a switchboard or the chain of command says so with ``through:``.

    Fails: ``primary: {name: Ana Lima}``, or ``chat: n/a`` as the only way.
    Passes: at least one of phone, email, chat or reach, or ``through: switchboard``.
    """
    for holds, person in _people(plan):
        if not person.reachable:
            filler = [f"{key}: {value}" for key, value in (("phone", person.phone), ("email", person.email), ("chat", person.chat)) if value]
            said = f" ('{filler[0]}' says nothing)" if filler else ""
            yield Finding(
                plan.at(person.path),
                f"{person.label or 'a holder'} {holds} has no phone, e-mail or chat{said}",
                "add phone:, email: or chat: so they can be reached in a crisis, or through: with the role, contact or rota that reaches them",
            )


@cache
def _zone_exists(name: str) -> bool | None:
    """Whether a time zone exists; None when this machine has no time zone data."""
    try:
        ZoneInfo("UTC")
    except ZoneInfoNotFoundError:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@check("CP407", "unknown-time-zone")
def unknown_time_zone(plan: Plan, context: Context) -> Iterator[Finding]:
    """A time zone that is not an IANA name, so nobody can tell whether it is night there.

    Fails: ``timezone: WIB`` or ``timezone: London``.
    Passes: ``timezone: Asia/Jakarta`` or ``timezone: Europe/London``.
    """
    for _, person in _people(plan):
        if person.timezone and _zone_exists(person.timezone) is False:
            yield Finding(
                plan.at((*person.path, "timezone")),
                f"'{person.timezone}' is not a time zone name",
                "write an IANA name, like Europe/London, Asia/Jakarta or Europe/Copenhagen",
            )
