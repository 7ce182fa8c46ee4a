"""crisisplan.plan.yamlfile: where each value and key was written, as the builder
records it from PyYAML's events (the diagnostics built on it are in tests/cases/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisplan.diagnostics import Location
from crisisplan.plan.yamlfile import LoadError, load_file

PLAN = """\
plan:
  title: Recall
roles:
  - &lead {id: lead, phone: +62 811}
  - *lead
"""


def test_values_keys_and_plain_text_have_their_places(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    doc = load_file(path, "plan.yaml")
    assert doc.data == {
        "plan": {"title": "Recall"},
        "roles": [{"id": "lead", "phone": "+62 811"}, {"id": "lead", "phone": "+62 811"}],
    }
    at = doc.locator
    assert at.value(()) == Location("plan.yaml", 1, 1)
    assert at.value(("plan",)) == Location("plan.yaml", 2, 3)
    assert at.key(("plan",)) == Location("plan.yaml", 1, 1)
    assert at.value(("plan", "title")) == Location("plan.yaml", 2, 10)
    assert at.key(("plan", "title")) == Location("plan.yaml", 2, 3)
    assert at.value(("roles", 0, "phone")) == Location("plan.yaml", 4, 29)
    assert at.key(("roles", 0, "phone")) == Location("plan.yaml", 4, 22)
    assert at.source[("roles", 0, "phone")] == "+62 811"
    # Through an alias: the place of the alias, not of the anchor.
    assert at.value(("roles", 1)) == Location("plan.yaml", 5, 5)
    assert at.value(("roles", 1, "phone")) == Location("plan.yaml", 5, 5)


def test_quoted_values_keep_no_source_but_keys_do(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text('"plan": {title: "1"}\n')
    doc = load_file(path, "plan.yaml")
    assert doc.data == {"plan": {"title": "1"}}
    assert ("plan", "title") not in doc.locator.source


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("a: 1\na: 2\n", "CP002", 2, 1),
        ("? [a]\n: 1\n", "CP001", 1, 3),
        ("a: *nowhere\n", "CP001", 1, 4),
        ("a: !!python/object:os.system x\n", "CP003", 1, 4),
        ("a: 1\n---\nb: 2\n", "CP004", 2, 1),
        ("a: " + "[" * 41 + "]" * 41 + "\n", "CP006", 1, 43),
    ],
)
def test_each_kind_of_event_refuses_what_it_must(tmp_path: Path, text: str, code: str, line: int, column: int) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    with pytest.raises(LoadError) as refused:
        load_file(path, "plan.yaml")
    found = refused.value.diagnostic
    assert (found.code, found.line, found.column) == (code, line, column)
