"""Who gets into a room: the room key, join codes (wrong, expired, replaced), the
rate limit on wrong tries, and only the configured hosts and origins."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisplan.room.auth import WRONG_PER_ADDRESS, WRONG_PER_INCIDENT, RateLimiter
from tests.room.roomkit import KEY, ORIGIN, Phone, RoomServer, call

WRONG = {"error": "wrong_code", "message": "That code is not right. Check it with the crisis lead and type it again."}


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    db = tmp_path_factory.mktemp("room") / "room.sqlite3"
    with RoomServer(str(db)) as server:
        yield server.port, db


def join(port: int, incident: str, code: str, source: str = "127.0.0.1") -> tuple[int, dict[str, object]]:
    status, answer, _ = call(port, "POST", f"/api/incidents/{incident}/join", {"code": code, "by": "legal"}, source=source)
    return status, answer


def test_a_wrong_code_gets_401_and_a_sentence_and_a_code_is_typed_as_people_type(room: tuple[int, Path]) -> None:
    port, _ = room
    lead, code = Phone.lead(port)
    assert join(port, lead.incident, "ABCDE-FGHJK", source="127.0.0.2") == (401, WRONG)
    # An incident that does not exist gets the same answer: it gives nothing away.
    assert join(port, "nosuchid", code, source="127.0.0.2") == (401, WRONG)
    status, answer = join(port, lead.incident, code.lower().replace("-", " "), source="127.0.0.2")
    assert status == 200 and answer["token"]


def test_a_replaced_code_stops_working_and_the_new_one_works(room: tuple[int, Path]) -> None:
    port, _ = room
    lead, old = Phone.lead(port)
    status, answer, _ = call(port, "POST", f"/api/incidents/{lead.incident}/code", token=lead.token)
    assert status == 200 and answer["code"] != old
    assert join(port, lead.incident, old, source="127.0.0.3") == (401, WRONG)
    assert join(port, lead.incident, str(answer["code"]), source="127.0.0.3")[0] == 200


def test_an_expired_code_is_refused_with_a_sentence(room: tuple[int, Path]) -> None:
    port, db = room
    lead, code = Phone.lead(port)
    # Its maximum age has passed (--code-hours): in the room's own database.
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE incidents SET code_expires = ? WHERE id = ?", (past, lead.incident))
    connection.close()
    assert join(port, lead.incident, code, source="127.0.0.4") == (
        401,
        {"error": "code_expired", "message": "This code has expired. Ask the crisis lead for the new code."},
    )


def test_wrong_codes_are_limited_per_address_and_per_incident(room: tuple[int, Path]) -> None:
    port, _ = room
    lead, code = Phone.lead(port)
    for _ in range(WRONG_PER_ADDRESS):
        assert join(port, lead.incident, "ABCDEFGHJK", source="127.0.0.5")[0] == 401
    status, answer, headers = call(
        port, "POST", f"/api/incidents/{lead.incident}/join", {"code": code, "by": "legal"}, source="127.0.0.5"
    )
    # Even the right code waits: the address has used up its tries.
    assert (status, answer) == (
        429,
        {"error": "too_many_tries", "message": "Too many wrong tries. Wait 10 minutes, then type the code again.", "retry_after": 600},
    )
    assert headers["retry-after"] == "600"
    # Another phone, on another network, still gets in.
    assert join(port, lead.incident, code, source="127.0.0.6")[0] == 200
    # Guesses spread over many addresses: the incident's own limit.
    for number in range(WRONG_PER_INCIDENT - WRONG_PER_ADDRESS):
        assert join(port, lead.incident, "ABCDEFGHJK", source=f"127.0.1.{number + 1}")[0] == 401
    assert join(port, lead.incident, code, source="127.0.2.1")[0] == 429
    # A new code starts the incident's count again.
    status, answer, _ = call(port, "POST", f"/api/incidents/{lead.incident}/code", token=lead.token)
    assert join(port, lead.incident, str(answer["code"]), source="127.0.2.1")[0] == 200


def test_a_wrong_room_key_opens_nothing(room: tuple[int, Path]) -> None:
    port, _ = room
    status, answer, _ = call(
        port, "POST", "/api/incidents", {"scenario": "hacked-account", "by": "x"}, token=KEY + "x", source="127.0.0.7"
    )
    assert (status, answer["error"]) == (401, "wrong_key")
    status, answer, _ = call(port, "GET", "/api/incidents/nosuchid/events", token="not-a-token")  # noqa: S106 - a made-up token, refused
    assert (status, answer["error"]) == (401, "not_joined")


def test_only_the_rooms_own_host_names_and_the_teams_origin_are_answered(room: tuple[int, Path]) -> None:
    port, _ = room
    lead, _ = Phone.lead(port)
    for host in ("attacker.example", "localhost.attacker.example", "127.0.0.1:99999"):
        status, answer, _ = call(port, "GET", "/api/", headers={"Host": host})
        assert (status, answer["error"]) == (421, "wrong_host")
    assert call(port, "GET", "/api/", headers={"Host": f"localhost:{port}"})[0] == 200
    for method, path in (("GET", "/"), ("GET", "/api/incidents"), ("DELETE", f"/api/incidents/{lead.incident}")):
        status, answer, _ = call(port, method, path)
        assert status in (404, 405) and answer["error"] == "not_found"
    status, answer, _ = call(
        port,
        "POST",
        f"/api/incidents/{lead.incident}/events",
        {"events": []},
        lead.token,
        headers={"Origin": "https://attacker.example"},
    )
    assert (status, answer) == (
        403,
        {"error": "wrong_origin", "message": "This room does not take requests from that page. Use the team's own runbook."},
    )
    status, _, headers = call(
        port,
        "OPTIONS",
        f"/api/incidents/{lead.incident}/events",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"},
    )
    assert status == 200 and headers["access-control-allow-origin"] == ORIGIN
    status, _, headers = call(port, "GET", f"/api/incidents/{lead.incident}", token=lead.token, headers={"Origin": ORIGIN})
    assert status == 200 and headers["access-control-allow-origin"] == ORIGIN


def test_room_key_prints_a_key_once_and_stores_only_its_hash(room: tuple[int, Path]) -> None:
    from click.testing import CliRunner

    from crisisplan.cli.room import room as room_command

    port, db = room
    result = CliRunner().invoke(room_command, ["key", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0
    key = result.stdout.strip()
    assert key.startswith("crk_") and len(key) > 40
    assert "it is not shown again" in result.stderr
    assert key.encode() not in b"".join(p.read_bytes() for p in db.parent.iterdir())
    # The running room takes it at once (besides the key it was started with).
    status, _, _ = call(port, "POST", "/api/incidents", {"scenario": "hacked-account", "by": "lead"}, token=key)
    assert status == 201


def test_the_room_has_no_way_to_make_an_outgoing_request() -> None:
    """It sends no data to anyone else: no client library is even imported."""
    import ast

    import crisisplan.room

    imported: set[str] = set()
    for path in Path(crisisplan.room.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    clients = {"urllib.request", "http.client", "httpx", "requests", "aiohttp", "smtplib", "ftplib", "urllib3"}
    assert not imported & clients
    assert "uvicorn" in imported and "starlette.applications" in imported  # the walk found the imports


def test_a_limiter_forgets_what_is_past_and_keeps_what_is_not() -> None:
    limiter = RateLimiter(limit=2, window=60.0)
    for address in range(10_000):
        limiter.failed(f"10.0.{address // 256}.{address % 256}", now=0.0)
    limiter.failed("192.0.2.1", now=100.0)
    limiter.failed("192.0.2.1", now=101.0)
    # The 10,000 old addresses are dropped; the recent one still waits out its window.
    assert len(limiter._failures) == 1
    assert limiter.retry_after("192.0.2.1", now=102.0) == 58.0
    assert limiter.retry_after("192.0.2.1", now=160.5) == 0.0
