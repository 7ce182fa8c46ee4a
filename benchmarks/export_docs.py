"""Run `crisisplan build` and keep what it hands to MkDocs, to build it with plain MkDocs.

`crisisplan build` writes the generated Markdown into a scratch docs folder under
.crisisplan-build/ and removes it afterwards. To compare the site part with a plain
`mkdocs build` of the same Markdown, this runs the real CLI in this process with
MkDocs' own two entry points wrapped (``mkdocs.config.load_config`` and
``mkdocs.commands.build.build``): just before MkDocs builds an edition, its docs
folder is copied out and the configuration it was given (the user's mkdocs.yml
plus crisisplan's overrides) is written beside it as a mkdocs.yml. Nothing in
crisisplan is changed; the build itself runs as usual.

    .venv/bin/python benchmarks/export_docs.py EXPORT -- build --no-pdf plans

EXPORT/edition-1/{mkdocs.yml,docs/} is the root edition, edition-2/... the next
(one per language edition), and EXPORT/editions.json lists each with the folder,
relative to the site, that crisisplan builds it into. Build one with
`mkdocs build -f EXPORT/edition-1/mkdocs.yml -d SITE`.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Writes str subclasses (crisisplan's nav titles are markupsafe.Markup) as text."""


_Dumper.add_multi_representer(str, lambda dumper, value: dumper.represent_str(str(value)))


def _install(export: Path) -> list[dict[str, str]]:
    import mkdocs.commands.build
    import mkdocs.config
    from mkdocs.utils.yaml import yaml_load

    editions: list[dict[str, str]] = []
    given: list[dict[str, Any]] = []
    original_load: Callable[..., Any] = mkdocs.config.load_config
    original_build: Callable[..., Any] = mkdocs.commands.build.build

    def load_config(config_file: str | None = None, **overrides: Any) -> Any:
        # Copied first: MkDocs' plugin option takes its entries apart as it reads them.
        given.append({"config_file": config_file, "overrides": copy.deepcopy(overrides)})
        return original_load(config_file=config_file, **overrides)

    def build(config: Any, **kwargs: Any) -> Any:
        call = given[-1]
        user: dict[str, Any] = {}
        if call["config_file"]:
            with open(call["config_file"], "rb") as handle:
                user = yaml_load(handle) or {}
        folder = export / f"edition-{len(editions) + 1}"
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(config["docs_dir"], folder / "docs")
        settings = {**user, **call["overrides"], "docs_dir": "docs"}
        site_dir = Path(str(settings.pop("site_dir")))
        root = Path(editions[0]["built_into"]) if editions else site_dir
        (folder / "mkdocs.yml").write_text(
            yaml.dump(settings, Dumper=_Dumper, sort_keys=False, allow_unicode=True), "utf-8"
        )
        editions.append(
            {
                "config": str(folder / "mkdocs.yml"),
                "built_into": str(site_dir),
                "site_subfolder": site_dir.relative_to(root).as_posix(),
            }
        )
        return original_build(config, **kwargs)

    # crisisplan imports both inside the function that builds, at each call.
    mkdocs.config.load_config = load_config  # type: ignore[assignment]
    mkdocs.commands.build.build = build
    return editions


def main(argv: Sequence[str]) -> int:
    if len(argv) < 2 or "--" not in argv:
        print("usage: export_docs.py EXPORT -- build [options] [paths]", file=sys.stderr)
        return 2
    export = Path(argv[0]).resolve()
    export.mkdir(parents=True, exist_ok=True)
    editions = _install(export)
    from crisisplan.cli import main as crisisplan

    sys.argv = ["crisisplan", *argv[argv.index("--") + 1 :]]
    code = 0
    try:
        crisisplan()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    (export / "editions.json").write_text(json.dumps(editions, indent=2), "utf-8")
    if code == 0 and not editions:
        print("export_docs: the build never called MkDocs' build()", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
