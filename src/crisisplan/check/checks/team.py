"""The team: every role held by a reachable primary and at least one deputy."""

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
            yield role.id, person


@check("CP401", "role-without-primary")
def role_without_primary(plan: Plan, context: Context) -> Iterator[Finding]:
    """A role that nobody holds.

    Fails: a role with no ``primary:``.
    Passes: ``primary: {name: Ana Lima, phone: "+44 20 7946 0321"}``.
    """
    for role in plan.roles:
        if role.primary is None:
            yield Finding(
                plan.at((*role.path, "id")),
                f"role '{role.id}' has no primary holder",
                "add primary: with the name and contacts of the person who holds this role",
            )


@check("CP402", "role-without-deputy")
def role_without_deputy(plan: Plan, context: Context) -> Iterator[Finding]:
    """A role with no deputy: when its holder is asleep, ill or on a plane, nobody acts.

    Fails: a role with no ``deputies:`` or an empty list.
    Passes: at least one deputy with a name and a way to reach them.
    """
    for role in plan.roles:
        if not role.deputies:
            yield Finding(
                plan.at((*role.path, "id")),
                f"role '{role.id}' has no deputy",
                "add deputies: with at least one person who steps in when the primary cannot be reached",
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
    """A role holder with no phone, e-mail or chat handle: named, but not reachable.

    Filler such as ``chat: not given in source`` is not a way to reach anyone.

    Fails: ``primary: {name: Ana Lima}``, or ``chat: n/a`` as the only way.
    Passes: at least one of phone, email or chat.
    """
    for role_id, person in _people(plan):
        if not person.reachable:
            filler = [f"{key}: {value}" for key, value in (("phone", person.phone), ("email", person.email), ("chat", person.chat)) if value]
            said = f" ('{filler[0]}' says nothing)" if filler else ""
            yield Finding(
                plan.at(person.path),
                f"{person.name or 'a holder'} of role '{role_id}' has no phone, e-mail or chat{said}",
                "add phone:, email: or chat: so they can be reached in a crisis",
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
