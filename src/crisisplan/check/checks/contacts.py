"""Contacts: phone numbers anyone can dial and e-mail addresses that can exist.

The questions "can this number be dialled?" and "is this an e-mail address?" are
answered by well-kept libraries rather than hand-written patterns: phonenumbers
(Google's libphonenumber metadata, with every country's numbering plan) and
email-validator (syntax only here: crisisplan never touches the network).
Both are imported when a plan has a contact to check, so `check` stays quick, and
email-validator only for an address that is not of the plainest shape (one it
always accepts, see _PLAIN_EMAIL).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from crisisplan.check.registry import Context, Finding, check
from crisisplan.plan.model import Plan
from crisisplan.plan.yamlfile import JsonPath

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

# Ofcom reserves 07700 900000-900999 for drama and examples: nobody is ever given
# such a number, so libphonenumber calls it invalid, while it accepts the other
# reserved ranges (020 7946 0xxx in the UK, 555-01xx in North America) as ordinary
# numbers. Treated alike, so example plans can use any of them.
_FICTION_PREFIXES = ("+447700900",)
# "+44 (0)20 ...": the (0) is dialled only inside the country, and a reader abroad
# who copies the number as written cannot get through.
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")
# The plainest addresses, which email-validator accepts every time, are passed
# without asking it: importing it compiles patterns over all of Unicode, a fifth of
# a `crisisplan check` of a small plan. Plainest: at most 64 characters; letters and
# digits, with single . _ + or - between them, before the @; after it, labels of
# letters and digits with single hyphens between them, ending in a top-level domain
# of two or three letters (a country's, com, org, net; the special-use names it
# refuses, like test, local or onion, are longer). Everything else is asked of it;
# tests/cli/test_startup.py holds this to what the installed email-validator says.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9]+(?:[._+-][A-Za-z0-9]+)*@(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,3}",
    re.ASCII,
)
_PLAIN_EMAIL_LENGTH = 64


def plainly_an_email(address: str) -> bool:
    """Whether an address is of the plainest shape, which email-validator always accepts."""
    return len(address) <= _PLAIN_EMAIL_LENGTH and _PLAIN_EMAIL.fullmatch(address) is not None


def _contact_places(plan: Plan) -> Iterator[tuple[JsonPath, str, str]]:
    for role in plan.roles:
        for person in role.people:
            yield person.path, person.phone, person.email
            yield from ((m.path, m.phone, m.email) for m in person.reach)
    for point in plan.contact_points:
        yield point.path, point.phone, point.email
    # People and organisations outside the team, and rotas' shared lines (issue 9).
    for contact in plan.contacts:
        yield contact.path, contact.phone, contact.email
        yield from ((m.path, m.phone, m.email) for m in contact.reach)
    for rota in plan.rotas:
        yield from ((m.path, m.phone, m.email) for m in rota.reach)
        for shift in rota.shifts:
            if shift.person is not None:
                yield shift.person.path, shift.person.phone, shift.person.email
                yield from ((m.path, m.phone, m.email) for m in shift.person.reach)
    if plan.media_inquiries is not None:
        yield plan.media_inquiries.path, plan.media_inquiries.phone, plan.media_inquiries.email


def _parse(phone: str, region: str | None = None) -> PhoneNumber | None:
    import phonenumbers

    try:
        return phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None


def _unknown_country_code(phone: str) -> bool:
    """Whether a number written with + starts with no country's code (+999 ...)."""
    import phonenumbers

    try:
        phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException as exc:
        return bool(exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE)
    return False


def _international(phone: str) -> bool:
    return phone.strip().startswith("+")


def dialable(number: PhoneNumber) -> bool:
    """Whether a number is one a phone anywhere can dial: in the numbering plan of its
    country (right length, a range in use), or reserved for examples."""
    import phonenumbers

    if phonenumbers.is_valid_number(number):
        return True
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164.startswith(_FICTION_PREFIXES)


def _usual_region(plan: Plan) -> tuple[str, str]:
    """The country code most of the plan's good numbers use, and its region (GB for
    +44): where a number written without one most likely belongs."""
    import phonenumbers

    codes: Counter[int] = Counter()
    for _, phone, _ in _contact_places(plan):
        if phone and _international(phone) and not _TRUNK_ZERO.search(phone):
            number = _parse(phone)
            if number is not None and dialable(number) and number.country_code is not None:
                codes[number.country_code] += 1
    if not codes:
        return "", ""
    code = codes.most_common(1)[0][0]
    return str(code), phonenumbers.region_code_for_country_code(code)


def _written(number: PhoneNumber) -> str:
    """A number as it should be written: international, grouped as its country groups it."""
    import phonenumbers

    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@check("CP404", "malformed-phone")
def malformed_phone(plan: Plan, context: Context) -> Iterator[Finding]:
    """A phone number not in international (E.164) form, which a phone abroad cannot dial.

    Write + and the country code, then the number; spaces, hyphens, dots and
    brackets between groups are fine. Numbers become tap-to-call links on the site.
    When the plan's other numbers show its country, the hint gives the number to
    write, grouped as that country writes it.

    Fails: ``phone: 020 7946 0321`` or ``phone: "+44 (0)20 7946 0321"``.
    Passes: ``phone: "+44 20 7946 0321"`` or ``phone: "+1 (212) 555-0100"``.
    """
    usual_code, usual_region = _usual_region(plan)
    for path, phone, _ in _contact_places(plan):
        if not phone:
            continue
        where = plan.at((*path, "phone"))
        message = f"'{phone}' is not an international phone number"
        if _international(phone):
            if _TRUNK_ZERO.search(phone):
                number = _parse(_TRUNK_ZERO.sub("", phone))
                fixed = f' "{_written(number)}"' if number is not None and dialable(number) else ""
                yield Finding(
                    where,
                    message,
                    f"leave out the (0), which is not dialled from abroad:{fixed}".rstrip(":"),
                )
            elif _parse(phone) is None and not _unknown_country_code(phone):
                yield Finding(
                    where,
                    message,
                    "write + then the country code and number, like +44 20 7946 0321",
                )
            continue
        # Written as dialled inside one country: show it in international form when
        # the plan's other numbers say which country that is.
        number = _parse(phone, usual_region) if usual_region else None
        drop = "drop the leading 0 and " if phone.strip().startswith("0") else ""
        if number is not None and dialable(number):
            hint = f'{drop}add the country code, in quotes: "{_written(number)}" (+{usual_code} is used elsewhere in this plan)'
        else:
            national = phone.strip().lstrip("0").strip()
            hint = f'{drop}add + and the country code, in quotes, like "+44 {national}" for a UK number'
        yield Finding(where, message, hint)


@check("CP408", "phone-cannot-be-dialled")
def phone_cannot_be_dialled(plan: Plan, context: Context) -> Iterator[Finding]:
    """A phone number in international form that no phone can dial: no such country code, or the wrong length.

    Checked against every country's numbering plan (libphonenumber's): a digit left
    out or added, a number in a range its country does not use, or a country code
    mixed up is caught before a crisis, not when someone calls.

    Fails: ``phone: "+44 1234567"`` (too short for a UK number) or ``phone: "+999 1234 5678"``.
    Passes: ``phone: "+44 20 7946 0321"`` or ``phone: "+1 (212) 555-0100"``.
    """
    import phonenumbers

    for path, phone, _ in _contact_places(plan):
        if not phone or not _international(phone) or _TRUNK_ZERO.search(phone):
            continue  # not international: CP404's
        where = plan.at((*path, "phone"))
        if _unknown_country_code(phone):
            yield Finding(
                where,
                f"'{phone}' cannot be dialled: no country has the code it starts with",
                "check the country code after the +, like +44 for the UK or +62 for Indonesia",
            )
            continue
        number = _parse(phone)
        if number is None or dialable(number):
            continue  # not a number at all: CP404's
        code = number.country_code or 0
        region = phonenumbers.region_code_for_country_code(code)
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        like = f" like {_written(example)}" if example is not None else ""
        yield Finding(
            where,
            f"'{phone}' cannot be dialled: no number under +{code} ({region}) has this length and these first digits",
            f"check for a digit left out, added or swapped; a mobile number there is written{like}",
        )


@check("CP405", "malformed-email")
def malformed_email(plan: Plan, context: Context) -> Iterator[Finding]:
    """An e-mail address that cannot be right (no @, spaces, two dots in a row, no domain).

    Only the address itself is checked, never whether its domain receives mail:
    crisisplan does not use the network.

    Fails: ``email: ana.lima(at)brightbrew.example`` or ``email: ana..lima@acme.com``.
    Passes: ``email: ana.lima@brightbrew.example``.
    """
    for path, _, email in _contact_places(plan):
        if not email or plainly_an_email(email.strip()):
            continue
        from email_validator import EmailNotValidError, validate_email

        try:
            validate_email(email.strip(), check_deliverability=False)
        except EmailNotValidError as exc:
            # The library says what is wrong ("two periods in a row"), except where
            # that is plain from the address: it has no @ at all.
            reason = str(exc).rstrip(".") if "@" in email else ""
            yield Finding(
                plan.at((*path, "email")),
                f"'{email}' is not an e-mail address",
                f"{reason[:1].lower()}{reason[1:]}; write it like name@example.com"
                if reason
                else "write it like name@example.com",
            )


@check("CP409", "emergency-number-not-dialable")
def emergency_number_not_dialable(plan: Plan, context: Context) -> Iterator[Finding]:
    """An emergency line whose number has nothing a phone can dial.

    Emergency lines are written as people dial them: a short code (112, 911), a
    local number, or a vanity number whose letters are on the keypad (328-COPS);
    they are not held to the international form other numbers use (CP404). The
    site makes each a tap-to-call link.

    Fails: ``number: the police`` or ``number: "-"``.
    Passes: ``number: "112"``, ``number: "328-COPS (2677)"`` or ``number: "+45 70 10 20 30"``.
    """
    for line in plan.emergency:
        if line.number and not line.tel:
            yield Finding(
                plan.at((*line.path, "number")),
                f"emergency line '{line.name}' has number '{line.number}', which a phone cannot dial",
                'write the number as it is dialled, like number: "112" or number: "328-COPS (2677)"',
            )
