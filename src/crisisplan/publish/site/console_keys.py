"""The incident console's storage key and seal, written into each scenario page.

Every page opened from file:// shares one browser storage, so the console keeps a
plan's incident under a key of its own (two plans with the same plan and scenario
ids do not share one) and seals what it stores with a secret only the page knows
(incident-log.js): another local file can read the console's scripts and storage,
but not this page's HTML, so it cannot seal a planted incident.

Both are digests of what the plan says, never random: the same plans give the same
site byte for byte, and a rebuild during an incident keeps the console's state.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from crisisplan.plan.model import Person, Plan

# incident-log.js accepts 16-128 lowercase hex characters.
DIGITS = 32


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:DIGITS]


def plan_key(plan: Plan, slug: str, public: bool) -> str:
    """The same for every build of this plan in this edition, whatever folder it is
    built in; different for another plan that happens to use the same ids."""
    edition = "public" if public else "internal"
    return _digest("crisisplan-incident-key", edition, Path(plan.source).name, slug, plan.organisation, plan.title)


def _people(plan: Plan) -> list[Person]:
    return [person for role in plan.roles for person in role.people]


def plan_seal(plan: Plan, key: str) -> str:
    """A secret a page without this plan's contact details cannot know; it changes
    only when a contact does."""
    contacts = [[p.name, p.phone, p.email, p.chat] for p in _people(plan)]
    contacts += [[c.name, c.phone, c.email] for c in plan.contact_points]
    contacts += [[c.name, c.phone, c.email, c.chat] for c in plan.contacts]
    return _digest("crisisplan-incident-seal", key, json.dumps(contacts, ensure_ascii=False, sort_keys=True))
