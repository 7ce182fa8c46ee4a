"""Every diagnostic code: the loader's and the schema's here, semantic checks from their registry."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import cache

from crisisplan.check.checks import all_checks
from crisisplan.check.registry import STRUCTURAL
from crisisplan.check.rules import PACK_OF, PACKS
from crisisplan.plan import public as audience


@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    severity: str
    summary: str
    doc: str
    # The rule pack the code belongs to (crisisplan.check.rules), or "" for crisisplan's own.
    pack: str = ""


@cache
def all_codes() -> tuple[CodeInfo, ...]:
    codes = [CodeInfo(code, name, severity, summary, summary) for code, name, severity, summary in STRUCTURAL]
    codes += [
        CodeInfo(c.code, c.name, str(c.severity), c.summary, c.doc) for c in all_checks() if c.code not in PACK_OF
    ]
    # Reported only by `crisisplan build --audience public`, not by `check`.
    leak_doc = inspect.cleandoc(audience.personal_data_in_public_text.__doc__ or "")
    codes.append(CodeInfo(audience.LEAK_CODE, audience.LEAK_NAME, "warning", leak_doc.splitlines()[0], leak_doc))
    # The rule packs' codes come last, pack by pack, as `crisisplan checks` lists them.
    packed = [c for c in all_checks() if c.code in PACK_OF]
    for pack in PACKS:
        codes += [
            CodeInfo(c.code, c.name, str(c.severity), c.summary, c.doc, pack) for c in packed if PACK_OF[c.code] == pack
        ]
    return tuple(codes)


def code_name(code: str) -> str:
    return next((c.name for c in all_codes() if c.code == code), "")
