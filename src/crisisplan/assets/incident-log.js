/* crisisplan incident mode, part 3 of 4: the incident's state and its log.

   The state kept in localStorage (one entry per plan and scenario), the events of the
   log, and the log as a file: JSON that `crisisplan review SCENARIO --from-log FILE`
   reads (incident/review.py documents the format and checks it on the way in). Only
   strings, numbers and booleans go into the file, so it converts to YAML and back
   unchanged.

   What is read back from storage is never trusted: from file:// every page opened in
   the browser shares one storage, so any local HTML file can read and write it. A
   stored value is checked part by part (checkState) and, when the page carries a
   plan key from the build, kept under that plan's own key and sealed with an
   HMAC-SHA-256 of the page's seal secret (seal, unseal): a value another page planted
   or damaged is set aside, not shown. The seal proves only that the value came from a
   page holding the secret; the log file still says it was recorded in a browser and
   is not verified, and the review made from it says so too.

   Pure functions, no DOM: unit-tested with `node --test tests/js/`. Every one that
   records a moment takes "now" (milliseconds) as an argument. Plain script, not an ES
   module (module scripts are blocked from file://); it adds crisisplan.log to the
   namespace the incident scripts share, and uses crisisplan.clock (loaded before). */
(function (cp) {
  "use strict";

  var clock = cp.clock;
  var FORMAT = "crisisplan-incident-log";
  var VERSION = 1;
  // localStorage keys: the prefix, then "v2:", the plan key when the page has one, and
  // "plan/scenario". Before the plan key, the prefix and "plan/scenario" alone: such an
  // entry is read once, checked, and moved (legacyKey).
  var STORE_PREFIX = "crisisplan-incident:";
  // A stored value that could not be used is kept here, under its key, for whoever
  // wants to look at it, and out of the page's way.
  var SET_ASIDE_PREFIX = "crisisplan-incident-set-aside:";
  // The stored entry around the state: the state as text, and its seal.
  var STORE_FORMAT = "crisisplan-incident-state";
  var STORE_VERSION = 2;
  // What a state may hold (a day-long incident has a few hundred events): as
  // incident/review.py's MAX_LOG_EVENTS, and far more text than a statement.
  var MAX_EVENTS = 20000;
  var MAX_TEXT = 100000;
  var KINDS = ["start", "action", "escalation", "target", "statement", "update", "note"];
  // "by": who did it (the console asks once per device); "event_id": a UUID made
  // when it happened, so that the same event from two phones or a room counts once.
  var EVENT_KEYS = ["at", "kind", "id", "done", "language", "text", "by", "event_id"];
  // Who did it, as incident/review.py's MAX_ID allows: a role's title or a name.
  var MAX_BY = 200;
  var TICK_KINDS = ["action", "escalation", "target"];
  var STATE_KEYS = ["version", "startedMs", "done", "fields", "events", "lastUpdateMs", "note"];
  // The moments crisisplan writes: 1970 to 2199, as `crisisplan check` accepts.
  var LAST_MS = Date.UTC(2200, 0, 1);
  var ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
  // What the build writes as data-cp-plan-key and data-cp-plan-seal: hex digests.
  var HEX_KEY = /^[0-9a-f]{16,128}$/;

  function isRecord(value) {
    return !!value && typeof value === "object" && !Array.isArray(value);
  }

  function newState(startedMs) {
    return { version: VERSION, startedMs: startedMs, done: {}, fields: {}, events: [], lastUpdateMs: null };
  }

  function isText(value) {
    return typeof value === "string" && value.length <= MAX_TEXT;
  }

  function isMoment(value) {
    return typeof value === "number" && value >= 0 && value < LAST_MS;
  }

  // Only the keys given, each value passing its test.
  function hasOnly(record, keys, test) {
    return Object.keys(record).every(function (key) {
      return keys.indexOf(key) >= 0 && test(key, record[key]);
    });
  }

  function checkEvent(event) {
    if (!isRecord(event) || typeof event.at !== "string" || !ISO_LOCAL.test(event.at)) return false;
    if (KINDS.indexOf(event.kind) < 0) return false;
    return hasOnly(event, EVENT_KEYS, function (key, value) {
      if (key === "done") return typeof value === "boolean";
      if (key === "by" || key === "event_id") return typeof value === "string" && value.length <= MAX_BY;
      return isText(value);
    });
  }

  // Whether a value read back is a state this version writes, in every part: a value
  // that is not is set aside as a whole, never half used (a wrong type in one corner
  // once threw on every load).
  function checkState(state) {
    if (!isRecord(state) || state.version !== VERSION || !isMoment(state.startedMs)) return false;
    if (!hasOnly(state, STATE_KEYS, function () { return true; })) return false;
    if (!isRecord(state.done) || !hasOnly(state.done, Object.keys(state.done), function (key, value) {
      return key.length <= MAX_TEXT && isMoment(value);
    })) return false;
    if (!isRecord(state.fields) || !hasOnly(state.fields, Object.keys(state.fields), function (key, value) {
      return key.length <= MAX_TEXT && isText(value);
    })) return false;
    if (!Array.isArray(state.events) || state.events.length > MAX_EVENTS || !state.events.every(checkEvent)) return false;
    if (state.lastUpdateMs !== undefined && state.lastUpdateMs !== null && !isMoment(state.lastUpdateMs)) return false;
    return state.note === undefined || isText(state.note);
  }

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return undefined;
    }
  }

  // A state from its JSON text (as the first versions stored it), or null when the
  // text is not one: see checkState.
  function restore(text) {
    if (typeof text !== "string") return null;
    var state = parse(text);
    if (!checkState(state)) return null;
    if (state.lastUpdateMs === undefined) state.lastUpdateMs = null;
    return state;
  }

  /* Where a scenario's incident is kept, and how. */

  // "crisisplan-incident:v2:<plan key>:brightbrew/hacked-account"; without a plan key
  // from the build (or with one that is not a hex digest), plan and scenario alone.
  function storeKey(scenario, planKey) {
    var plan = typeof planKey === "string" && HEX_KEY.test(planKey) ? planKey + ":" : "";
    return STORE_PREFIX + "v2:" + plan + scenario;
  }

  // Where the versions before the plan key kept the incident.
  function legacyKey(scenario) {
    return STORE_PREFIX + scenario;
  }

  // The page's seal secret, or "" (a seal anyone can make, which still tells a damaged
  // or hand-edited value from one this page wrote).
  function sealSecret(given) {
    return typeof given === "string" && HEX_KEY.test(given) ? given : "";
  }

  // The text stored under key: the state as text, and the HMAC of key and text. The
  // key is sealed too, so a value copied from another plan's entry does not verify.
  function seal(state, key, secret) {
    var text = JSON.stringify(state);
    return JSON.stringify({ format: STORE_FORMAT, version: STORE_VERSION, seal: hmacHex(secret, key + "\n" + text), state: text });
  }

  // What is stored under key, read back: {state, problem}. No entry is {null, null};
  // an entry that is not a sealed state of this version, or (with verify) whose seal
  // is not this page's, has a problem and no state. Never throws.
  function unseal(stored, key, secret, verify) {
    if (stored === null || stored === undefined) return { state: null, problem: null };
    var entry = parse(stored);
    if (!isRecord(entry) || entry.format !== STORE_FORMAT || entry.version !== STORE_VERSION || typeof entry.state !== "string") {
      return { state: null, problem: "not a stored incident" };
    }
    if (verify && entry.seal !== hmacHex(secret, key + "\n" + entry.state)) {
      return { state: null, problem: "not sealed by this page" };
    }
    var state = restore(entry.state);
    return state ? { state: state, problem: null } : { state: null, problem: "damaged" };
  }

  /* SHA-256 and HMAC (FIPS 180-4, RFC 2104), small and synchronous: the page saves on
     every change, and crypto.subtle answers only later (and not in every browser from
     file://). Tested against Node's crypto in tests/js/incident-log.test.js. */

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];

  // Text as UTF-8 bytes; a lone surrogate (half an emoji) as U+FFFD, as TextEncoder does.
  function utf8(text) {
    var bytes = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      var next = text.charCodeAt(i + 1);
      if (c >= 0xd800 && c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else if (c >= 0xd800 && c < 0xe000) {
        c = 0xfffd;
      }
      if (c < 0x80) bytes.push(c);
      else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return bytes;
  }

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  // The digest of bytes, as 32 bytes.
  function sha256(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var bits = bytes.length * 8;
    var data = bytes.concat([0x80]);
    while (data.length % 64 !== 56) data.push(0);
    var high = Math.floor(bits / 0x100000000);
    data.push(high >>> 24, (high >>> 16) & 255, (high >>> 8) & 255, high & 255, bits >>> 24, (bits >>> 16) & 255, (bits >>> 8) & 255, bits & 255);
    var w = new Array(64);
    for (var block = 0; block < data.length; block += 64) {
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          w[t] = (data[block + 4 * t] << 24) | (data[block + 4 * t + 1] << 16) | (data[block + 4 * t + 2] << 8) | data[block + 4 * t + 3];
        } else {
          var s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
          var s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
          w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
        }
      }
      var v = h.slice();
      for (t = 0; t < 64; t++) {
        var e = v[4];
        var a = v[0];
        var t1 = (v[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & v[5]) ^ (~e & v[6])) + K[t] + w[t]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]))) | 0;
        v = [(t1 + t2) | 0, a, v[1], v[2], (v[3] + t1) | 0, e, v[5], v[6]];
      }
      for (t = 0; t < 8; t++) h[t] = (h[t] + v[t]) | 0;
    }
    var digest = [];
    h.forEach(function (word) { digest.push(word >>> 24, (word >>> 16) & 255, (word >>> 8) & 255, word & 255); });
    return digest;
  }

  // HMAC-SHA-256 of text with key (both text), as lowercase hex.
  function hmacHex(key, text) {
    var k = utf8(key);
    if (k.length > 64) k = sha256(k);
    var inner = [];
    var outer = [];
    for (var i = 0; i < 64; i++) {
      inner.push((k[i] || 0) ^ 0x36);
      outer.push((k[i] || 0) ^ 0x5c);
    }
    var digest = sha256(outer.concat(sha256(inner.concat(utf8(text)))));
    return digest.map(function (byte) { return (byte < 16 ? "0" : "") + byte.toString(16); }).join("");
  }

  // The key of a ticked item in state.done: "action/action-1", "target/acknowledge".
  function doneKey(kind, id) {
    return kind + "/" + id;
  }

  // The key of a composer field in state.fields (and in the log's "fields"):
  // "statement/placeholder", or "statement/language/placeholder" for a field that
  // belongs to one language's text.
  function fieldKey(statement, language, placeholder) {
    return (statement || "") + "/" + (language ? language + "/" : "") + placeholder;
  }

  /* The events of the log, in the order of their keys in the file. */

  function started(ms, text) {
    return { at: clock.isoLocal(ms), kind: "start", text: text };
  }

  // An action, escalation or target ticked (done) or unticked.
  function ticked(ms, kind, id, done, text) {
    return { at: clock.isoLocal(ms), kind: kind, id: id, done: done, text: text };
  }

  function noted(ms, text) {
    return { at: clock.isoLocal(ms), kind: "note", text: text };
  }

  function updated(ms, text) {
    return { at: clock.isoLocal(ms), kind: "update", text: text };
  }

  // A statement copied; detail is what crisisplan.js sends with "cp:copied".
  function copied(ms, detail) {
    detail = detail || {};
    return {
      at: clock.isoLocal(ms),
      kind: "statement",
      id: String(detail.statement || ""),
      language: String(detail.language || ""),
      text: String(detail.text || "")
    };
  }

  /* What happens to the state. */

  function start(startedMs, text) {
    var state = newState(startedMs);
    state.events.push(started(startedMs, text));
    return state;
  }

  // The start moved to when the incident really began (the first tick started the
  // clock, and the reader then said when): T+0 and its event, nothing else.
  function retime(state, startedMs) {
    state.startedMs = startedMs;
    state.events.forEach(function (event) {
      if (event.kind === "start") event.at = clock.isoLocal(startedMs);
    });
  }

  function tick(state, nowMs, kind, id, done, text) {
    var key = doneKey(kind, id);
    if (done) state.done[key] = nowMs;
    else delete state.done[key];
    state.events.push(ticked(nowMs, kind, id, done, text));
  }

  // A copied statement is an update posted, and the first one meets the target for
  // the first public statement.
  function copy(state, nowMs, detail) {
    state.events.push(copied(nowMs, detail));
    var first = doneKey("target", "first_statement");
    if (!state.done[first]) state.done[first] = nowMs;
    state.lastUpdateMs = nowMs;
  }

  function note(state, nowMs, text) {
    state.events.push(noted(nowMs, text));
    state.note = "";
  }

  function update(state, nowMs, text) {
    state.events.push(updated(nowMs, text));
    state.lastUpdateMs = nowMs;
  }

  // One event as the panel's log shows it; say(key, values) gives the page's words.
  function describe(event, say) {
    if (event.kind === "start") return say("incident_log_started");
    if (event.kind === "note") return say("incident_log_note", { text: event.text });
    if (event.kind === "update") return say("incident_update_posted");
    if (event.kind === "statement") {
      return say("incident_log_copied", { what: event.id + (event.language ? " (" + event.language + ")" : "") + ": " + event.text });
    }
    return say(event.done ? "incident_log_done" : "incident_log_undone", { what: event.text || event.id });
  }

  // The downloadable log. page: {scenario: "plan/scenario", title: the h1's text,
  // language, notice: the page's words saying the events were recorded in a browser
  // and are not verified}; fields with no value are left out, the others sorted by key.
  // A note still being typed goes in as "unsent_note", apart from the events: it
  // was not added, and the review and the printable timeline say so.
  function logDocument(page, state, nowMs) {
    var parts = String(page.scenario).split("/");
    var fields = {};
    Object.keys(state.fields).sort().forEach(function (key) {
      if (state.fields[key]) fields[key] = state.fields[key];
    });
    var unsent = typeof state.note === "string" ? state.note.trim() : "";
    var file = {
      format: FORMAT,
      version: VERSION,
      plan: parts.slice(0, -1).join("/"),
      scenario: parts[parts.length - 1],
      // Material's permalink sign ends the heading's text.
      title: String(page.title || "").replace(/\u00b6$/, "").trim(),
      language: page.language,
      // Whatever the seal said: anything sharing this browser's storage could have
      // written these events (review.py says so in the review too).
      recorded_in: "browser",
      verified: false,
      notice: String(page.notice || ""),
      started: clock.isoLocal(state.startedMs),
      saved: clock.isoLocal(nowMs),
      events: state.events,
      fields: fields
    };
    if (unsent) file.unsent_note = unsent;
    // Who used this device: the review labels an event without its own "by" with it.
    if (page.by) file.by = String(page.by).slice(0, MAX_BY);
    return file;
  }

  // "incident-hacked-account-20261122-1005.json": the scenario and the local start;
  // the printable timeline is the same name with "html".
  function fileName(log, extension) {
    var stamp = log.started.slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
    return "incident-" + log.scenario + "-" + stamp + "." + (extension || "json");
  }

  /* Several phones, one incident: events from another phone's log (a file, a QR
     code) or from the room are added to this phone's as a union. */

  // What makes two events the same: the UUID made when it happened; an event of a log
  // written before UUIDs, by what it says, who did it and when.
  function identity(event) {
    if (event.event_id) return "id:" + event.event_id;
    return "at:" + JSON.stringify([event.at, event.kind, event.id || "", event.done !== false, event.language || "", event.text || "", event.by || ""]);
  }

  // Events (already checked) added to the state's, each once, and everything the
  // events decide worked out again: in the order they happened, the last tick of an
  // item says whether it is done (two phones that disagree both stay in the log: the
  // review shows the conflict), a copied statement is an update posted. Returns how
  // many were new. startedMs: the other record's start, when it began earlier.
  // rank: the room's order of an event (its seq), when the phones share a room; it
  // breaks ties between events of the same second, which otherwise keep the order they
  // came in, and that order differs from phone to phone.
  function union(state, events, startedMs, rank) {
    var seen = {};
    state.events.forEach(function (event) { seen[identity(event)] = true; });
    var added = 0;
    events.forEach(function (event) {
      var key = identity(event);
      if (seen[key] || state.events.length >= MAX_EVENTS) return;
      seen[key] = true;
      state.events.push(event);
      added++;
    });
    if (isMoment(startedMs) && startedMs < state.startedMs) state.startedMs = startedMs;
    if (added) replay(state, rank);
    return added;
  }

  // state.done and lastUpdateMs from the events alone, in the order they happened
  // (a stable sort: events of the same second keep the order they came in).
  function replay(state, rank) {
    var ordered = state.events.map(function (event, index) {
      var place = rank ? rank(event) : undefined;
      // Events the room has not placed yet come after those it has.
      return { event: event, ms: Date.parse(event.at), rank: typeof place === "number" ? place : Infinity, index: index };
    });
    ordered.sort(function (a, b) { return a.ms - b.ms || (a.rank - b.rank || 0) || a.index - b.index; });
    state.events = ordered.map(function (item) { return item.event; });
    var done = {};
    var lastUpdate = null;
    ordered.forEach(function (item) {
      var event = item.event;
      if (TICK_KINDS.indexOf(event.kind) >= 0) {
        if (event.done !== false) done[doneKey(event.kind, event.id)] = item.ms;
        else delete done[doneKey(event.kind, event.id)];
      } else if (event.kind === "statement" || event.kind === "update") {
        lastUpdate = item.ms;
        if (event.kind === "statement" && !done[doneKey("target", "first_statement")]) done[doneKey("target", "first_statement")] = item.ms;
      }
    });
    state.done = done;
    state.lastUpdateMs = lastUpdate;
    // The incident began when the first phone started it.
    ordered.forEach(function (item) {
      if (item.event.kind === "start" && isMoment(item.ms) && item.ms < state.startedMs) state.startedMs = item.ms;
    });
  }

  // Who did the events from index "from" on, and a UUID for each that has none:
  // what this phone records, before it is saved, shared or sent.
  function stamp(state, from, by, newId) {
    for (var i = from; i < state.events.length; i++) {
      var event = state.events[i];
      if (by && !event.by) event.by = by.slice(0, MAX_BY);
      if (!event.event_id && newId) event.event_id = newId();
    }
  }

  // The events no one was named for yet (made before the reader said who they are),
  // given to "by": they were made on this phone.
  function sign(state, by) {
    state.events.forEach(function (event) {
      if (!event.by && by) event.by = by.slice(0, MAX_BY);
    });
  }

  // A log file (downloadLog's JSON, or the room's) read for adding to the incident of
  // the page's scenario ("plan/scenario"): {events, startedMs} or {problem}, where the
  // problem is "wrong" (not a log this page can read) or "other" (another scenario's).
  // Never throws; nothing in it is trusted: each event passes checkEvent.
  function readLog(text, scenario) {
    var file = typeof text === "string" && text.length <= MAX_TEXT * 50 ? parse(text) : text;
    if (!isRecord(file) || file.format !== FORMAT || file.version !== VERSION || !Array.isArray(file.events)) return { problem: "wrong" };
    var started = typeof file.started === "string" ? wholeSeconds(file.started) : "";
    if (file.events.length > MAX_EVENTS || !ISO_LOCAL.test(started)) return { problem: "wrong" };
    var parts = String(scenario).split("/");
    var plan = parts.slice(0, -1).join("/");
    if (file.scenario !== parts[parts.length - 1] || (file.plan && plan && file.plan !== plan)) return { problem: "other" };
    var by = typeof file.by === "string" ? file.by.slice(0, MAX_BY) : "";
    var events = [];
    for (var i = 0; i < file.events.length; i++) {
      var given = file.events[i];
      if (!isRecord(given)) return { problem: "wrong" };
      var event = {};
      // The room's log adds its "seq", and times with fractions of a second.
      Object.keys(given).forEach(function (key) { if (key !== "seq") event[key] = given[key]; });
      if (typeof event.at === "string") event.at = wholeSeconds(event.at);
      ["id", "language", "text"].forEach(function (key) { if (event[key] === "") delete event[key]; });
      if (!event.by && by) event.by = by;
      if (event.by === "") delete event.by;
      if (!checkEvent(event)) return { problem: "wrong" };
      events.push(event);
    }
    return { events: events, startedMs: Date.parse(started) };
  }

  // A moment as the room writes it (fractions of a second) as the log writes it.
  function wholeSeconds(iso) {
    return iso.replace(/\.\d+(?=[+-]\d{2}:\d{2}$)/, "");
  }

  /* The printable timeline: the log as a page to read, print or keep, in the page's
     language. Self-contained (no script, no request: its policy forbids them), so it
     opens from a downloads folder on a phone as well as on a computer. */

  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  var TIMELINE_STYLE =
    "body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111;background:#fff;margin:0}" +
    "main{max-width:50rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:0 0 .5rem}" +
    ".cp-period{margin:0 0 .5rem;font-weight:600}.cp-notice{margin:0 0 1rem;color:#444;font-size:.9rem}" +
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem .35rem 0;border-bottom:1px solid #bbb}" +
    "th{font-size:.85rem}td:nth-child(-n+2){white-space:nowrap;font-variant-numeric:tabular-nums}" +
    "td:last-child{white-space:pre-wrap;overflow-wrap:anywhere}.cp-unsent td{font-style:italic}" +
    "@page{margin:15mm}@media print{main{max-width:none;padding:0}tr{break-inside:avoid}}";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return HTML_ESCAPES[c]; });
  }

  // A day of the log ("2026-11-22") as the page's language writes it; the day as
  // written when the browser does not know the language.
  function longDate(day, language) {
    var parts = day.split("-");
    try {
      return new Date(Date.UTC(+parts[0], parts[1] - 1, +parts[2])).toLocaleDateString(language, {
        timeZone: "UTC", day: "numeric", month: "long", year: "numeric"
      });
    } catch (error) {
      return day;
    }
  }

  // A moment of the log as its own wall clock showed it: the time alone on the day
  // the incident began, the day and time on another.
  function logTime(iso, firstDay, language) {
    var day = iso.slice(0, 10);
    return (day === firstDay ? "" : longDate(day, language) + " ") + iso.slice(11, 16);
  }

  // One row: the time, the T+ (in the clock minutes the page counts) and the text.
  function timelineRow(file, at, text, say, className) {
    var since = Math.max(0, clock.minutesBetween(Date.parse(file.started), Date.parse(at)));
    return "<tr" + (className ? ' class="' + className + '"' : "") + "><td>" +
      escapeHtml(logTime(at, file.started.slice(0, 10), file.language)) + "</td><td>" +
      escapeHtml(say("at_time", { time: clock.spoken(since, say) })) + "</td><td>" + escapeHtml(text) + "</td></tr>";
  }

  // The log (as logDocument makes it) as a page; say(key, values) gives its words.
  function timelineHtml(file, say) {
    var title = say("incident_log") + (file.title ? ": " + file.title : "");
    var rows = file.events.map(function (event) { return timelineRow(file, event.at, describe(event, say), say, ""); });
    if (file.unsent_note) rows.push(timelineRow(file, file.saved, say("incident_log_unsent_note", { text: file.unsent_note }), say, "cp-unsent"));
    var when = function (iso) { return longDate(iso.slice(0, 10), file.language) + " " + iso.slice(11, 16); };
    return "<!DOCTYPE html>\n<html lang=\"" + escapeHtml(file.language || "") + "\"><head><meta charset=\"utf-8\">" +
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escapeHtml(title) + "</title>" +
      "<style>" + TIMELINE_STYLE + "</style></head><body><main><h1>" + escapeHtml(title) + "</h1>" +
      "<p class=\"cp-period\">" + escapeHtml(say("incident_print_period", { start: when(file.started), saved: when(file.saved) })) + "</p>" +
      (file.notice ? "<p class=\"cp-notice\">" + escapeHtml(file.notice) + "</p>" : "") +
      "<table><thead><tr><th scope=\"col\">" + escapeHtml(say("incident_print_time")) + "</th><th scope=\"col\">" +
      escapeHtml(say("at_time", { time: "" })) + "</th><th scope=\"col\">" + escapeHtml(say("incident_print_what")) +
      "</th></tr></thead><tbody>" + rows.join("") + "</tbody></table></main></body></html>\n";
  }

  function fileText(log) {
    return JSON.stringify(log, null, 2) + "\n";
  }

  cp.log = {
    FORMAT: FORMAT,
    VERSION: VERSION,
    STORE_PREFIX: STORE_PREFIX,
    SET_ASIDE_PREFIX: SET_ASIDE_PREFIX,
    checkState: checkState,
    restore: restore,
    storeKey: storeKey,
    legacyKey: legacyKey,
    sealSecret: sealSecret,
    seal: seal,
    unseal: unseal,
    sha256Hex: function (text) { return sha256(utf8(text)).map(function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join(""); },
    hmacHex: hmacHex,
    doneKey: doneKey,
    fieldKey: fieldKey,
    started: started,
    ticked: ticked,
    noted: noted,
    updated: updated,
    copied: copied,
    start: start,
    retime: retime,
    tick: tick,
    copy: copy,
    note: note,
    update: update,
    describe: describe,
    empty: newState,
    identity: identity,
    union: union,
    replay: replay,
    stamp: stamp,
    sign: sign,
    readLog: readLog,
    logDocument: logDocument,
    fileName: fileName,
    fileText: fileText,
    timelineHtml: timelineHtml
  };
})(window.crisisplan = window.crisisplan || {});
