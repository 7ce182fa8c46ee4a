"""Editor support, proved with a real editor engine in a company repository.

yaml-language-server (the engine behind VS Code's YAML extension, and behind the YAML
support of Neovim, Helix, Zed and others) runs from npm, and this module speaks the
Language Server Protocol to it as VS Code does: JSON-RPC over stdio, settings from the
repository's .vscode/settings.json. The repository is what `crisisplan init` writes,
so what is tested is what a communications team gets on day one.

A preloaded script reports every network connection and name lookup the server
makes: the schemas must resolve from the files beside them, with no network at all.

Without node and npm (or with no registry to reach) the tests skip, except in CI
(CI=true), where they must run.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from crisisplan.plan.schema import plan_schema
from tests.conftest import invoke

# Pinned so the expected behaviour cannot drift. 1.25.0 is the newest release that
# runs on Node 20 (2.x needs Node 22.13).
YLS_VERSION = "1.25.0"
TIMEOUT = 30.0
NETWORK = "crisisplan-test: network:"
# Loaded into the server before it starts: a connection or a DNS lookup is written to
# stderr (and then goes ahead, so the server behaves as it would for a user).
NO_NETWORK_JS = f"""
const net = require("net");
const dns = require("dns");
const report = (what) => process.stderr.write("{NETWORK} " + what + "\\n");
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {{
  report("connect " + JSON.stringify(args[0]));
  return connect.apply(this, args);
}};
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {{
  report("lookup " + host);
  return lookup.call(this, host, ...rest);
}};
"""
SOURCE = ("--source", "https://git.example.com/comms/crisisplan.git", "--rev", "v0.1.0")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"yaml-language-server is required for the editor tests in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server_command(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that starts yaml-language-server on stdio, installed from npm."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("node and npm are not installed (apt-get install nodejs npm)")
    assert node is not None and npm is not None
    folder = tmp_path_factory.mktemp("yaml-language-server")
    try:
        subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(folder),
                f"yaml-language-server@{YLS_VERSION}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"npm could not install yaml-language-server@{YLS_VERSION}: {exc}")
    guard = folder / "no-network.cjs"
    guard.write_text(NO_NETWORK_JS, encoding="utf-8")
    server = folder / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
    return [node, "--require", str(guard), str(server), "--stdio"]


class LanguageServer:
    """A client for one language server process: JSON-RPC 2.0 framed by Content-Length.

    Requests the server sends (workspace/configuration, client/registerCapability) are
    answered while waiting for anything else, as an editor answers them.
    """

    def __init__(self, command: list[str], workspace: Path, settings: dict[str, Any]) -> None:
        self.workspace = workspace
        self.settings = settings
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr: list[str] = []
        self._last_id = 0
        assert self.process.stdout is not None and self.process.stderr is not None
        self.readers = [
            threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True),
            threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    # --- the wire ---------------------------------------------------------------

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                self.inbox.put(None)  # the server has gone
                return
            self.inbox.put(json.loads(stream.read(length)))

    def _drain(self, stream: IO[bytes]) -> None:
        # Read all the time: a full stderr pipe would stop the server.
        for line in stream:
            self.stderr.append(line.decode("utf-8", "replace").rstrip("\n"))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self._last_id += 1
        number = self._last_id
        self._send({"id": number, "method": method, "params": params})
        reply = self._wait_for(lambda m: m.get("id") == number and "method" not in m, method)
        assert "error" not in reply, reply["error"]
        return reply.get("result")

    def _wait_for(self, wanted: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                message = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no answer from yaml-language-server to {what}; stderr: {self.stderr}")
            if message is None:
                pytest.fail(
                    f"yaml-language-server exited while waiting for {what}; stderr: {self.stderr}"
                )
            if "method" in message and "id" in message:
                self._answer(message)
            if wanted(message):
                return message

    def _answer(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            result = [
                self.settings.get(item.get("section", "")) for item in message["params"]["items"]
            ]
        self._send({"id": message["id"], "result": result})

    # --- what an editor does ----------------------------------------------------

    def start(self) -> None:
        root = self.workspace.as_uri()
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root,
                "workspaceFolders": [{"uri": root, "name": self.workspace.name}],
                "capabilities": {
                    "workspace": {
                        "configuration": True,
                        "didChangeConfiguration": {"dynamicRegistration": True},
                    },
                    "textDocument": {
                        "completion": {
                            "completionItem": {
                                "snippetSupport": True,
                                "documentationFormat": ["markdown"],
                            }
                        },
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {},
                    },
                },
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})
        # The server pulls the settings (workspace/configuration) after that
        # notification; a code lens request waits until they are in effect, so every
        # file opened from here on is validated against the repository's schemas.
        self.request(
            "textDocument/codeLens",
            {"textDocument": {"uri": (self.workspace / "none.yaml").as_uri()}},
        )

    def stop(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown", None)
                self.notify("exit", None)
                self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for reader in self.readers:
                reader.join(timeout=10)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()

    def open(self, path: Path, text: str) -> list[dict[str, Any]]:
        """Open a file with this text: the diagnostics the server publishes for it."""
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        message = self._wait_for(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            ),
            f"diagnostics for {path.name}",
        )
        diagnostics: list[dict[str, Any]] = message["params"]["diagnostics"]
        return diagnostics

    def completion(self, path: Path, line: int, character: int) -> list[str]:
        result = self.request(
            "textDocument/completion",
            {
                "textDocument": {"uri": path.as_uri()},
                "position": {"line": line, "character": character},
            },
        )
        items = result["items"] if isinstance(result, dict) else result
        return [item["label"] for item in items]

    def hover(self, path: Path, line: int, character: int) -> str:
        result = self.request(
            "textDocument/hover",
            {
                "textDocument": {"uri": path.as_uri()},
                "position": {"line": line, "character": character},
            },
        )
        assert result is not None, f"no hover at {path.name}:{line + 1}:{character + 1}"
        value: str = result["contents"]["value"]
        return value

    def network_used(self) -> list[str]:
        return [line for line in self.stderr if line.startswith(NETWORK)]


def vscode_settings(repository: Path) -> dict[str, Any]:
    """The settings sections VS Code sends, from the repository's .vscode/settings.json
    over VS Code's defaults for validation, completion and hover."""
    written: dict[str, Any] = json.loads(
        (repository / ".vscode" / "settings.json").read_text("utf-8")
    )
    yaml_section: dict[str, Any] = {"validate": True, "completion": True, "hover": True}
    for key, value in written.items():
        if key.startswith("yaml."):
            yaml_section[key.removeprefix("yaml.")] = value
    # The server's own catalogues (schemastore.org, Kubernetes CRDs) are fetched from
    # the network and have nothing to do with crisisplan's schemas: off, so that the
    # network check below is about crisisplan's schemas only.
    yaml_section["schemaStore"] = {"enable": False}
    yaml_section["kubernetesCRDStore"] = {"enable": False}
    return {
        "yaml": yaml_section,
        "http": {"proxy": "", "proxyStrictSSL": True},
        "[yaml]": {},
        "editor": {"tabSize": 2},
    }


def _company(tmp_path_factory: pytest.TempPathFactory, layout: str) -> Path:
    folder = tmp_path_factory.mktemp(f"company-{layout}")
    code, _, err = invoke(
        "init", "--organisation", "Acme Coffee", "--layout", layout, *SOURCE, cwd=folder
    )
    assert (code, err) == (0, "")
    return folder


@pytest.fixture(scope="module")
def folder_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _company(tmp_path_factory, "folder")


@pytest.fixture(scope="module")
def file_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _company(tmp_path_factory, "file")


@pytest.fixture
def editor(server_command: list[str]) -> Iterator[Callable[[Path], LanguageServer]]:
    """Start the language server on a repository, as VS Code does on opening its folder;
    at the end, no server may have touched the network."""
    started: list[LanguageServer] = []

    def start(repository: Path) -> LanguageServer:
        server = LanguageServer(server_command, repository, vscode_settings(repository))
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()
    for server in started:
        assert server.network_used() == [], "the language server used the network"


def messages(diagnostics: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(1-based line, message) of each diagnostic, as an editor's problem list shows them."""
    return sorted((d["range"]["start"]["line"] + 1, d["message"]) for d in diagnostics)


def line_of(text: str, pattern: str) -> int:
    """The 0-based line of the first line matching ``pattern``."""
    for number, line in enumerate(text.split("\n")):
        if re.match(pattern, line):
            return number
    raise AssertionError(f"no line matches {pattern!r}")


def scenario_property(name: str) -> dict[str, Any]:
    found: dict[str, Any] = plan_schema()["definitions"]["scenario"]["properties"][name]
    return found


def described(field: dict[str, Any]) -> str:
    """What hover shows of a field: its markdown description when it has one."""
    text: str = field.get("markdownDescription", field["description"])
    return text


def top_level_keys(text: str) -> set[str]:
    return {found.group(1) for found in re.finditer(r"^([a-z_]+):", text, re.MULTILINE)}


SCENARIO = "plans/acme-coffee/scenarios/hacked-account.yaml"
PLANS = {"file": "plans/acme-coffee.yaml", "folder": "plans/acme-coffee/plan.yaml"}


# --- the repository as init writes it ----------------------------------------------


@pytest.mark.parametrize(
    ("layout", "path"),
    [
        ("file", PLANS["file"]),
        ("folder", PLANS["folder"]),
        ("folder", SCENARIO),
        ("folder", "plans/acme-coffee/scenarios/viral-complaint.yaml"),
    ],
)
def test_every_file_init_writes_opens_without_a_problem(
    editor: Callable[[Path], LanguageServer],
    folder_plan: Path,
    file_plan: Path,
    layout: str,
    path: str,
) -> None:
    repository = folder_plan if layout == "folder" else file_plan
    server = editor(repository)
    assert messages(server.open(repository / path, (repository / path).read_text("utf-8"))) == []


# --- scenario files ------------------------------------------------------------------


def test_scenario_mistakes_are_reported_in_readable_words(
    editor: Callable[[Path], LanguageServer], folder_plan: Path
) -> None:
    path = folder_plan / SCENARIO
    text = path.read_text("utf-8")
    assert "severity: level-3\n" in text and "\ntitle: A social media account is hacked\n" in text
    text = text.replace("\ntitle: A social media account is hacked\n", "\n")
    text = text.replace("severity: level-3\n", "severity: Level 3\ncolour: red\n")
    server = editor(folder_plan)
    found = server.open(path, text)
    # Lines counted in the text, so a line added above the mapping (a `---`) is no matter.
    assert messages(found) == [
        (line_of(text, "id:") + 1, 'Missing property "title".'),
        (line_of(text, "severity:") + 1, "Use lowercase letters, digits and hyphens, like hacked-account."),
        (line_of(text, "colour:") + 1, "Property colour is not allowed."),
    ]
    # The readable message is the schema's own, not the pattern it stands for.
    pattern = plan_schema()["definitions"]["id"]["pattern"]
    assert not any(
        pattern in d["message"] or "does not match the pattern" in d["message"] for d in found
    )
    assert {d["data"]["schemaUri"][0] for d in found} == {
        (folder_plan / "schema/scenario.schema.json").as_uri()
    }


def test_every_scenario_field_is_offered_in_a_new_scenario_file(
    editor: Callable[[Path], LanguageServer], folder_plan: Path
) -> None:
    """A new file in scenarios/, no modeline: .vscode/settings.json maps the schema."""
    path = folder_plan / "plans/acme-coffee/scenarios/supplier-fire.yaml"
    server = editor(folder_plan)
    assert messages(server.open(path, "\n")) == [
        (1, 'Missing property "id".'),
        (1, 'Missing property "severity".'),
        (1, 'Missing property "title".'),
    ]
    offered = set(server.completion(path, 0, 0))
    assert {
        "id",
        "title",
        "severity",
        "triggers",
        "worst_case",
        "first_actions",
        "escalation",
        "statements",
    } <= offered
    assert set(plan_schema()["definitions"]["scenario"]["properties"]) <= offered


def test_a_new_line_in_a_scenario_offers_the_fields_it_lacks(
    editor: Callable[[Path], LanguageServer], folder_plan: Path
) -> None:
    path = folder_plan / SCENARIO
    lines = path.read_text("utf-8").split("\n")
    at = line_of("\n".join(lines), r"severity:") + 1
    lines.insert(at, "")
    text = "\n".join(lines)
    server = editor(folder_plan)
    server.open(path, text)
    offered = set(server.completion(path, at, 0))
    lacking = set(plan_schema()["definitions"]["scenario"]["properties"]) - top_level_keys(text)
    assert {"category", "likelihood", "drill_every", "stand_down"} <= lacking
    assert lacking <= offered
    # A key the file already has is not offered twice.
    assert not {"id", "title", "severity", "triggers"} & offered


@pytest.mark.parametrize("field", ["severity", "worst_case", "triggers"])
def test_hovering_a_scenario_field_shows_its_description(
    editor: Callable[[Path], LanguageServer], folder_plan: Path, field: str
) -> None:
    path = folder_plan / SCENARIO
    text = path.read_text("utf-8")
    server = editor(folder_plan)
    server.open(path, text)
    shown = server.hover(path, line_of(text, rf"{field}:"), 2)
    schema = scenario_property(field)
    assert shown.startswith(f"#### {schema['title']}\n\n{described(schema)}")
    assert shown.endswith(
        f"Source: [scenario.schema.json]({(folder_plan / 'schema/scenario.schema.json').as_uri()})"
    )


# --- the plan file -----------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["file", "folder"])
def test_plan_mistakes_are_reported_in_readable_words(
    editor: Callable[[Path], LanguageServer], folder_plan: Path, file_plan: Path, layout: str
) -> None:
    repository = folder_plan if layout == "folder" else file_plan
    path = repository / PLANS[layout]
    text = path.read_text("utf-8")
    head = "plan:\n  organisation: Acme Coffee\n  title: Crisis communication plan\n  owner: crisis-lead\n"
    assert head in text and "  languages: [en]\n" in text
    text = text.replace(
        head,
        "plan:\n  organisation: Acme Coffee\n  colour: blue\n  title: Crisis communication plan\n",
    )
    text = text.replace("  languages: [en]\n", "  languages: [EN]\n", 1)
    plan_line = line_of(text, "plan:") + 1
    server = editor(repository)
    found = messages(server.open(path, text))
    # A missing field is marked on the key of the mapping that lacks it.
    assert found == [
        (plan_line, 'Missing property "owner".'),
        (plan_line + 2, "Property colour is not allowed."),
        (plan_line + 5, "Write a language code, like en, id, ms or da."),
    ]


@pytest.mark.parametrize("layout", ["file", "folder"])
def test_a_new_line_in_the_plan_offers_the_sections_it_lacks(
    editor: Callable[[Path], LanguageServer], folder_plan: Path, file_plan: Path, layout: str
) -> None:
    repository = folder_plan if layout == "folder" else file_plan
    path = repository / PLANS[layout]
    lines = path.read_text("utf-8").split("\n")
    at = line_of("\n".join(lines), "channels:")
    lines.insert(at, "")
    text = "\n".join(lines)
    server = editor(repository)
    server.open(path, text)
    offered = set(server.completion(path, at, 0))
    lacking = set(plan_schema()["properties"]) - top_level_keys(text)
    assert {"contacts", "rotas", "allies", "statements", "reviews"} <= lacking
    assert lacking <= offered
    assert not {"plan", "roles", "severity_levels"} & offered


def test_every_plan_section_is_offered_in_a_new_plan_file(
    editor: Callable[[Path], LanguageServer], file_plan: Path
) -> None:
    """A second plan in plans/, no modeline: .vscode/settings.json maps the schema."""
    path = file_plan / "plans/acme-tea.yaml"
    server = editor(file_plan)
    assert messages(server.open(path, "\n")) == [
        (1, 'Missing property "plan".'),
        (1, 'Missing property "roles".'),
        (1, 'Missing property "severity_levels".'),
    ]
    offered = set(server.completion(path, 0, 0))
    assert {"plan", "roles", "severity_levels", "scenarios", "channels", "contacts"} <= offered
    assert set(plan_schema()["properties"]) <= offered


@pytest.mark.parametrize("layout", ["file", "folder"])
def test_hovering_a_plan_field_shows_its_description(
    editor: Callable[[Path], LanguageServer], folder_plan: Path, file_plan: Path, layout: str
) -> None:
    repository = folder_plan if layout == "folder" else file_plan
    path = repository / PLANS[layout]
    text = path.read_text("utf-8")
    server = editor(repository)
    server.open(path, text)
    source = f"Source: [plan.schema.json]({(repository / 'schema/plan.schema.json').as_uri()})"
    severity_levels = plan_schema()["properties"]["severity_levels"]
    shown = server.hover(path, line_of(text, "severity_levels:"), 2)
    assert shown.startswith(f"#### {severity_levels['title']}\n\n{described(severity_levels)}")
    assert shown.endswith(source)
    organisation = plan_schema()["definitions"]["planInfo"]["properties"]["organisation"]
    shown = server.hover(path, line_of(text, "  organisation:"), 4)
    assert shown.startswith(f"#### {organisation['title']}\n\n{described(organisation)}")
    assert shown.endswith(source)


# --- no network ----------------------------------------------------------------------


def test_the_schemas_resolve_from_the_files_beside_them_without_the_network(
    editor: Callable[[Path], LanguageServer], folder_plan: Path
) -> None:
    """scenario.schema.json is one relative `$ref` into plan.schema.json, with no `$id`
    to take as its base: the reference resolves to the plan schema beside it, never to
    a URL (test_schema.py proves the same with check-jsonschema)."""
    path = folder_plan / SCENARIO
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/scenario.schema.json\n")
    server = editor(folder_plan)
    assert server.open(path, text) == []
    # worst_case is described in plan.schema.json: the reference was followed.
    worst_case = scenario_property("worst_case")
    assert described(worst_case) in server.hover(path, line_of(text, "worst_case:"), 2)
    server.stop()
    assert server.network_used() == []
