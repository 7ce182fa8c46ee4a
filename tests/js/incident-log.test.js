/* The incident's state and log (assets/incident-log.js): the events, the state this
   browser keeps, and the file `crisisplan review --from-log` reads.
   Run: node --test tests/js/ */
"use strict";

process.env.TZ = "Europe/Copenhagen";

const crypto = require("node:crypto");
const test = require("node:test");
const assert = require("node:assert/strict");
const { englishWords, load, plain } = require("./load.js");

const { log, words } = load("incident-words.js", "incident-clock.js", "incident-log.js");
const english = englishWords();
const say = (key, values) => words.say(english, key, values);
const MINUTE = 60000;
// Sunday 22 November 2026, 10:05 in Copenhagen (UTC+1).
const NOW = Date.UTC(2026, 10, 22, 9, 5);
const AT = "2026-11-22T10:05:00+01:00";

function running() {
  return log.start(NOW, say("incident_log_started"));
}

test("an incident starts with an empty state and one event", () => {
  const state = running();
  assert.deepEqual(plain(state), {
    version: 1,
    startedMs: NOW,
    done: {},
    fields: {},
    events: [{ at: AT, kind: "start", text: "Incident started" }],
    lastUpdateMs: null
  });
});

test("a tick is kept as done and logged; an untick is logged and forgotten", () => {
  const state = running();
  log.tick(state, NOW + MINUTE, "action", "action-1", true, "Change the password");
  assert.equal(state.done["action/action-1"], NOW + MINUTE);
  log.tick(state, NOW + 2 * MINUTE, "action", "action-1", false, "Change the password");
  assert.equal("action/action-1" in state.done, false);
  const events = plain(state.events.slice(1));
  assert.deepEqual(events, [
    { at: "2026-11-22T10:06:00+01:00", kind: "action", id: "action-1", done: true, text: "Change the password" },
    { at: "2026-11-22T10:07:00+01:00", kind: "action", id: "action-1", done: false, text: "Change the password" }
  ]);
  // The file keeps the keys in this order: the review and a reader's eye expect it.
  assert.deepEqual(Object.keys(events[0]), ["at", "kind", "id", "done", "text"]);
});

test("a copied statement is logged, meets the first statement target once, and is an update", () => {
  const state = running();
  log.copy(state, NOW + 10 * MINUTE, { statement: "hacked-warning", language: "en", text: "Our account was hacked." });
  log.copy(state, NOW + 40 * MINUTE, { statement: "hacked-update", language: "", text: "Fixed." });
  assert.equal(state.done["target/first_statement"], NOW + 10 * MINUTE);
  assert.equal(state.lastUpdateMs, NOW + 40 * MINUTE);
  assert.deepEqual(plain(state.events[1]), {
    at: "2026-11-22T10:15:00+01:00", kind: "statement", id: "hacked-warning", language: "en", text: "Our account was hacked."
  });
});

test("whatever the copy event says, the log gets strings", () => {
  const event = log.copied(NOW, { statement: 5, text: null });
  assert.deepEqual(plain(event), { at: AT, kind: "statement", id: "5", language: "", text: "" });
  assert.deepEqual(plain(log.copied(NOW)), { at: AT, kind: "statement", id: "", language: "", text: "" });
});

test("a note clears the half-typed one; an update posted restarts the update cadence", () => {
  const state = running();
  state.note = "Meta sup";
  log.note(state, NOW, "Meta support case opened");
  log.update(state, NOW + MINUTE, say("incident_update_posted"));
  assert.equal(state.note, "");
  assert.equal(state.lastUpdateMs, NOW + MINUTE);
  assert.deepEqual(plain(state.events.slice(1)), [
    { at: AT, kind: "note", text: "Meta support case opened" },
    { at: "2026-11-22T10:06:00+01:00", kind: "update", text: "Update posted" }
  ]);
});

test("each event reads in the page's words", () => {
  const lines = [
    [{ kind: "start" }, "Incident started"],
    [{ kind: "note", text: "Call Meta" }, "Note: Call Meta"],
    [{ kind: "update", text: "anything" }, "Update posted"],
    [{ kind: "statement", id: "hacked-warning", language: "en", text: "Hacked." }, "Statement copied: hacked-warning (en): Hacked."],
    [{ kind: "statement", id: "hacked-warning", language: "", text: "Hacked." }, "Statement copied: hacked-warning: Hacked."],
    [{ kind: "action", id: "action-1", done: true, text: "Change the password" }, "Done: Change the password"],
    [{ kind: "escalation", id: "escalation-1", done: false, text: "" }, "Unticked: escalation-1"]
  ];
  for (const [event, text] of lines) assert.equal(log.describe(event, say), text, JSON.stringify(event));
});

test("the file has the format the review reads, fields with a value only", () => {
  const state = running();
  state.fields = { "hacked-warning/time": "16:00 GMT", "hacked-warning/platform": "Instagram", "hacked-warning/id/produk": "" };
  const notice = say("incident_log_unverified");
  const page = { scenario: "brightbrew/hacked-account", title: "Hacked account\u00b6", language: "en", notice: notice };
  const file = plain(log.logDocument(page, state, NOW + 30 * MINUTE));
  assert.deepEqual(file, {
    format: "crisisplan-incident-log",
    version: 1,
    plan: "brightbrew",
    scenario: "hacked-account",
    title: "Hacked account",
    language: "en",
    recorded_in: "browser",
    verified: false,
    notice: "Recorded in a web browser and not verified: other pages opened in the same browser could have changed these events.",
    started: AT,
    saved: "2026-11-22T10:35:00+01:00",
    events: [{ at: AT, kind: "start", text: "Incident started" }],
    fields: { "hacked-warning/platform": "Instagram", "hacked-warning/time": "16:00 GMT" }
  });
  assert.deepEqual(Object.keys(file.fields), ["hacked-warning/platform", "hacked-warning/time"]);
  assert.equal(log.fileName(file), "incident-hacked-account-20261122-1005.json");
  const text = log.fileText(file);
  assert.ok(text.endsWith("}\n"));
  assert.deepEqual(JSON.parse(text), file);
});

test("a plan in a folder keeps its path", () => {
  const file = log.logDocument({ scenario: "teams/brightbrew/outage", title: "", language: "da" }, running(), NOW);
  assert.equal(file.plan, "teams/brightbrew");
  assert.equal(file.scenario, "outage");
});

test("a field is keyed by statement, language when it has one, and placeholder", () => {
  assert.equal(log.fieldKey("hacked-warning", null, "platform"), "hacked-warning/platform");
  assert.equal(log.fieldKey("klarifikasi-hoaks", "id", "fakta"), "klarifikasi-hoaks/id/fakta");
  assert.equal(log.fieldKey(null, null, "time"), "/time");
  assert.equal(log.doneKey("target", "acknowledge"), "target/acknowledge");
});

test("a stored incident comes back as it was saved", () => {
  const state = running();
  log.tick(state, NOW + MINUTE, "escalation", "escalation-1", true, "Tell the CEO");
  state.fields["hacked-warning/platform"] = "Instagram";
  state.note = "half a no";
  state.lastUpdateMs = NOW + 5 * MINUTE;
  assert.deepEqual(plain(log.restore(JSON.stringify(state))), plain(state));
});

test("nothing stored, or what this version did not write, is no incident", () => {
  const refused = [
    null, undefined, "", "null", "not json", "[]", "5", "\"text\"",
    JSON.stringify({ startedMs: NOW }),
    JSON.stringify({ version: 2, startedMs: NOW }),
    JSON.stringify({ version: "1", startedMs: NOW }),
    JSON.stringify({ version: 1, startedMs: "2026-11-22T10:05" }),
    JSON.stringify({ version: 1 }),
    "{\"version\": 1, \"startedMs\": 1e400}"
  ];
  for (const text of refused) assert.equal(log.restore(text), null, String(text));
});

test("a stored incident with one damaged part is no incident: it is set aside whole", () => {
  const good = plain(running());
  const damaged = [
    { done: ["action/action-1"] },
    { fields: "Instagram" },
    { fields: { "a/b": 5 } },
    { fields: { "a/b": { toString: 1 } } },
    { events: [good.events[0], 5] },
    { events: [{ kind: "note", text: "no time" }] },
    { events: [{ at: AT, kind: 3 }] },
    { events: [{ at: AT, kind: "party" }] },
    { events: [{ at: "yesterday", kind: "note" }] },
    { events: [{ at: AT, kind: "note", text: { toString: 1 } }] },
    { events: [{ at: AT, kind: "action", id: "a", done: "yes" }] },
    { events: [{ at: AT, kind: "note", text: "x", script: "<b>" }] },
    { events: new Array(20001).fill(good.events[0]) },
    { lastUpdateMs: "10:30" },
    { startedMs: -1 },
    { startedMs: Date.UTC(2200, 0, 1) },
    { done: { "action/action-1": 1e300 } },
    { note: 5 },
    { planted: true }
  ];
  for (const change of damaged) {
    assert.equal(log.restore(JSON.stringify(Object.assign({}, good, change))), null, JSON.stringify(change).slice(0, 80));
  }
  // What the first versions wrote comes back, lastUpdateMs or not.
  const bare = { version: 1, startedMs: NOW, done: {}, fields: {}, events: [] };
  assert.deepEqual(plain(log.restore(JSON.stringify(bare))), Object.assign({ lastUpdateMs: null }, bare));
});

test("an incident is kept under its plan key when the page has one", () => {
  const key = "0123456789abcdef0123456789abcdef";
  assert.equal(log.storeKey("brightbrew/hacked-account", key), "crisisplan-incident:v2:" + key + ":brightbrew/hacked-account");
  // No key, or one that is not a digest: plan and scenario alone, still not the old key.
  for (const given of [null, "", "short", "../x", key.toUpperCase(), "0".repeat(129)]) {
    assert.equal(log.storeKey("brightbrew/hacked-account", given), "crisisplan-incident:v2:brightbrew/hacked-account", String(given));
  }
  assert.equal(log.legacyKey("brightbrew/hacked-account"), "crisisplan-incident:brightbrew/hacked-account");
  assert.equal(log.sealSecret(key), key);
  assert.equal(log.sealSecret("not hex"), "");
});

test("a sealed incident comes back; changed, moved or foreign, it has a problem", () => {
  const secret = "fedcba9876543210fedcba9876543210";
  const key = log.storeKey("brightbrew/hacked-account", "0123456789abcdef");
  const state = running();
  log.note(state, NOW, "Meta support case opened");
  const stored = log.seal(state, key, secret);
  assert.deepEqual(plain(log.unseal(stored, key, secret, true)), { state: plain(state), problem: null });
  assert.deepEqual(plain(log.unseal(null, key, secret, true)), { state: null, problem: null });
  const entry = JSON.parse(stored);
  const forged = JSON.stringify(Object.assign({}, entry, { state: entry.state.replace("Meta", "Forged") }));
  assert.equal(log.unseal(forged, key, secret, true).problem, "not sealed by this page");
  // Over http(s) the origin keeps other sites out: a new secret after a rebuild is fine.
  assert.equal(log.unseal(forged, key, secret, false).state.events[1].text, "Forged support case opened");
  // The same value under another plan's key, or sealed without the secret.
  assert.equal(log.unseal(stored, log.storeKey("brightbrew/hacked-account", "1111111111111111"), secret, true).problem, "not sealed by this page");
  assert.equal(log.unseal(log.seal(state, key, ""), key, secret, true).problem, "not sealed by this page");
  // Sealed, but damaged inside; the state of the first versions; not JSON at all.
  const broken = JSON.stringify({ version: 1, startedMs: "now" });
  const sealedBroken = JSON.stringify({ format: entry.format, version: 2, seal: log.hmacHex(secret, key + "\n" + broken), state: broken });
  assert.equal(log.unseal(sealedBroken, key, secret, true).problem, "damaged");
  for (const text of [JSON.stringify(state), "{", "", "null", "[]", JSON.stringify({ format: entry.format, version: 3, state: "{}" })]) {
    assert.deepEqual(plain(log.unseal(text, key, secret, true)), { state: null, problem: "not a stored incident" }, text);
  }
});

test("SHA-256 and HMAC-SHA-256 agree with Node's crypto", () => {
  const texts = ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "x".repeat(5000), "Ünïcödé 中文 😀", "lone \ud800 half"];
  for (const text of texts) {
    assert.equal(log.sha256Hex(text), crypto.createHash("sha256").update(text, "utf8").digest("hex"), text.slice(0, 20));
    for (const key of ["", "fedcba9876543210", "k".repeat(100)]) {
      assert.equal(log.hmacHex(key, text), crypto.createHmac("sha256", key).update(text, "utf8").digest("hex"));
    }
  }
});

// --- Issue 19: nothing typed is left out, and a log a person can read -----------------

test("a note still being typed goes into the file as unsent_note, not as an event", () => {
  const state = running();
  state.note = "  Meta case 123 op\n";
  const file = plain(log.logDocument({ scenario: "brightbrew/hacked-account", language: "en" }, state, NOW + 30 * MINUTE));
  assert.equal(file.unsent_note, "Meta case 123 op");
  assert.deepEqual(file.events.map((e) => e.kind), ["start"]);
  // Nothing typed, or spaces only: no key at all (the file stays as before).
  for (const note of [undefined, "", "  \n"]) {
    state.note = note;
    assert.ok(!("unsent_note" in log.logDocument({ scenario: "b/h", language: "en" }, state, NOW)), JSON.stringify(note));
  }
});

test("the start can be moved to when the incident began, with its event", () => {
  const state = running();
  log.tick(state, NOW + MINUTE, "action", "action-1", true, "Try to log in");
  log.retime(state, NOW - 25 * MINUTE);
  assert.equal(state.startedMs, NOW - 25 * MINUTE);
  assert.equal(state.events[0].at, "2026-11-22T09:40:00+01:00");
  assert.equal(state.events[1].at, "2026-11-22T10:06:00+01:00"); // the tick stays when it was made
  assert.ok(log.checkState(plain(state)));
});

function timelineOf(state, saved, title) {
  const page = { scenario: "brightbrew/hacked-account", title: title, language: "en", notice: say("incident_log_unverified") };
  return log.timelineHtml(log.logDocument(page, state, saved), say);
}

test("the printable timeline is a page in the page's words, with T+ as the clock counts", () => {
  const state = log.start(NOW + 40 * 1000, say("incident_log_started")); // 10:05:40
  log.tick(state, NOW + 12 * MINUTE + 10 * 1000, "action", "action-1", true, "Try to log in");
  log.copy(state, NOW + 20 * MINUTE, { statement: "hacked-warning", language: "en", text: "Our account was hacked.\nDon't click." });
  log.note(state, NOW + 21 * MINUTE, "Meta case opened");
  state.note = "Half typed";
  const html = timelineOf(state, NOW + 30 * MINUTE, "Hacked account");
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  assert.match(html, /<title>Incident log: Hacked account<\/title>/);
  assert.match(html, /<h1>Incident log: Hacked account<\/h1>/);
  assert.match(html, /Started [^<]*2026 10:05 · log saved [^<]*2026 10:35/);
  assert.match(html, /<p class="cp-notice">Recorded in a web browser and not verified/);
  assert.match(html, /<th scope="col">Time<\/th><th scope="col">T\+<\/th><th scope="col">What happened<\/th>/);
  const rows = [...html.matchAll(/<tr( class="[^"]*")?><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
  assert.deepEqual(rows, [
    [undefined, "10:05", "T+0m", "Incident started"],
    [undefined, "10:17", "T+12m", "Done: Try to log in"],
    [undefined, "10:25", "T+20m", "Statement copied: hacked-warning (en): Our account was hacked.\nDon&#39;t click."],
    [undefined, "10:26", "T+21m", "Note: Meta case opened"],
    [' class="cp-unsent"', "10:35", "T+30m", "Note not yet added to the log (still being typed when the log was saved): Half typed"]
  ]);
});

test("the printable timeline escapes what was typed and asks for nothing from the network", () => {
  const state = running();
  log.note(state, NOW + MINUTE, '<img src="https://example.com/x.png"> & <script>alert(1)</script>');
  const html = timelineOf(state, NOW + 24 * 60 * MINUTE + 5 * MINUTE, '<b>"Hacked"</b>');
  assert.ok(!/<(img|script|link|iframe)|\s(src|href)="|url\(/i.test(html));
  assert.match(html, /Note: &lt;img src=&quot;https:\/\/example.com\/x.png&quot;&gt; &amp; &lt;script&gt;/);
  assert.match(html, /<h1>Incident log: &lt;b&gt;&quot;Hacked&quot;&lt;\/b&gt;<\/h1>/);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
  assert.match(html, /@media print/);
});

test("another day's events carry their date, in the page's language", () => {
  const state = running();
  log.note(state, NOW + 24 * 60 * MINUTE, "Next morning");
  const page = { scenario: "b/h", title: "", language: "da", notice: "" };
  const html = log.timelineHtml(log.logDocument(page, state, NOW + 25 * 60 * MINUTE), say);
  assert.match(html, /<html lang="da">/);
  assert.match(html, /<td>23\. november 2026 10:05<\/td><td>T\+1d<\/td><td>Note: Next morning<\/td>/);
  assert.equal(log.fileName(log.logDocument(page, state, NOW), "html"), "incident-h-20261122-1005.html");
});
