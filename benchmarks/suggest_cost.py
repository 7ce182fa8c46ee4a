"""Print what "did you mean" costs on plans full of long, alike ids and misspellings,
side by side with a peer: the same check with difflib's plain get_close_matches over
every choice (what crisisplan did before its suggestions were bounded).

Not a test: figures are read, not asserted. Run: .venv/bin/python benchmarks/suggest_cost.py
(add --quick to leave out the largest plans, whose peer runs for minutes).

Each plan has up to 200 roles and 200 contacts with ids of up to 64 characters that
differ in a few places, and one misspelt owner per first action. Three kinds of ids:
words (a long name and a number), repeated letters (aaaa...0042, where difflib's
comparison is slowest) and shuffles of the same letters (every choice is equally
close by difflib's quick bound, so no bound rules one out). For each plan, the whole
`crisisplan check` process is timed in CPU seconds (steadier than wall time on a
shared machine), with the "did you mean" hints it gave; beside it the peer, stopped
after PEER_LIMIT seconds, and the same check with no hints at all, which is what the
rest of the check costs.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests" / "cases" / "valid" / "minimal" / "plan.yaml").read_text()
FIRST_ACTION = "      - do: Pause scheduled posts\n        owner: social\n        at: 10m\n"
PEER_LIMIT = 300.0

# The peer: crisisplan's suggestions replaced, before any check imports them, by
# difflib over every choice, as suggest.py had it.
PEER = """
import difflib, sys
import crisisplan.suggest as suggest

def closest(word, choices):
    options = [c for c in choices if c]
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    alias = suggest.ALIASES.get(word.lower())
    if alias in lowered:
        return lowered[alias]
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None

def did_you_mean(word, choices, listing="choose one of"):
    options = sorted({c for c in choices if c})
    best = closest(word, options)
    if best is not None:
        return f"did you mean '{best}'?"
    if not options:
        return ""
    return f"{listing}: " + ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")

if sys.argv[1] == "--no-hints":
    sys.argv.pop(1)
    closest = lambda word, choices: None
    did_you_mean = lambda word, choices, listing="": ""
suggest.closest, suggest.did_you_mean = closest, did_you_mean
from crisisplan.cli import main
sys.argv = ["crisisplan", *sys.argv[1:]]
main()
"""


def ids(shape: str, count: int, tag: str, rng: random.Random) -> list[str]:
    """COUNT distinct ids of up to 64 characters, alike in the way SHAPE says."""
    if shape == "words":
        return [f"regional-crisis-communications-{tag}-north-east-office-{n:04d}" for n in range(count)]
    if shape == "repeated":
        return [f"{tag}{'a' * 55}{n:04d}" for n in range(count)]
    made: set[str] = set()
    while len(made) < count:  # shuffles of the same 30 a's and 30 b's
        letters = list("a" * 30 + "b" * 30)
        rng.shuffle(letters)
        made.add(tag + "".join(letters))
    return sorted(made)


def misspelt(known: set[str], choices: list[str], rng: random.Random) -> str:
    """One of CHOICES with one letter changed, so that it is none of KNOWN."""
    while True:
        word = list(rng.choice(choices))
        at = rng.randrange(len(word))
        word[at] = "x" if word[at] != "x" else "z"
        spelt = "".join(word)
        if spelt not in known:
            return spelt


def hostile_plan(shape: str, roles: int = 198, contacts: int = 0, refs: int = 200, seed: int = 1) -> str:
    """The minimal plan (its 2 roles) with ROLES more roles and CONTACTS contacts of
    alike ids, and REFS first actions (200 to a scenario), each owned by a misspelt id."""
    rng = random.Random(seed)  # noqa: S311 (the same plan each run, not a secret)
    role_ids = ids(shape, roles, "r", rng)
    contact_ids = ids(shape, contacts, "c", rng)
    known = {*role_ids, *contact_ids, "lead", "social"}
    text = MINIMAL.replace(
        "roles:\n",
        "roles:\n" + "".join(f"  - id: {r}\n    title: Role {n}\n    primary: {{name: Person {n}, chat: '@p{n}'}}\n    deputies: [{{name: Deputy {n}, chat: '@d{n}'}}]\n" for n, r in enumerate(role_ids)),
    )
    if contact_ids:
        listed = "".join(f"  - id: {c}\n    name: Contact {n}\n" for n, c in enumerate(contact_ids))
        text = text.replace("severity_levels:\n", f"contacts:\n{listed}severity_levels:\n")
    scenario = text[text.index("  - id: outage\n") :]
    text = text[: text.index("  - id: outage\n")]
    choices = role_ids + contact_ids
    for number in range((refs + 199) // 200):
        actions = "".join(
            f"      - do: Pause scheduled posts ({number}.{n})\n        owner: {misspelt(known, choices, rng)}\n        at: 10m\n"
            for n in range(min(200, refs - 200 * number))
        )
        copy = scenario.replace(FIRST_ACTION, actions)
        if number:
            copy = copy.replace("id: outage\n", f"id: outage-{number}\n").replace("id: outage-ack\n", f"id: outage-ack-{number}\n")
        text += copy
    return text


def cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(plan: str, peer: str = "") -> tuple[float, int, int]:
    """CPU seconds, exit code and "did you mean" hints of one `crisisplan check`: as
    it is, or with PEER ("difflib" or "--no-hints") in place of its suggestions."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "plan.yaml"
        path.write_text(plan, encoding="utf-8")
        if peer:
            command = [sys.executable, "-c", PEER, *([peer] if peer == "--no-hints" else []), "check", str(path)]
        else:
            command = [sys.executable, "-m", "crisisplan", "check", str(path)]
        started = cpu()
        try:
            result = subprocess.run(  # noqa: S603 (our own CLI)
                command,
                capture_output=True,
                text=True,
                check=False,
                timeout=PEER_LIMIT,
                env={**os.environ, "CRISISPLAN_TODAY": "2026-11-22"},
            )
        except subprocess.TimeoutExpired:
            return PEER_LIMIT, -1, 0
        return cpu() - started, result.returncode, result.stdout.count("did you mean")


CASES = [
    # shape, roles, contacts, misspelt owners
    ("words", 198, 0, 200),
    ("repeated", 198, 0, 200),
    ("shuffled", 198, 0, 200),
    ("words", 198, 200, 1400),
    ("repeated", 198, 200, 1400),
    ("shuffled", 198, 200, 1400),
]


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    print(f'"did you mean" on hostile plans: crisisplan vs plain difflib ({os.cpu_count()} cores, Python {sys.version.split()[0]})')
    print(f"CPU seconds of one `crisisplan check` (no hints: the check without suggestions; the peer stops at {PEER_LIMIT:.0f}s wall)")
    print(f"{'ids':<10}{'roles+contacts':>15}{'refs':>6}{'size':>9}  {'crisisplan':>10} {'hints':>5}  {'difflib':>9} {'hints':>5}  {'no hints':>8}  {'speed-up':>8}")
    for shape, roles, contacts, refs in CASES:
        if quick and refs > 200:
            continue
        plan = hostile_plan(shape, roles, contacts, refs)
        seconds, _, hints = run(plan)
        peer_seconds, peer_code, peer_hints = run(plan, "difflib")
        bare, _, _ = run(plan, "--no-hints")
        peer = f">{PEER_LIMIT:.0f}s" if peer_code == -1 else f"{peer_seconds:.1f}s"
        print(
            f"{shape:<10}{roles + 2 + contacts:>15}{refs:>6}{len(plan.encode()) / 1024:>7.0f}KB  {seconds:>9.1f}s {hints:>5}"
            f"  {peer:>9} {peer_hints:>5}  {bare:>7.1f}s  {peer_seconds / seconds:>7.1f}x"
        )


if __name__ == "__main__":
    main()
