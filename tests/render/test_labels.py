"""labels_for: the mapping templates read as w.key, in every language, with English
filling whatever a language lacks."""

from __future__ import annotations

import re

import pytest

from crisisplan.render.labels import SHIPPED_LANGUAGES, Labels, labels_for, template_catalog
from tests.conftest import TESTS

TEAM = TESTS  # holds locale/sv and locale/da, as a project folder would


@pytest.mark.parametrize("language", [*SHIPPED_LANGUAGES, "sv"])
def test_label_keys_are_not_attributes(language: str) -> None:
    # Jinja looks up w.copy as an attribute first: it would find dict.copy, not the label.
    words = labels_for(language, [TEAM])
    assert [key for key in words if hasattr(words, key)] == []
    assert [key for key in template_catalog().forms if hasattr(Labels, key)] == []


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_every_language_has_every_label(language: str) -> None:
    words = labels_for(language)
    assert set(words) == set(template_catalog().texts)
    assert all(isinstance(text, str) and text for text in words.values())
    for key, english in template_catalog().forms.items():
        # Fill every placeholder but {count}, which ngettext fills itself.
        values = {name: name for name in re.findall(r"\{(\w+)\}", english[1]) if name != "count"}
        assert words.ngettext(key, 1, **values) and words.ngettext(key, 2, **values)


def test_a_language_without_a_catalog_is_english() -> None:
    assert labels_for("fi") == labels_for("en")
    assert labels_for("fi")["what_is_happening"] == "What is happening?"


@pytest.mark.parametrize(("code", "expected"), [("en-GB", "Copy"), ("da-DK", "Kopiér"), ("id-ID", "Salin"), ("ms_MY", "Salin")])
def test_a_region_falls_back_to_its_language(code: str, expected: str) -> None:
    assert labels_for(code)["copy_button"] == expected


@pytest.mark.parametrize("code", ["", "../../etc", "da/../../x", "x" * 40])
def test_a_malformed_language_code_is_english_and_never_a_path(code: str) -> None:
    assert labels_for(code, [TEAM]) == labels_for("en")


def test_a_project_catalog_wins_label_by_label() -> None:
    danish = labels_for("da", [TEAM])
    assert danish["copy_button"] == "Kopier tekst"  # the team's word
    assert danish["first_actions"] == "Første handlinger"  # crisisplan's Danish
    assert labels_for("da")["copy_button"] == "Kopiér"
    assert labels_for("da", TEAM)["copy_button"] == "Kopier tekst"  # one folder, not in a list
