/* crisisplan incident mode: the team's room (`crisisplan room`), live.

   Active only on a page whose incident panel has data-cp-room: the internal edition
   of a team that set room: in crisisplan.yaml. Any other page never makes a request
   (incident.js creates no Room for it). The room's HTTP API is described in
   crisisplan/room/__init__.py.

   The lead opens the incident with the team's room key (typed once, kept only in
   sessionStorage, never in the log) and shows the join code, as text and as a QR
   code (a link to this page with the code in its fragment); the others join with it.
   Then every event the phone makes goes into the incident's state with a UUID
   (incident.js) and, until the room acknowledges it, is in the queue: the events of
   the state the room has not acknowledged. The queue is sent whenever the phone is
   online; what the others do arrives by Server-Sent Events (a ticket, then an
   EventSource) and, after a gap, by GET events?after=SEQ. The clock is the
   incident's: the room's "now" corrects the phone's.

   Kept in localStorage beside the incident (KEY + ":room"): the incident's id, this
   phone's token, the last seq received, which events the room has, whether this
   phone is the lead, the join code, and whether the incident ended. */
(function (cp) {
  "use strict";

  // Loaded before incident-log.js (publish/site/scripts.py): crisisplan.log and
  // crisisplan.share are looked up when a Room is made, never before.
  var share = null;
  var log = null;
  var SESSION_KEY = "crisisplan-incident:room-key";
  // A request the room has not answered in this time is taken as no answer.
  var TIMEOUT_MS = 10000;
  // Waiting before trying again, after no answer or a closed stream.
  var RETRY_MS = 3000;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function Room(incident, address) {
    share = cp.share;
    log = cp.log;
    this.incident = incident;
    this.address = address.replace(/\/+$/, "");
    this.storeKey = incident.key + ":room";
    this.session = this.read();
    this.stream = null;
    this.sending = false;
    this.retry = null;
    this.problem = "";
    var self = this;
    this.onOnline = function () { self.connect(); };
    this.onOffline = function () { self.closeStream(); self.show(); };
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
  }

  Room.prototype.w = function (key, values) {
    return this.incident.w(key, values);
  };

  /* What this phone keeps of the room */

  Room.prototype.read = function () {
    try {
      var kept = JSON.parse(window.localStorage.getItem(this.storeKey) || "null");
      if (kept && typeof kept.incident === "string" && typeof kept.token === "string") {
        kept.acked = kept.acked && typeof kept.acked === "object" ? kept.acked : {};
        kept.seq = typeof kept.seq === "number" ? kept.seq : 0;
        return kept;
      }
    } catch (error) {
      // Nothing usable kept: not in a room.
    }
    return null;
  };

  Room.prototype.keep = function () {
    try {
      if (this.session) window.localStorage.setItem(this.storeKey, JSON.stringify(this.session));
      else window.localStorage.removeItem(this.storeKey);
    } catch (error) {
      // Storage refused: the room goes on for as long as the page is open.
    }
  };

  // The events of the incident the room has not acknowledged: the queue.
  Room.prototype.queue = function () {
    var acked = this.session ? this.session.acked : {};
    var state = this.incident.state;
    if (!state) return [];
    return share.enqueue([], state.events.filter(function (event) { return event.event_id && !acked[event.event_id]; }));
  };

  /* Talking to the room */

  // A request; resolves {status, body}, rejects when there was no answer.
  Room.prototype.call = function (method, path, body, bearer) {
    var self = this;
    var headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    var token = bearer || (this.session && this.session.token);
    if (token) headers.Authorization = "Bearer " + token;
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    var sent = Date.now();
    return fetch(this.address + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (answer && typeof answer.now === "string") self.setClock(answer.now, sent, Date.now());
        return { status: response.status, body: answer || {} };
      });
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  };

  Room.prototype.setClock = function (now, sent, received) {
    this.incident.offset = share.clockOffset(now, sent, received);
  };

  // A refusal's sentence, shown as the room wrote it.
  // The room's refusals that a phone meets, in the page's language; any other is shown
  // as the room's own sentence (English).
  var REFUSALS = {
    wrong_code: "incident_room_error_wrong_code",
    code_expired: "incident_room_error_code_expired",
    wrong_key: "incident_room_error_wrong_key",
    not_joined: "incident_room_error_not_joined",
    incident_ended: "incident_room_error_incident_ended",
    lead_only: "incident_room_error_lead_only",
    too_many_tries: "incident_room_error_too_many_tries"
  };

  Room.prototype.refused = function (answer) {
    var body = answer.body || {};
    var minutes = Math.max(1, Math.ceil((Number(body.retry_after) || 60) / 60));
    this.problem = Object.prototype.hasOwnProperty.call(REFUSALS, body.error)
      ? this.w(REFUSALS[body.error], { minutes: minutes })
      : typeof body.message === "string" ? body.message : "";
    if (body.error === "not_joined") this.forget();
    this.show();
  };

  Room.prototype.plan = function () {
    var parts = this.incident.box.getAttribute("data-cp-scenario").split("/");
    return { plan: parts.slice(0, -1).join("/"), scenario: parts[parts.length - 1] };
  };

  // The lead: opens the incident in the room with the room key.
  Room.prototype.open = function () {
    var self = this;
    var key = this.keyInput.value.trim();
    if (!key) {
      this.keyInput.focus();
      return;
    }
    if (!this.incident.who) {
      this.incident.askWho(null, function () { self.open(); });
      return;
    }
    try {
      window.sessionStorage.setItem(SESSION_KEY, key);
    } catch (error) {
      // Typed again next time.
    }
    var ids = this.plan();
    var zone = "UTC";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch (error) {
      // The room's default.
    }
    this.problem = "";
    this.call("POST", "/api/incidents", { plan: ids.plan, scenario: ids.scenario, by: this.incident.who, zone: zone }, key).then(function (answer) {
      if (answer.status !== 201) return self.refused(answer);
      self.joined(answer.body, true);
    }, function () { self.unreachable(); });
  };

  // Anyone: joins with the code the lead shows.
  Room.prototype.join = function (typed) {
    var self = this;
    var given = share.parseJoin(typed === undefined ? this.codeInput.value : typed);
    if (!given) {
      this.codeInput.focus();
      return;
    }
    if (!this.incident.who) {
      this.incident.askWho(null, function () { self.join(typed); });
      return;
    }
    this.problem = "";
    this.call("POST", "/api/incidents/" + given.incident + "/join", { code: given.code, by: this.incident.who }).then(function (answer) {
      if (answer.status !== 200) return self.refused(answer);
      self.joined(answer.body, false);
    }, function () { self.unreachable(); });
  };

  // The lead's QR code opened this page: join, after asking.
  Room.prototype.invited = function (found) {
    if (found.address.replace(/\/+$/, "") !== this.address) return; // not this team's room
    if (this.session && this.session.incident === found.incident) return;
    var typed = share.joinCode(found.incident, found.code);
    this.codeInput.value = typed;
    if (window.confirm(this.w("incident_room_join_ask"))) this.join(typed);
  };

  Room.prototype.joined = function (body, lead) {
    var incident = body.incident || {};
    this.session = {
      incident: incident.id, token: body.token, seq: 0, acked: {}, lead: lead,
      code: lead ? share.joinCode(incident.id, body.code) : "", ended: !!incident.ended
    };
    var started = Date.parse(incident.started);
    var state = this.incident.state;
    if (!state) {
      this.incident.state = log.empty(isNaN(started) ? this.incident.now() : started);
    } else if (!isNaN(started) && started < state.startedMs) {
      state.startedMs = started;
    }
    this.keep();
    this.incident.save();
    this.incident.show();
    this.connect();
  };

  Room.prototype.unreachable = function () {
    this.show();
    this.later();
  };

  Room.prototype.later = function () {
    var self = this;
    clearTimeout(this.retry);
    this.retry = setTimeout(function () { self.connect(); }, RETRY_MS);
  };

  // A page opened (or shown again) in a room: catch up and listen.
  Room.prototype.resume = function () {
    if (this.session) this.connect();
    this.show();
  };

  // Send what waits, fetch what was missed, then follow the stream.
  Room.prototype.connect = function () {
    var self = this;
    clearTimeout(this.retry);
    if (!this.session) return;
    this.flush().then(function () { return self.catchUp(); }).then(function () {
      if (self.session && !self.session.ended) self.listen();
    }, function () {
      self.unreachable();
    });
  };

  // Called on every save: send the queue when online.
  Room.prototype.push = function () {
    if (this.session && !this.session.ended) this.flush().catch(function () {});
    this.show();
  };

  Room.prototype.flush = function () {
    var self = this;
    if (!this.session || this.session.ended || this.sending) return Promise.resolve();
    var queue = this.queue().slice(0, 200);
    if (!queue.length) return Promise.resolve();
    this.sending = true;
    var session = this.session;
    return this.call("POST", "/api/incidents/" + session.incident + "/events", { events: queue.map(share.forRoom) }).then(function (answer) {
      self.sending = false;
      if (answer.status !== 200 && answer.status !== 201) return self.refused(answer);
      // Each acknowledged event with its seq: the room's order, the same on every phone.
      (answer.body.stored || []).forEach(function (item) { session.acked[item.event_id] = typeof item.seq === "number" ? item.seq : true; });
      self.keep();
      self.show();
      if (self.queue().length) return self.flush();
    }, function (error) {
      self.sending = false;
      self.show();
      throw error;
    });
  };

  // The events after the last seq this phone has, page by page.
  Room.prototype.catchUp = function () {
    var self = this;
    var session = this.session;
    if (!session) return Promise.resolve();
    return this.call("GET", "/api/incidents/" + session.incident + "/events?after=" + session.seq).then(function (answer) {
      if (answer.status !== 200) return self.refused(answer);
      self.received(answer.body.events || []);
      if (answer.body.ended) self.ended();
      if (answer.body.more) return self.catchUp();
    });
  };

  // Events from the room, added to the incident as a union.
  Room.prototype.received = function (events) {
    var session = this.session;
    if (!session || !events.length) return;
    var ids = this.plan();
    var read = log.readLog({
      format: log.FORMAT, version: log.VERSION, plan: ids.plan, scenario: ids.scenario,
      started: log.started(this.incident.state ? this.incident.state.startedMs : this.incident.now(), "").at,
      events: events
    }, this.incident.box.getAttribute("data-cp-scenario"));
    events.forEach(function (event) {
      if (typeof event.seq === "number" && event.seq > session.seq) session.seq = event.seq;
      if (event.event_id) session.acked[event.event_id] = typeof event.seq === "number" ? event.seq : true;
    });
    this.keep();
    if (read.problem) return; // the room only stores what a log may hold
    if (!this.incident.state) this.incident.state = log.empty(this.incident.now());
    var acked = session.acked;
    var rank = function (event) { return event.event_id ? acked[event.event_id] : undefined; };
    if (log.union(this.incident.state, read.events, undefined, rank)) {
      this.incident.save();
      this.incident.show();
    }
  };

  Room.prototype.listen = function () {
    var self = this;
    var session = this.session;
    if (this.stream || typeof EventSource !== "function") return;
    this.call("POST", "/api/incidents/" + session.incident + "/ticket", {}).then(function (answer) {
      if (answer.status !== 200) return self.refused(answer);
      if (self.stream || self.session !== session) return;
      var url = self.address + "/api/incidents/" + session.incident + "/stream?ticket=" + encodeURIComponent(answer.body.ticket) + "&after=" + session.seq;
      var stream = new EventSource(url);
      self.stream = stream;
      stream.addEventListener("event", function (message) {
        try {
          self.received([JSON.parse(message.data)]);
        } catch (error) {
          // Not an event: skipped; the next catch-up has it.
        }
      });
      stream.addEventListener("ended", function () { self.ended(); });
      stream.onopen = function () { self.show(); };
      stream.onerror = function () {
        // A stream the room closed (its ticket is used up) or a lost network: a new
        // ticket, and what was missed, in a moment.
        if (stream.readyState === EventSource.CLOSED || !navigator.onLine) {
          self.closeStream();
          self.show();
          if (navigator.onLine) self.later();
        }
      };
      self.show();
    }, function () { self.unreachable(); });
  };

  Room.prototype.closeStream = function () {
    if (this.stream) this.stream.close();
    this.stream = null;
  };

  Room.prototype.ended = function () {
    if (!this.session || this.session.ended) return;
    this.session.ended = true;
    this.keep();
    this.closeStream();
    this.show();
  };

  // The lead ends the incident for everyone.
  Room.prototype.end = function () {
    var self = this;
    if (!this.session || !window.confirm(this.w("incident_room_end") + "?")) return;
    this.flush().catch(function () {}).then(function () {
      return self.call("POST", "/api/incidents/" + self.session.incident + "/end", {});
    }).then(function (answer) {
      if (answer.status !== 200) return self.refused(answer);
      self.ended();
    }, function () { self.unreachable(); });
  };

  // This phone leaves (its incident ended here): nothing more is sent.
  Room.prototype.leave = function () {
    this.forget();
    this.show();
  };

  Room.prototype.forget = function () {
    this.closeStream();
    clearTimeout(this.retry);
    this.session = null;
    this.keep();
  };

  Room.prototype.stop = function () {
    this.closeStream();
    clearTimeout(this.retry);
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
  };

  /* The panel's part */

  Room.prototype.build = function () {
    var self = this;
    var part = element("section", "cp-inc-room");
    part.appendChild(element("h4", "cp-inc-room-title", this.w("incident_room_title")));
    this.status = element("p", "cp-inc-room-status");
    this.status.setAttribute("role", "status");
    part.appendChild(this.status);
    this.error = element("p", "cp-inc-room-error");
    this.error.setAttribute("role", "alert");
    part.appendChild(this.error);

    this.outside = element("div", "cp-inc-room-outside");
    this.outside.appendChild(element("p", "cp-inc-intro", this.w("incident_room_intro")));
    var join = element("div", "cp-inc-start");
    var codeLabel = element("label", "cp-inc-field");
    codeLabel.appendChild(element("span", "", this.w("incident_room_code")));
    this.codeInput = element("input", "cp-inc-room-code-input");
    this.codeInput.type = "text";
    this.codeInput.autocomplete = "off";
    this.codeInput.setAttribute("autocapitalize", "characters");
    this.codeInput.spellcheck = false;
    codeLabel.appendChild(this.codeInput);
    join.appendChild(codeLabel);
    var joinButton = element("button", "md-button md-button--primary cp-inc-room-join", this.w("incident_room_join"));
    joinButton.type = "button";
    joinButton.addEventListener("click", function () { self.join(); });
    this.codeInput.addEventListener("keydown", function (event) { if (event.key === "Enter") self.join(); });
    join.appendChild(joinButton);
    this.outside.appendChild(join);

    var open = element("div", "cp-inc-start");
    var keyLabel = element("label", "cp-inc-field");
    keyLabel.appendChild(element("span", "", this.w("incident_room_key")));
    this.keyInput = element("input", "cp-inc-room-key");
    this.keyInput.type = "password";
    this.keyInput.autocomplete = "off";
    try {
      this.keyInput.value = window.sessionStorage.getItem(SESSION_KEY) || "";
    } catch (error) {
      // Typed again.
    }
    keyLabel.appendChild(this.keyInput);
    open.appendChild(keyLabel);
    var openButton = element("button", "md-button cp-inc-room-open", this.w("incident_room_open"));
    openButton.type = "button";
    openButton.addEventListener("click", function () { self.open(); });
    open.appendChild(openButton);
    this.outside.appendChild(open);
    part.appendChild(this.outside);

    this.inside = element("div", "cp-inc-room-inside");
    this.code = element("p", "cp-inc-room-code");
    this.inside.appendChild(this.code);
    this.qr = element("div", "cp-inc-room-qr");
    this.inside.appendChild(this.qr);
    this.endButton = element("button", "md-button cp-inc-room-end", this.w("incident_room_end"));
    this.endButton.type = "button";
    this.endButton.addEventListener("click", function () { self.end(); });
    this.inside.appendChild(this.endButton);
    part.appendChild(this.inside);
    this.part = part;
    return part;
  };

  Room.prototype.show = function () {
    if (!this.part) return;
    var session = this.session;
    this.outside.hidden = !!session;
    this.inside.hidden = !session;
    this.error.textContent = this.problem;
    this.error.hidden = !this.problem;
    if (!session) {
      this.status.textContent = "";
      this.status.hidden = true;
      return;
    }
    var waiting = this.queue().length;
    var text;
    if (session.ended) text = this.w("incident_room_ended");
    else if (waiting) text = this.w("incident_room_waiting", { count: waiting });
    else text = this.w("incident_room_live") + " " + this.w("incident_room_sent");
    this.status.hidden = false;
    this.status.textContent = text;
    this.status.classList.toggle("cp-is-overdue", !!waiting && !session.ended);
    this.part.classList.toggle("cp-inc-room-ended", !!session.ended);
    var showCode = session.lead && session.code && !session.ended;
    this.code.hidden = !showCode;
    this.endButton.hidden = !session.lead || session.ended;
    if (!showCode) {
      this.qr.textContent = "";
      this.qrFor = null;
      return;
    }
    this.code.textContent = "";
    this.code.appendChild(element("span", "", this.w("incident_room_code") + ": "));
    this.code.appendChild(element("strong", "cp-inc-room-code-text", session.code));
    if (this.qrFor !== session.code) {
      var self = this;
      var given = share.parseJoin(session.code);
      this.qrFor = session.code;
      this.qr.textContent = "";
      this.incident.qrImage(share.roomLink(location.href, this.address, given.incident, given.code), function (image) {
        if (self.qrFor === session.code) self.qr.appendChild(image);
      });
    }
  };

  cp.room = { Room: Room };
})(window.crisisplan = window.crisisplan || {});
