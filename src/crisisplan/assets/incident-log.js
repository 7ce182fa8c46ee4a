/* crisisplan incident mode, part 3 of 4: the incident's state and its log.

   The state kept in localStorage (one entry per plan and scenario), the events of the
   log, and the log as a file: JSON that `crisisplan review SCENARIO --from-log FILE`
   reads (incident/review.py documents the format and checks it on the way in). Only
   strings, numbers and booleans go into the file, so it converts to YAML and back
   unchanged.

   Pure functions, no DOM: unit-tested with `node --test tests/js/`. Every one that
   records a moment takes "now" (milliseconds) as an argument. Plain script, not an ES
   module (module scripts are blocked from file://); it adds crisisplan.log to the
   namespace the incident scripts share, and uses crisisplan.clock (loaded before). */
(function (cp) {
  "use strict";

  var clock = cp.clock;
  var FORMAT = "crisisplan-incident-log";
  var VERSION = 1;
  // localStorage key of a scenario's incident: the prefix, then "plan/scenario".
  var STORE_PREFIX = "crisisplan-incident:";

  function isRecord(value) {
    return !!value && typeof value === "object" && !Array.isArray(value);
  }

  function newState(startedMs) {
    return { version: VERSION, startedMs: startedMs, done: {}, fields: {}, events: [], lastUpdateMs: null };
  }

  // The state kept in this browser, from its stored text; null when there is none or
  // it is not one this version wrote (another version, a half-written entry, text
  // from elsewhere). The parts a reader's page relies on get their right shape.
  function restore(text) {
    var saved;
    try {
      saved = JSON.parse(text || "null");
    } catch (error) {
      return null;
    }
    if (!isRecord(saved) || saved.version !== VERSION) return null;
    if (typeof saved.startedMs !== "number" || !isFinite(saved.startedMs)) return null;
    saved.done = isRecord(saved.done) ? saved.done : {};
    saved.fields = isRecord(saved.fields) ? saved.fields : {};
    saved.events = Array.isArray(saved.events) ? saved.events.filter(function (event) {
      return isRecord(event) && typeof event.at === "string" && typeof event.kind === "string";
    }) : [];
    if (typeof saved.lastUpdateMs !== "number") saved.lastUpdateMs = null;
    return saved;
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
  // language}; fields with no value are left out, the others sorted by key.
  function logDocument(page, state, nowMs) {
    var parts = String(page.scenario).split("/");
    var fields = {};
    Object.keys(state.fields).sort().forEach(function (key) {
      if (state.fields[key]) fields[key] = state.fields[key];
    });
    return {
      format: FORMAT,
      version: VERSION,
      plan: parts.slice(0, -1).join("/"),
      scenario: parts[parts.length - 1],
      // Material's permalink sign ends the heading's text.
      title: String(page.title || "").replace(/\u00b6$/, "").trim(),
      language: page.language,
      started: clock.isoLocal(state.startedMs),
      saved: clock.isoLocal(nowMs),
      events: state.events,
      fields: fields
    };
  }

  // "incident-hacked-account-20261122-1005.json": the scenario and the local start.
  function fileName(log) {
    var stamp = log.started.slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
    return "incident-" + log.scenario + "-" + stamp + ".json";
  }

  function fileText(log) {
    return JSON.stringify(log, null, 2) + "\n";
  }

  cp.log = {
    FORMAT: FORMAT,
    VERSION: VERSION,
    STORE_PREFIX: STORE_PREFIX,
    restore: restore,
    doneKey: doneKey,
    fieldKey: fieldKey,
    started: started,
    ticked: ticked,
    noted: noted,
    updated: updated,
    copied: copied,
    start: start,
    tick: tick,
    copy: copy,
    note: note,
    update: update,
    describe: describe,
    logDocument: logDocument,
    fileName: fileName,
    fileText: fileText
  };
})(window.crisisplan = window.crisisplan || {});
