/* Handing an incident from phone to phone (assets/incident-share.js and the union
   in incident-log.js): a log from another phone added once, however often it comes;
   QR parts and the links they hold; the room's queue and join codes.
   Run: node --test tests/js/ */
"use strict";

process.env.TZ = "Europe/Copenhagen";

const crypto = require("node:crypto");
const test = require("node:test");
const assert = require("node:assert/strict");
const { loadWith, plain } = require("./load.js");

const BROWSER = {
  TextEncoder, TextDecoder, Blob, Response, CompressionStream, DecompressionStream, Uint8Array, Array, Object, JSON
};
const { log, share } = loadWith(BROWSER, "incident-words.js", "incident-clock.js", "incident-log.js", "incident-share.js");
const NOW = Date.UTC(2026, 10, 22, 9, 5);
const MINUTE = 60000;
const SCENARIO = "brightbrew/hacked-account";
let counter = 0;
const newId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}`;

// A phone's incident: started at NOW by `by`, then its ticks and notes, each stamped.
function phone(by, steps) {
  const state = log.start(NOW, "Incident started");
  log.stamp(state, 0, by, newId);
  for (const [minutes, make] of steps) {
    const from = state.events.length;
    make(state, NOW + minutes * MINUTE);
    log.stamp(state, from, by, newId);
  }
  return state;
}

function file(state, by) {
  return log.logDocument({ scenario: SCENARIO, title: "Hacked", language: "en", notice: "", by }, state, NOW + 60 * MINUTE);
}

test("events of the same second end in the room's order on every phone, whatever order they came in", () => {
  const lead = phone("Crisis lead", [[2, (s, at) => log.note(s, at, "Lead's note")]]);
  const legal = phone("Legal counsel", [[2, (s, at) => log.note(s, at, "Legal's note")]]);
  const offline = phone("Wayan", [[2, (s, at) => log.note(s, at, "Wayan's note")]]);
  const notes = (state) => state.events.filter((e) => e.kind === "note").map((e) => e.by);
  const all = [lead, legal, offline].flatMap((state) => state.events.filter((e) => e.kind === "note"));
  // The room's seq: the order the room stored them in (Wayan's came last, back from offline).
  const seq = Object.fromEntries(all.map((event, index) => [event.event_id, index + 1]));
  const rank = (event) => seq[event.event_id];
  // The lead hears Legal first, then Wayan; Wayan sends its own and then hears the others.
  log.union(lead, [all[1]], undefined, rank);
  log.union(lead, [all[2]], undefined, rank);
  log.union(offline, [all[1], all[0]], undefined, rank);
  assert.deepEqual(plain(notes(lead)), ["Crisis lead", "Legal counsel", "Wayan"]);
  assert.deepEqual(plain(notes(offline)), plain(notes(lead)));
  // Without the room's order, the same second keeps the order each phone heard things in.
  const other = phone("Wayan", [[2, (s, at) => log.note(s, at, "Wayan's note")]]);
  log.union(other, [all[1], all[0]]);
  assert.deepEqual(plain(notes(other)), ["Wayan", "Legal counsel", "Crisis lead"]);
});

test("a log from another phone is added once, however often it is added", () => {
  const lead = phone("Crisis lead", [[2, (s, at) => log.tick(s, at, "action", "action-1", true, "Lock")]]);
  const social = phone("Social lead", [
    [3, (s, at) => log.note(s, at, "Meta case opened")],
    [4, (s, at) => log.tick(s, at, "action", "action-2", true, "Post")],
  ]);
  const read = log.readLog(log.fileText(file(social, "Social lead")), SCENARIO);
  assert.equal(read.problem, undefined);
  assert.equal(log.union(lead, read.events, read.startedMs), 3); // its start, note and tick
  assert.equal(log.union(lead, read.events, read.startedMs), 0);
  assert.equal(log.union(lead, log.readLog(log.fileText(file(lead, "Crisis lead")), SCENARIO).events), 0);
  assert.deepEqual(
    plain(lead.events.map((e) => [e.kind, e.by, e.id || e.text])),
    [
      ["start", "Crisis lead", "Incident started"],
      ["start", "Social lead", "Incident started"],
      ["action", "Crisis lead", "action-1"],
      ["note", "Social lead", "Meta case opened"],
      ["action", "Social lead", "action-2"],
    ],
  );
  assert.deepEqual(Object.keys(lead.done).sort(), ["action/action-1", "action/action-2"]);
  assert.ok(log.checkState(lead));
});

test("ticks two phones disagree on both stay; the later one decides what shows", () => {
  const a = phone("Crisis lead", [[2, (s, at) => log.tick(s, at, "action", "action-1", true, "Lock")]]);
  const b = phone("Legal", [[5, (s, at) => log.tick(s, at, "action", "action-1", false, "Lock")]]);
  log.union(a, b.events, b.startedMs);
  const ticks = a.events.filter((e) => e.kind === "action").map((e) => [e.by, e.done]);
  assert.deepEqual(plain(ticks), [["Crisis lead", true], ["Legal", false]]);
  assert.equal(a.done["action/action-1"], undefined);
});

test("a log without UUIDs (an older console) is told apart by what it says", () => {
  const a = log.start(NOW, "Incident started");
  const older = { ...file(a, "Legal"), events: [{ at: "2026-11-22T10:07:00+01:00", kind: "note", text: "called" }] };
  const read = log.readLog(JSON.stringify(older), SCENARIO);
  assert.deepEqual(plain(read.events), [{ at: "2026-11-22T10:07:00+01:00", kind: "note", text: "called", by: "Legal" }]);
  assert.equal(log.union(a, read.events), 1);
  assert.equal(log.union(a, read.events), 0);
});

test("the room's log, with seq and fractions of a second, is read as a log", () => {
  const room = {
    format: "crisisplan-incident-log", version: 1, plan: "brightbrew", scenario: "hacked-account",
    started: "2026-11-22T10:05:00.123456+01:00", recorded_in: "room", saved: "2026-11-22T11:00:00+01:00",
    events: [{ event_id: newId(), at: "2026-11-22T10:06:01.5+01:00", kind: "note", id: "", done: true, language: "", text: "x", by: "Legal", seq: 2 }],
  };
  const read = log.readLog(JSON.stringify(room), SCENARIO);
  assert.equal(read.startedMs, Date.parse("2026-11-22T10:05:00+01:00"));
  assert.equal(read.events[0].at, "2026-11-22T10:06:01+01:00");
  assert.equal(read.events[0].seq, undefined);
});

test("a file that is not a log, or another scenario's, is refused with which", () => {
  const good = file(log.start(NOW, "Incident started"), "");
  assert.deepEqual(plain(log.readLog("not json", SCENARIO)), { problem: "wrong" });
  assert.deepEqual(plain(log.readLog("{}", SCENARIO)), { problem: "wrong" });
  assert.deepEqual(plain(log.readLog(JSON.stringify({ ...good, events: [{ at: "yesterday", kind: "note" }] }), SCENARIO)), { problem: "wrong" });
  assert.deepEqual(plain(log.readLog(JSON.stringify({ ...good, events: [{ at: good.started, kind: "note", evil: 1 }] }), SCENARIO)), { problem: "wrong" });
  assert.deepEqual(plain(log.readLog(JSON.stringify(good), "brightbrew/outage")), { problem: "other" });
  assert.deepEqual(plain(log.readLog(JSON.stringify(good), "otherplan/hacked-account")), { problem: "other" });
});

test("a log goes through QR parts and back, compressed, in any order of scanning", async () => {
  const state = phone("Crisis lead", []);
  for (let i = 0; i < 60; i++) log.note(state, NOW + i * 1000, `Note number ${i}: ` + "ø".repeat(20));
  log.stamp(state, 0, "Crisis lead", newId);
  const packed = await share.pack(file(state, "Crisis lead"));
  assert.equal(packed[0], "z");
  assert.ok(packed.length < JSON.stringify(file(state)).length / 2, "compressed");
  const parts = share.parts(packed, "k3x9", 300);
  assert.ok(parts.length > 1);
  const links = parts.map((part) => share.logLink("https://runbook.example/brightbrew/scenarios/hacked-account.html#cp-statements", part));
  assert.ok(links[0].startsWith("https://runbook.example/brightbrew/scenarios/hacked-account.html#cp-log=k3x9.1."));
  let held = null;
  let got = null;
  for (const link of links.slice().reverse()) {
    const found = share.readFragment(new URL(link).hash);
    ({ held, packed: got } = share.gather(held, found.log));
  }
  const back = log.readLog(await share.unpack(got), SCENARIO);
  assert.deepEqual(plain(back.events), plain(state.events));
  assert.equal(log.union(state, back.events), 0);
});

test("a packed log that is damaged is no log", async () => {
  assert.equal(await share.unpack("z" + share.toBase64(new TextEncoder().encode("garbage"))), null);
  assert.equal(await share.unpack("q!!"), null);
  assert.equal(share.readFragment("#cp-log=k3x9.4.3.zabc"), null);
  assert.equal(share.readFragment("#cp-log=k3x9.1.99.zabc"), null);
  assert.equal(share.readFragment("#cp-statements"), null);
});

test("the join code reads out, types back and travels in the QR link", () => {
  const code = share.joinCode("h3kq9m2x", "K7M2Q-X9PAB");
  assert.equal(code, "H3KQ-9M2X-K7M2Q-X9PAB");
  assert.deepEqual(plain(share.parseJoin(" h3kq 9m2x k7m2q-x9pab ")), { incident: "h3kq9m2x", code: "K7M2QX9PAB" });
  assert.equal(share.parseJoin("H3KQ-9M2X-K7M2Q"), null);
  assert.equal(share.parseJoin("H3KQ-9M2X-K7M2Q-X9PA0"), null); // 0 is not in the alphabet
  const link = share.roomLink("https://runbook.example/p.html#x", "https://room.example.org", "h3kq9m2x", "K7M2Q-X9PAB");
  assert.deepEqual(plain(share.readFragment(new URL(link).hash)), {
    room: { address: "https://room.example.org", incident: "h3kq9m2x", code: "K7M2QX9PAB" },
  });
});

test("the queue holds each event once and lets go of what the room acknowledged", () => {
  const events = [1, 2, 3].map((n) => ({ event_id: `e${n}`, at: "2026-11-22T10:05:00+01:00", kind: "note", text: `n${n}` }));
  let queue = share.enqueue([], events.slice(0, 2));
  queue = share.enqueue(queue, events); // sent again: e1, e2 already held
  assert.deepEqual(queue.map((e) => e.event_id), ["e1", "e2", "e3"]);
  queue = share.acknowledge(queue, [{ event_id: "e2", seq: 7, new: true }, { event_id: "e9", seq: 8 }]);
  assert.deepEqual(queue.map((e) => e.event_id), ["e1", "e3"]);
  assert.deepEqual(plain(share.forRoom(events[0])), { event_id: "e1", at: events[0].at, kind: "note", id: "", done: true, language: "", text: "n1", by: "" });
});

test("the room's clock corrects the phone's; a UUID is made without randomUUID too", () => {
  assert.equal(share.clockOffset("2026-11-22T09:05:10Z", NOW, NOW + 2000), 9000);
  assert.equal(share.clockOffset("not a time", NOW, NOW), 0);
  const made = share.uuid({ getRandomValues: (bytes) => crypto.getRandomValues(bytes) });
  assert.match(made, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
