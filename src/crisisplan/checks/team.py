"""The team: every role held by a reachable primary and at least one deputy."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crisisplan.checks.base import Context, Finding, check
from crisisplan.loader import JsonPath
from crisisplan.model import Person, Plan

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


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


def _contact_places(plan: Plan) -> Iterator[tuple[JsonPath, str, str]]:
    for _, person in _people(plan):
        yield person.path, person.phone, person.email
    for point in plan.contact_points:
        yield point.path, point.phone, point.email


@check("CP404", "malformed-phone")
def malformed_phone(plan: Plan, context: Context) -> Iterator[Finding]:
    """A phone number not in international (E.164) form, which a phone abroad cannot dial.

    Write + and the country code, then the number; spaces or hyphens between groups
    are fine. Numbers become tap-to-call links on the site.

    Fails: ``phone: 020 7946 0321`` or ``phone: "+44 (0)20 7946 0321"``.
    Passes: ``phone: "+44 20 7946 0321"``.
    """
    usual = _usual_country_code(plan)
    for path, phone, _ in _contact_places(plan):
        if not phone:
            continue
        compact = re.sub(r"[\s-]", "", phone)
        if _E164.match(compact):
            continue
        hint = "write + then the country code and number, like +44 20 7946 0321"
        if not phone.startswith("+") and compact.isdigit():
            national = phone.lstrip("0").strip()
            if usual:
                hint = f'drop the leading 0 and add the country code, in quotes: "+{usual} {national}" ({"+" + usual} is used elsewhere in this plan)'
            else:
                hint = f'drop the leading 0 and add + and the country code, in quotes, like "+44 {national}" for a UK number'
        yield Finding(plan.at((*path, "phone")), f"'{phone}' is not an international phone number", hint)


def _usual_country_code(plan: Plan) -> str:
    """The country code most of the plan's well-written numbers use, if they show it
    (a space after it, as in +62 812 ...)."""
    codes = Counter(
        match.group(1)
        for _, phone, _ in _contact_places(plan)
        if (match := re.match(r"^\+(\d{1,3})[\s-]", phone)) and _E164.match(re.sub(r"[\s-]", "", phone))
    )
    return codes.most_common(1)[0][0] if codes else ""


@check("CP405", "malformed-email")
def malformed_email(plan: Plan, context: Context) -> Iterator[Finding]:
    """An e-mail address that cannot be right (no @, spaces, no domain).

    Fails: ``email: ana.lima(at)brightbrew.example``.
    Passes: ``email: ana.lima@brightbrew.example``.
    """
    for path, _, email in _contact_places(plan):
        if email and not _EMAIL.match(email.strip()):
            yield Finding(
                plan.at((*path, "email")),
                f"'{email}' is not an e-mail address",
                "write it like name@example.com",
            )


@check("CP406", "unreachable-person")
def unreachable_person(plan: Plan, context: Context) -> Iterator[Finding]:
    """A role holder with no phone, e-mail or chat handle: named, but not reachable.

    Fails: ``primary: {name: Ana Lima}``.
    Passes: at least one of phone, email or chat.
    """
    for role_id, person in _people(plan):
        if not person.reachable:
            yield Finding(
                plan.at(person.path),
                f"{person.name or 'a holder'} of role '{role_id}' has no phone, e-mail or chat",
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
