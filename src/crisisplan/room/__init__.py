"""The incident room: one incident's timeline shared live by the team's phones.

``crisisplan room`` serves a small HTTP API (Starlette on uvicorn) over an SQLite file
(default) or PostgreSQL. Events are the incident log's (crisisplan.incident.review),
each with an ``event_id`` (a UUID made on the phone): the room's record is the union
of what the phones sent, so resending is harmless and reconnects may come in any
order. The server gives each new event a ``seq`` (1, 2, 3... per incident, no gaps);
a phone keeps the highest it has and asks for what came after it.

Modules: events (an event checked), auth (keys, codes, tokens, rate limits), store
(the database), app (the ASGI app), server (starting it).

The HTTP API, for a plain-JS page (fetch + EventSource). JSON in and out; every
refusal is ``{"error": WORD, "message": SENTENCE}`` (the sentence can be shown as it
is; 429 adds ``retry_after`` seconds and a Retry-After header). TOKEN is sent as
``Authorization: Bearer TOKEN``.

    GET  /api/                          {"room": "crisisplan", "version": 1, "now"}
    POST /api/incidents                 bearer: the room key
         {"scenario", "plan", "by", "zone": "Europe/Oslo"}
         -> 201 {"incident": INCIDENT, "code": "K7M2Q-X9PAB", "code_expires", "token"}
    POST /api/incidents/ID/join         {"code", "by"} -> 200 {"incident": INCIDENT, "token"}
                                        401 wrong_code | code_expired, 409 incident_ended,
                                        429 too_many_tries
    GET  /api/incidents/ID              bearer -> INCIDENT + {"by", "lead"}
    POST /api/incidents/ID/events       bearer, {"events": [EVENT, ...]} (at most 200)
         -> 201 (something new) or 200 (all already stored)
            {"stored": [{"event_id", "seq", "new"}], "last_seq", "now"}
    GET  /api/incidents/ID/events?after=SEQ
         -> {"events": [EVENT + "seq"], "last_seq", "more", "ended", "now"}
    POST /api/incidents/ID/ticket       bearer -> {"ticket", "expires_in": 60}
    GET  /api/incidents/ID/stream?ticket=T&after=SEQ
         text/event-stream: "event: event" with id: SEQ and data: EVENT + "seq";
         "event: ended" when the lead ends the incident. EventSource resends the last
         id itself (Last-Event-ID); a refused ticket (401) means: get a new one.
    POST /api/incidents/ID/code         bearer (lead) -> {"code", "code_expires"}: the
                                        old code stops working
    POST /api/incidents/ID/end          bearer (lead) -> INCIDENT with "ended"
    GET  /api/incidents/ID/log          bearer -> the incident log (format
                                        crisisplan-incident-log) for `crisisplan review
                                        SCENARIO --from-log FILE`

    INCIDENT = {"id", "plan", "scenario", "zone", "started", "ended", "last_seq", "now"}
    EVENT    = {"event_id": UUID, "at": ISO time with offset, "kind", "id", "done",
                "language", "text", "by"}   (kinds and limits as in the log)

Error words: bad_request, bad_event (422), wrong_key, wrong_code, code_expired,
not_joined, no_ticket (401), lead_only, wrong_origin (403), not_found (404/405),
incident_ended (409), too_large (413), wrong_host (421), too_many_tries (429),
room_trouble (503: try again).

The incident's clock is the server's: ``started`` and ``now`` come with every
incident, so a phone shows T+ from ``started`` and corrects its own clock by
``now`` (also for the ``at`` of the events it makes). Every event is committed to
the database before its answer: a phone that got no answer sends it again.

What a client does: open (the lead) or join (the others), keep ``token``, ``seq``
and a queue of unsent events in the page's storage; send the queue (POST events)
whenever online, remove what was acknowledged; GET events?after=SEQ on reconnect;
get a ticket and open an EventSource on the stream for the live view.
"""
