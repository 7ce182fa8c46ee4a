"""The shortcuts `check` takes past a parser or a library (to start light: see
tests/cli/test_startup.py) answer exactly as the parser or library would."""

from __future__ import annotations

import email_validator
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisplan.check.checks.contacts import plainly_an_email
from crisisplan.markup import MAX_MARKDOWN_NESTING, markdown_depth, nests_too_deep

# --- plain e-mail addresses: passed without email-validator, only when it would pass them

_ALNUM = st.text("abcxyzABZ0189", min_size=1, max_size=6)
_TLD = st.sampled_from(email_validator.SPECIAL_USE_DOMAIN_NAMES) | st.text(
    "abcdeijklmnostuvxyz", min_size=1, max_size=4
)


@st.composite
def _addresses(draw: st.DrawFn) -> str:
    local = draw(_ALNUM) + "".join(
        draw(st.lists(st.tuples(st.sampled_from("._+-"), _ALNUM).map("".join), max_size=3))
    )
    labels = draw(
        st.lists(st.lists(_ALNUM, min_size=1, max_size=3).map("-".join), min_size=1, max_size=3)
    )
    return f"{local}@{'.'.join(labels)}.{draw(_TLD)}"


def _accepted(address: str) -> bool:
    try:
        email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(_addresses())
def test_an_address_passed_as_plain_is_one_email_validator_accepts(address: str) -> None:
    if plainly_an_email(address):
        assert _accepted(address), address


@settings(max_examples=60, deadline=None)
@given(st.text("ab1.-_+@-.xn--cmotest", max_size=30))
def test_text_passed_as_a_plain_address_is_one_email_validator_accepts(text: str) -> None:
    if plainly_an_email(text):
        assert _accepted(text), text


def test_special_use_names_and_odd_shapes_are_asked_of_email_validator() -> None:
    for name in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        assert not plainly_an_email(f"ana@acme.{name}"), name
    for odd in (
        "ana..lima@acme.com",
        "ana@acme",
        "ab@xn--acme.com",
        "ab@ac--me.com",
        "a" * 60 + "@acme.com",
        "ana@acme.example",
    ):
        assert not plainly_an_email(odd), odd
    assert plainly_an_email("ana.lima+crisis@mail.acme-corp.co.uk")


# --- Markdown nesting: counted without the parser only where it cannot reach the limit


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "- ",
                "* ",
                "+ ",
                "1. ",
                "2) ",
                "> ",
                "*",
                "_",
                "[",
                "](x)",
                "<a:b>",
                "a",
                " ",
                "\n",
                "    ",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_nesting_counted_without_the_parser_is_what_the_parser_says(text: str) -> None:
    assert nests_too_deep(text) == (markdown_depth(text) > MAX_MARKDOWN_NESTING)


def test_the_shortcut_bound_is_tight() -> None:
    # Each list marker opens two levels (the list and its item): ten of them reach 21.
    assert nests_too_deep("- " * 10 + "x") and markdown_depth("- " * 10 + "x") == 21
    assert not nests_too_deep("- " * 9 + "x") and markdown_depth("- " * 9 + "x") == 19
