"""The room's HTTP API, as an ASGI app (Starlette); the API itself is described in
crisisplan.room's docstring and docs/room.md.

Every answer is JSON; every refusal has ``error`` (a stable word for the page's code)
and ``message`` (a plain sentence a phone can show as it is). Nothing here makes an
outgoing request.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import math
import re
import secrets
import time
import uuid
import zoneinfo
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from crisisplan.incident.review import LOG_FORMAT, LOG_VERSION, MAX_ID
from crisisplan.room import auth
from crisisplan.room.events import EventError, RoomEvent, parse_by, parse_events
from crisisplan.room.store import Incident, Session, Store, StoredEvent

logger = logging.getLogger("crisisplan.room")

# A request body larger than this is not a phone's batch of events (MAX_BATCH
# statements of MAX_TEXT characters fit).
MAX_BODY = 4 * 1024 * 1024
# What GET .../events returns at most at once; "more" says when to ask again.
MAX_PAGE = 1000
# A stream that has nothing to send looks again this often, so that events written
# by another server process on the same PostgreSQL database reach it within 2 s.
STREAM_POLL_SECONDS = 1.0
# A comment line this often keeps proxies from closing a quiet stream.
STREAM_HEARTBEAT_SECONDS = 15.0
# A stream ticket (EventSource cannot send an Authorization header) is good this long.
TICKET_SECONDS = 60.0
_SAFE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLAN_PATH = re.compile(r"[a-z0-9_]+(?:[-.][a-z0-9_]+)*(?:/[a-z0-9_]+(?:[-.][a-z0-9_]+)*)*")
_HOST = re.compile(r"(?P<name>\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::(?P<port>[0-9]{1,5}))?")
_DUMMY_HASH = auth.hash_code("no incident has this code")


@dataclass(frozen=True)
class RoomSettings:
    """What the room accepts: browser origins, Host names, how long a code lives, and
    keys given at start (hashed) besides those stored with `crisisplan room key`."""

    origins: tuple[str, ...] = ()
    hosts: frozenset[str] = frozenset({"localhost", "127.0.0.1", "[::1]"})
    code_max_age: dt.timedelta = dt.timedelta(hours=12)
    key_hashes: tuple[str, ...] = ()


class Refusal(Exception):
    """A request the room answers with a status, a word and a sentence."""

    def __init__(self, status: int, error: str, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.retry_after = status, error, message, retry_after


def refusal_response(status: int, error: str, message: str, retry_after: int = 0) -> JSONResponse:
    body: dict[str, Any] = {"error": error, "message": message}
    headers = {}
    if retry_after:
        body["retry_after"] = retry_after
        headers["Retry-After"] = str(retry_after)
    return JSONResponse(body, status_code=status, headers=headers)


NOT_JOINED = Refusal(
    401, "not_joined", "This phone is not in the incident room. Join again with the code the crisis lead shows."
)
WRONG_CODE = Refusal(401, "wrong_code", "That code is not right. Check it with the crisis lead and type it again.")
WRONG_KEY = Refusal(401, "wrong_key", "That room key is not right. Use the key made with 'crisisplan room key'.")
CODE_EXPIRED = Refusal(401, "code_expired", "This code has expired. Ask the crisis lead for the new code.")
INCIDENT_ENDED = Refusal(
    409, "incident_ended", "This incident has ended: the room takes no more events. Its log is kept for the review."
)
LEAD_ONLY = Refusal(403, "lead_only", "Only the phone that opened the incident can do this.")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _in_minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


@dataclass
class Room:
    """The state one server process shares between requests."""

    store: Store
    settings: RoomSettings
    by_address: auth.RateLimiter = field(default_factory=lambda: auth.RateLimiter(auth.WRONG_PER_ADDRESS))
    by_incident: auth.RateLimiter = field(default_factory=lambda: auth.RateLimiter(auth.WRONG_PER_INCIDENT))
    # Streams waiting for an incident's next event (woken by this process's writes).
    waiters: dict[str, set[asyncio.Event]] = field(default_factory=dict)
    tickets: dict[str, tuple[str, float]] = field(default_factory=dict)

    def notify(self, incident_id: str) -> None:
        for waiter in self.waiters.get(incident_id, ()):
            waiter.set()

    def check_rate(self, address: str, incident_id: str = "", what: str = "the code") -> None:
        wait = max(
            self.by_address.retry_after(address),
            self.by_incident.retry_after(incident_id) if incident_id else 0.0,
        )
        if wait > 0:
            raise Refusal(
                429,
                "too_many_tries",
                f"Too many wrong tries. Wait {_in_minutes(wait)}, then type {what} again.",
                retry_after=math.ceil(wait),
            )

    def wrong(self, address: str, incident_id: str, refusal: Refusal) -> Refusal:
        self.by_address.failed(address)
        if incident_id:
            self.by_incident.failed(incident_id)
        return refusal

    def new_ticket(self, incident_id: str) -> str:
        now = time.monotonic()
        # Old tickets go as new ones are made: the table stays as small as the room's use.
        self.tickets = {t: v for t, v in self.tickets.items() if v[1] > now}
        ticket = secrets.token_urlsafe(24)
        self.tickets[ticket] = (incident_id, now + TICKET_SECONDS)
        return ticket


def _room(request: Request) -> Room:
    room: Room = request.app.state.room
    return room


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """A refusal becomes its answer; anything unexpected a plain 503, logged in one line."""

    @wraps(handler)
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Refusal as refusal:
            return refusal_response(refusal.status, refusal.error, refusal.message, refusal.retry_after)
        except EventError as exc:
            return refusal_response(422, "bad_event", f"{exc.message[:1].upper()}{exc.message[1:]}.")
        except Exception as exc:
            logger.error("room: %s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
            return refusal_response(
                503, "room_trouble", "The room could not do this just now. Try again; the phone keeps what it has."
            )

    return run


async def _body(request: Request) -> Any:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise Refusal(413, "too_large", "The request is too large: send fewer events at once.")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise Refusal(413, "too_large", "The request is too large: send fewer events at once.")
    try:
        return json.loads(data.decode("utf-8")) if data else {}
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refusal(400, "bad_request", "The request is not JSON the room can read.") from None


def _bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


async def _joined(request: Request, lead: bool = False) -> tuple[Incident, Session]:
    """The incident of the path and the session of the phone asking (its token)."""
    token = _bearer(request)
    session = await run_in_threadpool(_room(request).store.session, auth.hash_token(token)) if token else None
    incident_id = request.path_params["incident"]
    if session is None or session.incident != incident_id:
        raise NOT_JOINED
    if lead and not session.lead:
        raise LEAD_ONLY
    incident = await run_in_threadpool(_room(request).store.incident, incident_id)
    if incident is None:
        raise NOT_JOINED
    return incident, session


def incident_json(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "plan": incident.plan,
        "scenario": incident.scenario,
        "zone": incident.zone,
        "started": incident.started.isoformat(),
        "ended": incident.ended.isoformat() if incident.ended else None,
        "last_seq": incident.last_seq,
        "now": _now().isoformat(),
    }


def _plan_ids(body: Any) -> tuple[str, str, str]:
    if not isinstance(body, dict):
        raise Refusal(400, "bad_request", 'Open an incident with {"scenario": ..., "plan": ..., "by": ...}.')
    plan, scenario, zone = body.get("plan", ""), body.get("scenario"), body.get("zone", "UTC")
    if not isinstance(scenario, str) or len(scenario) > MAX_ID or not _SAFE_ID.fullmatch(scenario):
        raise Refusal(422, "bad_request", "'scenario' must be the scenario's id, like hacked-account.")
    # The plan as the page's log names it: its path on the site, like brightbrew or en/brightbrew.
    if not isinstance(plan, str) or len(plan) > MAX_ID or not (plan == "" or _PLAN_PATH.fullmatch(plan)):
        raise Refusal(422, "bad_request", "'plan' must be the plan's id, like brightbrew.")
    try:
        zoneinfo.ZoneInfo(zone if isinstance(zone, str) and len(zone) <= MAX_ID else "")
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise Refusal(422, "bad_request", "'zone' must be a time zone like Europe/Copenhagen.") from None
    return plan, scenario, str(zone)


def _by(value: object) -> str:
    try:
        return parse_by(value)
    except EventError as exc:
        raise Refusal(422, "bad_request", f"{exc.message[:1].upper()}{exc.message[1:]}.") from None


async def _check_key(request: Request) -> None:
    room, address = _room(request), _address(request)
    room.check_rate(address, what="the room key")
    key = _bearer(request)
    stored = await run_in_threadpool(room.store.key_hashes)

    def matches() -> bool:
        return bool(key) and any(auth.verify_secret(key, known) for known in (*stored, *room.settings.key_hashes))

    if not await run_in_threadpool(matches):
        raise room.wrong(address, "", WRONG_KEY)


@guarded
async def open_incident(request: Request) -> Response:
    """POST /api/incidents (the room key as bearer): a new incident, its code, the lead's token."""
    await _check_key(request)
    body = await _body(request)
    plan, scenario, zone = _plan_ids(body)
    by = _by(body.get("by"))
    room, now = _room(request), _now()
    code, token = auth.make_code(), auth.make_token()
    expires = now + room.settings.code_max_age
    code_hash = await run_in_threadpool(auth.hash_code, code)
    incident = Incident(auth.make_incident_id(), plan, scenario, zone, now, None, code_hash, expires, 1)
    start = RoomEvent(str(uuid.uuid4()), now, "start", text="Incident started", by=by)
    await run_in_threadpool(room.store.open_incident, incident, auth.hash_token(token), by, start)
    return JSONResponse(
        {
            "incident": incident_json(incident),
            "code": auth.shown_code(code),
            "code_expires": expires.isoformat(),
            "token": token,
        },
        status_code=201,
    )


@guarded
async def join_incident(request: Request) -> Response:
    """POST /api/incidents/{id}/join {"code", "by"}: a session token for this phone."""
    room, address = _room(request), _address(request)
    incident_id = request.path_params["incident"]
    room.check_rate(address, incident_id)
    body = await _body(request)
    code = body.get("code") if isinstance(body, dict) else None
    by = _by(body.get("by") if isinstance(body, dict) else None)
    incident = await run_in_threadpool(room.store.incident, incident_id)
    typed = auth.typed_code(code) if isinstance(code, str) and len(code) <= 40 else ""
    stored = incident.code_hash if incident is not None and incident.code_hash else _DUMMY_HASH
    # An unknown incident costs the same check as a wrong code: no answer tells them apart.
    right = await run_in_threadpool(auth.verify_secret, typed, stored)
    if incident is None or not right:
        raise room.wrong(address, incident_id, WRONG_CODE)
    if incident.ended is not None:
        raise INCIDENT_ENDED
    if incident.code_expires is None or incident.code_expires <= _now():
        raise CODE_EXPIRED
    token = auth.make_token()
    await run_in_threadpool(room.store.add_session, auth.hash_token(token), incident.id, by, False, _now())
    return JSONResponse({"incident": incident_json(incident), "token": token})


@guarded
async def show_incident(request: Request) -> Response:
    """GET /api/incidents/{id}: the incident, its clock and the last seq."""
    incident, session = await _joined(request)
    return JSONResponse({**incident_json(incident), "by": session.by, "lead": session.lead})


@guarded
async def add_events(request: Request) -> Response:
    """POST /api/incidents/{id}/events {"events": [...]}: stored before the answer."""
    incident, session = await _joined(request)
    if incident.ended is not None:
        raise INCIDENT_ENDED
    events = parse_events(await _body(request), session.by)
    room = _room(request)
    stored = await run_in_threadpool(room.store.append, incident.id, events, _now())
    room.notify(incident.id)
    return JSONResponse(
        {
            "stored": [{"event_id": s.event_id, "seq": s.seq, "new": s.new} for s in stored],
            "last_seq": max(s.seq for s in stored),
            "now": _now().isoformat(),
        },
        status_code=201 if any(s.new for s in stored) else 200,
    )


def _after(value: str | None) -> int:
    if value is None or value == "":
        return 0
    if not value.isdigit() or len(value) > 18:
        raise Refusal(422, "bad_request", "'after' must be the seq of the last event the phone has, like 42.")
    return int(value)


@guarded
async def list_events(request: Request) -> Response:
    """GET /api/incidents/{id}/events?after=SEQ: what the phone has not got yet."""
    incident, _ = await _joined(request)
    after = _after(request.query_params.get("after"))
    events = await run_in_threadpool(_room(request).store.events_after, incident.id, after, MAX_PAGE + 1)
    return JSONResponse(
        {
            "events": [e.as_json() for e in events[:MAX_PAGE]],
            "last_seq": events[min(len(events), MAX_PAGE) - 1].seq if events else after,
            "more": len(events) > MAX_PAGE,
            "ended": incident.ended.isoformat() if incident.ended else None,
            "now": _now().isoformat(),
        }
    )


@guarded
async def stream_ticket(request: Request) -> Response:
    """POST /api/incidents/{id}/ticket: a short-lived ticket for the event stream's URL."""
    incident, _ = await _joined(request)
    return JSONResponse({"ticket": _room(request).new_ticket(incident.id), "expires_in": int(TICKET_SECONDS)})


def _sse(event: StoredEvent) -> str:
    return f"id: {event.seq}\nevent: event\ndata: {json.dumps(event.as_json(), ensure_ascii=False)}\n\n"


async def _stream(room: Room, incident_id: str, after: int) -> AsyncIterator[str]:
    """The stream's lines; trouble with the database ends it (the page reconnects)."""
    try:
        async for line in _stream_lines(room, incident_id, after):
            yield line
    except Exception as exc:
        logger.error("room: the stream of incident %s stopped: %s: %s", incident_id, type(exc).__name__, exc)


async def _stream_lines(room: Room, incident_id: str, after: int) -> AsyncIterator[str]:
    wake = asyncio.Event()
    room.waiters.setdefault(incident_id, set()).add(wake)
    try:
        yield "retry: 1000\n\n"
        quiet = 0.0
        while True:
            wake.clear()
            events = await run_in_threadpool(room.store.events_after, incident_id, after, MAX_PAGE)
            for event in events:
                yield _sse(event)
                after = event.seq
            if events:
                quiet = 0.0
                continue
            incident = await run_in_threadpool(room.store.incident, incident_id)
            if incident is None or incident.ended is not None:
                yield f"event: ended\ndata: {json.dumps({'ended': incident.ended.isoformat() if incident and incident.ended else None})}\n\n"
                return
            try:
                await asyncio.wait_for(wake.wait(), STREAM_POLL_SECONDS)
            except TimeoutError:
                quiet += STREAM_POLL_SECONDS
                if quiet >= STREAM_HEARTBEAT_SECONDS:
                    quiet = 0.0
                    yield ": still here\n\n"
    finally:
        room.waiters.get(incident_id, set()).discard(wake)


@guarded
async def event_stream(request: Request) -> Response:
    """GET /api/incidents/{id}/stream?ticket=T&after=SEQ: Server-Sent Events."""
    room = _room(request)
    incident_id = request.path_params["incident"]
    held = room.tickets.get(request.query_params.get("ticket", ""))
    if held is None or held[0] != incident_id or held[1] <= time.monotonic():
        raise Refusal(401, "no_ticket", "The live view needs a new ticket: the page asks for one and connects again.")
    # EventSource sends the last id it saw when it reconnects by itself.
    after = _after(request.headers.get("last-event-id") or request.query_params.get("after"))
    return StreamingResponse(
        _stream(room, incident_id, after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@guarded
async def new_code(request: Request) -> Response:
    """POST /api/incidents/{id}/code (the lead): a new join code; the old one stops working."""
    incident, _ = await _joined(request, lead=True)
    if incident.ended is not None:
        raise INCIDENT_ENDED
    room = _room(request)
    code = auth.make_code()
    expires = _now() + room.settings.code_max_age
    code_hash = await run_in_threadpool(auth.hash_code, code)
    await run_in_threadpool(room.store.replace_code, incident.id, code_hash, expires)
    room.by_incident.forget(incident.id)
    return JSONResponse({"code": auth.shown_code(code), "code_expires": expires.isoformat()})


@guarded
async def end_incident(request: Request) -> Response:
    """POST /api/incidents/{id}/end (the lead): no more events or joins; the log stays."""
    incident, _ = await _joined(request, lead=True)
    room = _room(request)
    await run_in_threadpool(room.store.end_incident, incident.id, _now())
    room.notify(incident.id)
    ended = await run_in_threadpool(room.store.incident, incident.id)
    assert ended is not None  # noqa: S101 - an incident is never deleted
    return JSONResponse(incident_json(ended))


def incident_log(incident: Incident, events: list[StoredEvent], saved: dt.datetime) -> dict[str, Any]:
    """The incident in the log format `crisisplan review --from-log` reads, on the
    clock of the zone the lead's phone was in."""
    zone = zoneinfo.ZoneInfo(incident.zone)
    return {
        "format": LOG_FORMAT,
        "version": LOG_VERSION,
        "plan": incident.plan,
        "scenario": incident.scenario,
        "started": incident.started.astimezone(zone).isoformat(),
        "events": [
            {
                **{k: v for k, v in e.event.as_json().items() if k != "at"},
                "at": e.event.at.astimezone(zone).isoformat(),
                "seq": e.seq,
            }
            for e in events
        ],
        "saved": (incident.ended or saved).astimezone(zone).isoformat(),
        "recorded_in": "room",
    }


@guarded
async def export_log(request: Request) -> Response:
    """GET /api/incidents/{id}/log: the whole record as an incident log, to download."""
    incident, _ = await _joined(request)
    store = _room(request).store
    events: list[StoredEvent] = []
    while True:
        page = await run_in_threadpool(store.events_after, incident.id, events[-1].seq if events else 0, MAX_PAGE)
        events += page
        if len(page) < MAX_PAGE:
            break
    name = f"room-{incident.scenario}-{incident.id}.json"
    return JSONResponse(
        incident_log(incident, events, _now()),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def hello(request: Request) -> Response:
    """GET /api/: that this is a room, and its clock."""
    return JSONResponse({"room": "crisisplan", "version": 1, "now": _now().isoformat()})


def _host_name(header: str) -> str | None:
    match = _HOST.fullmatch(header.strip())
    if match is None or (match["port"] is not None and not 1 <= int(match["port"]) <= 65535):
        return None
    return match["name"].lower().removesuffix(".")


class HostAndOrigin:
    """421 for a Host the room was not told it is called (DNS rebinding, a wrong
    proxy), 403 for a browser page from an origin the room was not told to serve."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str], origins: tuple[str, ...]) -> None:
        self.app, self.hosts, self.origins = app, hosts, frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        name = _host_name(headers.get("host", ""))
        if name is None or name not in self.hosts:
            response: Response = refusal_response(
                421, "wrong_host", "This room does not answer to that address. Use the room's own address."
            )
        elif "origin" in headers and headers["origin"] not in self.origins:
            response = refusal_response(
                403, "wrong_origin", "This room does not take requests from that page. Use the team's own runbook."
            )
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


async def _not_here(request: Request, exc: Exception) -> Response:
    """An address or method the API does not have: JSON with a sentence, like every answer."""
    status = getattr(exc, "status_code", 404)
    return refusal_response(status, "not_found", "The room has no such address: check the room's address in the runbook's settings.")


def room_app(store: Store, settings: RoomSettings) -> Starlette:
    """The room's ASGI app on ``store``."""
    base = "/api/incidents/{incident}"
    routes = [
        Route("/api/", hello, methods=["GET"]),
        Route("/api/incidents", open_incident, methods=["POST"]),
        Route(f"{base}", show_incident, methods=["GET"]),
        Route(f"{base}/join", join_incident, methods=["POST"]),
        Route(f"{base}/events", add_events, methods=["POST"]),
        Route(f"{base}/events", list_events, methods=["GET"]),
        Route(f"{base}/ticket", stream_ticket, methods=["POST"]),
        Route(f"{base}/stream", event_stream, methods=["GET"]),
        Route(f"{base}/code", new_code, methods=["POST"]),
        Route(f"{base}/end", end_incident, methods=["POST"]),
        Route(f"{base}/log", export_log, methods=["GET"]),
    ]
    middleware = [
        # Outermost: a wrong Host or Origin is refused before anything else; then the
        # CORS layer answers the configured origins' preflights.
        Middleware(HostAndOrigin, hosts=settings.hosts, origins=settings.origins),
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
            max_age=600,
        ),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={404: _not_here, 405: _not_here})
    app.state.room = Room(store, settings)
    return app
