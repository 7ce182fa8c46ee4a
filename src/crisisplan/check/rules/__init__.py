"""Rule packs: what a standard asks of a crisis plan, checked for plans that opt in.

A plan lists the standards it answers to under ``plan: rules: [gdpr, iso22301]``.
Each pack is a module here; each of its rules is a small function registered with
``@rule(pack, code, name)``. The rule joins the one registry of semantic checks
(crisisplan.check.registry), so it is reported, listed, explained, configured and
exported like any other check, but it runs only for plans that list its pack.
Its docstring cites the article or clause it comes from, and documents it for
``crisisplan explain``.

To add a pack: a module with its rules, an entry in PACKS, the name in the schema's
``rules`` choices, and a failing and a passing case folder for each rule.
"""

from __future__ import annotations

import inspect
from types import ModuleType

# Importing each pack registers its rules.
from crisisplan.check.rules import cerc, gdpr, iso22301, nis2
from crisisplan.check.rules.base import PACK_OF, PACKS, Pack, rule, rules_of

_MODULES: dict[str, ModuleType] = {module.__name__.rsplit(".", 1)[-1]: module for module in (cerc, gdpr, iso22301, nis2)}


def pack_doc(pack: str) -> str:
    """The pack module's docstring: what the standard asks, and where it says so."""
    return inspect.cleandoc(_MODULES[pack].__doc__ or "")


__all__ = ["PACKS", "PACK_OF", "Pack", "pack_doc", "rule", "rules_of"]
