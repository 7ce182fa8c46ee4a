"""The public edition leaks no internal value: not in pages, search, or PDF text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from crisisplan.publish.options import BuildResult
from tests.conftest import ROOT


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def _texts(value: Any) -> list[str]:
    """The text of a value as written: a string, or each language's text."""
    if isinstance(value, dict):
        return [str(v) for v in value.values()]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return [str(value)] if value else []


def internal_values() -> set[str]:
    """Every value the public edition must not show, read straight from the YAML."""
    documents = [_yaml(ROOT / "plans" / "brightbrew" / "plan.yaml"), _yaml(ROOT / "plans" / "segarkita.yaml")]
    scenario_files = sorted((ROOT / "plans" / "brightbrew" / "scenarios").glob("*.yaml"))
    scenarios = [_yaml(p) for p in scenario_files] + documents[1]["scenarios"]
    values: set[str] = set()
    for doc in documents:
        for role in doc["roles"]:
            for person in [role["primary"], *role["deputies"]]:
                for key in ("name", "organisation", "email", "chat", "timezone"):
                    if person.get(key):
                        values.add(str(person[key]))
                if person.get("phone"):
                    values.add(str(person["phone"]))
                    values.add("+" + re.sub(r"\D", "", str(person["phone"])))
        for point in doc.get("contact_points", []):
            if point.get("visibility") == "internal":
                values.update(str(point[k]) for k in ("name", "phone", "email") if point.get(k))
        for drill in doc.get("drills", []):
            values.update(_texts(drill.get("findings", [])))
            values.update(_texts(drill.get("participants", [])))
            if drill.get("facilitator"):
                values.add(drill["facilitator"])
        for tool in doc.get("monitoring", {}).get("tools", []):
            if tool.get("url"):
                values.add(tool["url"])
        for step in doc.get("steps", []):
            values.update(_texts(step.get("details")))
    for scenario in scenarios:
        if scenario.get("visibility") == "internal":
            values.update(_texts(scenario["title"]))
            values.update(t.strip()[:60] for t in _texts(scenario["worst_case"]))
        for action in scenario.get("first_actions", []):
            if isinstance(action, dict) and action.get("details"):
                values.update(t.strip()[:60] for t in _texts(action["details"]))
    assert len(values) > 100  # the plans hold plenty to leak
    return values


@pytest.fixture
def public_site(public_example_build: tuple[Path, BuildResult]) -> tuple[Path, BuildResult]:
    # The suite's one build of the public edition with PDFs (conftest.py), shared.
    return public_example_build


def pdf_text(file: Path) -> str:
    """A PDF's text: poppler's pdftotext where it is installed (CI installs it), as it
    reads the examples' PDFs twenty times faster than pypdf; pypdf otherwise."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        done = subprocess.run([pdftotext, "-q", "-enc", "UTF-8", file, "-"], capture_output=True, check=True)
        return done.stdout.decode("utf-8")
    return "\n".join(page.extract_text() for page in PdfReader(file).pages)


def all_text(site: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for file in site.rglob("*"):
        if not file.is_file():
            continue
        if file.suffix == ".pdf":
            texts[str(file)] = pdf_text(file)
        elif file.suffix in (".html", ".js", ".json", ".xml", ".css", ".txt"):
            texts[str(file)] = file.read_text("utf-8", errors="replace")
    return texts


def test_public_edition_leaks_no_internal_value(public_site: tuple[Path, BuildResult]) -> None:
    site, result = public_site
    texts = all_text(site)
    assert any(name.endswith(".pdf") for name in texts) and result.pdfs > 0
    # PDF text extraction may break lines anywhere: compare with white space removed.
    squeezed = {name: re.sub(r"\s+", "", text) for name, text in texts.items()}
    leaks = [
        f"{value!r} in {name}"
        for value in internal_values()
        for name, text in squeezed.items()
        if re.sub(r"\s+", "", value) in text
    ]
    assert leaks == []


def test_public_edition_keeps_public_contact_points_and_says_where_contacts_are(public_site: tuple[Path, BuildResult]) -> None:
    site, _ = public_site
    home = (site / "index.html").read_text()
    assert 'href="tel:+442079460100"' in home  # the press office line stays
    scenario = (site / "brightbrew" / "scenarios" / "hacked-account.html").read_text()
    assert "Contact details are in the internal edition." in scenario
    assert not (site / "brightbrew" / "monitoring.html").exists()
    assert not (site / "brightbrew" / "scenarios" / "executive-misconduct.html").exists()
    quick_card = PdfReader(site / "pdf" / "brightbrew" / "hacked-account.pdf").pages[0].extract_text()
    assert "Contact details are in the internal edition." in quick_card
    assert "+44 20 7946 0100" in quick_card
    segarkita = (site / "segarkita" / "team.html").read_text()
    assert "Detail kontak ada di edisi internal." in segarkita


def test_internal_edition_is_unchanged_by_default(example_build: tuple[Path, BuildResult]) -> None:
    # The shared build of the examples with default options (conftest.py).
    site, result = example_build
    assert result.built
    html = (site / "brightbrew" / "scenarios" / "hacked-account.html").read_text()
    assert "Maya Okafor" in html and "tel:+447700900101" in html
    assert (site / "brightbrew" / "scenarios" / "executive-misconduct.html").exists()


def test_the_leak_search_sees_leaks_in_the_internal_edition(example_build: tuple[Path, BuildResult]) -> None:
    # A control: the same search over the internal edition finds the values, so an
    # empty result for the public edition means they are really gone.
    site, _ = example_build
    squeezed = [re.sub(r"\s+", "", text) for text in all_text(site).values()]
    values = internal_values()
    found = {v for v in values if any(re.sub(r"\s+", "", v) in text for text in squeezed)}
    assert len(found) >= len(values) - 5
