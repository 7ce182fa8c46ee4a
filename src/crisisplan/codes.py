"""Every diagnostic code: the loader's and the schema's here, semantic checks from their registry."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import cache

from crisisplan import audience
from crisisplan.checks import all_checks
from crisisplan.rules import PACK_OF, PACKS


@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    severity: str
    summary: str
    doc: str
    # The rule pack the code belongs to (crisisplan.rules), or "" for crisisplan's own.
    pack: str = ""


# Problems found before the semantic checks can run: reading the YAML, then its structure.
_STRUCTURAL = [
    ("CP001", "yaml-syntax", "error", "The file is not valid YAML (indentation, quotes, brackets)."),
    ("CP002", "duplicate-key", "error", "A key written twice in one mapping; YAML would silently keep the last."),
    ("CP003", "forbidden-tag", "error", "A YAML tag such as !!python/object: plans hold plain data only."),
    ("CP004", "several-documents", "error", "More than one YAML document (a '---' line) in one file."),
    ("CP005", "alias-bomb", "error", "Aliases that expand to an enormous document (a 'billion laughs' file)."),
    ("CP006", "too-deep", "error", "Nesting far deeper than any plan needs."),
    ("CP007", "file-too-large", "error", "A plan file over the size limit (2 MiB)."),
    ("CP008", "not-utf8", "error", "A file that is not UTF-8 text."),
    ("CP009", "empty-file", "error", "A file with nothing but blank lines or comments."),
    ("CP010", "not-a-mapping", "error", "A file whose top level is a list or a single value instead of keys."),
    ("CP011", "path-not-found", "error", "A path that does not exist or cannot be read."),
    ("CP012", "no-plans", "error", "A folder with no plan in it."),
    ("CP013", "hashtag-read-as-comment", "warning", "A value cut short because ' #word' after it is a YAML comment (a warning)."),
    ("CP014", "special-file", "error", "A path that is a device, pipe or socket rather than a file (never read, so it cannot hang)."),
    ("CP015", "link-outside-repository", "error", "A plan, scenario, review or docs file that is a symbolic link leading outside the repository."),
    ("CP101", "missing-key", "error", "A required key is missing."),
    ("CP102", "unknown-key", "error", "A key the format does not know, usually a misspelling."),
    ("CP103", "wrong-type", "error", "Text where a list is expected, a number where text is expected, and so on."),
    ("CP104", "unknown-value", "error", "A value that is not one of the allowed choices."),
    ("CP105", "bad-format", "error", "A malformed id, duration, date, language code or address."),
    ("CP106", "empty-or-repeated", "error", "An empty text or list where content is needed, or a repeated entry."),
    ("CP107", "schema", "error", "Any other structural problem."),
    ("CP108", "over-limit", "error", "A text, list or number past the limits that keep every build fast (see the README's limits)."),
]


@cache
def all_codes() -> tuple[CodeInfo, ...]:
    codes = [CodeInfo(code, name, severity, summary, summary) for code, name, severity, summary in _STRUCTURAL]
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
