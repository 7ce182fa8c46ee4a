/* The incident clock (assets/incident-clock.js): durations, elapsed time, what is due
   and overdue, and moments on the reader's wall clock. Run: node --test tests/js/ */
"use strict";

// Before any date is made: a zone with a daylight saving time, far from UTC.
process.env.TZ = "Europe/Copenhagen";

const test = require("node:test");
const assert = require("node:assert/strict");
const { englishWords, load, plain } = require("./load.js");

const { clock, words } = load("incident-words.js", "incident-clock.js");
const english = englishWords();
const MINUTE = 60000;
const SECOND = 1000;
// Sunday 22 November 2026, 10:05 in Copenhagen (UTC+1).
const NOW = Date.UTC(2026, 10, 22, 9, 5);

test("durations are written in the plan's notation", () => {
  const cases = [[1, "1m"], [15, "15m"], [59, "59m"], [60, "1h"], [90, "1h30m"], [1440, "1d"], [1501, "1d1h1m"], [2 * 1440 + 5, "2d5m"]];
  for (const [minutes, text] of cases) assert.equal(clock.duration(minutes), text, `${minutes} minutes`);
});

test("no time, less than none, or not a number is 0m", () => {
  for (const minutes of [0, -5, null, undefined, NaN]) assert.equal(clock.duration(minutes), "0m", String(minutes));
});

test("a deadline falls due its offset after the start", () => {
  assert.equal(clock.due(NOW, 15), NOW + 15 * MINUTE);
  assert.equal(clock.due(NOW, 0), NOW);
});

test("the time since the start counts whole minutes", () => {
  const start = NOW - 25 * MINUTE - 59 * SECOND;
  assert.equal(clock.elapsed(start, NOW), "25m");
  assert.equal(clock.elapsed(NOW - 90 * MINUTE, NOW), "1h30m");
  assert.equal(clock.elapsed(NOW, NOW), "0m");
  // A start typed up to a minute ahead of this clock (another device's time).
  assert.equal(clock.elapsed(NOW + 30 * SECOND, NOW), "0m");
  assert.equal(words.say(english, "at_time", { time: clock.elapsed(NOW - 25 * MINUTE, NOW) }), "T+25m");
});

test("a deadline ahead says how long is left: in 4m", () => {
  const left = clock.left(NOW + 4 * MINUTE, NOW);
  assert.deepEqual(plain(left), { overdue: false, time: "4m" });
  assert.equal(words.say(english, "incident_due_in", { time: left.time }), "in 4m");
  assert.equal(clock.left(NOW + 90 * MINUTE, NOW).time, "1h30m");
});

test("what is left counts the minute that has begun", () => {
  assert.equal(clock.left(NOW + 3 * MINUTE + 10 * SECOND, NOW).time, "4m");
  assert.equal(clock.left(NOW + 4 * MINUTE + 59 * SECOND, NOW).time, "5m");
  // Never "in 0m" while the deadline is still ahead.
  assert.deepEqual(plain(clock.left(NOW + SECOND, NOW)), { overdue: false, time: "1m" });
});

test("a deadline passed is overdue, by at least a minute", () => {
  assert.deepEqual(plain(clock.left(NOW, NOW)), { overdue: true, time: "1m" });
  assert.deepEqual(plain(clock.left(NOW - 10 * SECOND, NOW)), { overdue: true, time: "1m" });
  assert.equal(clock.left(NOW - 5 * MINUTE, NOW).time, "5m");
  assert.equal(clock.left(NOW - 5 * MINUTE - SECOND, NOW).time, "6m");
  const late = clock.left(NOW - 70 * MINUTE, NOW);
  assert.equal(words.say(english, "incident_overdue", { time: late.time }), "1h10m overdue");
});

test("an empty or unreadable start time means now", () => {
  for (const typed of ["", null, undefined, "soon", "9.40"]) assert.equal(clock.startedAt(typed, NOW), NOW, String(typed));
});

test("a start time typed earlier today is today's", () => {
  assert.equal(clock.startedAt("09:40", NOW), NOW - 25 * MINUTE);
  assert.equal(clock.startedAt("9:40", NOW), NOW - 25 * MINUTE);
  // Seconds of this clock do not count: "10:05" at 10:05:30 is 10:05:00.
  assert.equal(clock.startedAt("10:05", NOW + 30 * SECOND), NOW);
  // Up to a minute ahead is a clock slightly behind, not yesterday.
  assert.equal(clock.startedAt("10:06", NOW), NOW + MINUTE);
});

test("a start time later than now was yesterday's: incidents run through midnight", () => {
  assert.equal(clock.startedAt("23:50", NOW), Date.UTC(2026, 10, 21, 22, 50));
  assert.equal(clock.startedAt("10:07", NOW), NOW + 2 * MINUTE - 24 * 60 * MINUTE);
});

test("a time of day today is the clock alone, another day's carries its weekday", () => {
  assert.equal(clock.timeOfDay(NOW, NOW, "en"), "10:05");
  assert.equal(clock.timeOfDay(NOW + 5 * MINUTE, NOW, "en"), "10:10");
  const yesterday = Date.UTC(2026, 10, 21, 22, 50);
  assert.equal(clock.timeOfDay(yesterday, NOW, "en"), "Sat 23:50");
  // In the page's language (the exact abbreviation is the browser's, from CLDR).
  assert.match(clock.timeOfDay(yesterday, NOW, "da"), /^l\u00f8r\S* 23:50$/);
  // A language code the browser does not know: the time alone, never an error.
  assert.equal(clock.timeOfDay(yesterday, NOW, "x!"), "23:50");
});

test("moments in the log carry the reader's own offset", () => {
  assert.equal(clock.isoLocal(NOW), "2026-11-22T10:05:00+01:00");
  assert.equal(clock.isoLocal(Date.UTC(2026, 6, 1, 7, 0, 9)), "2026-07-01T09:00:09+02:00");
  try {
    process.env.TZ = "America/St_Johns";
    assert.equal(clock.isoLocal(NOW), "2026-11-22T05:35:00-03:30");
    process.env.TZ = "Asia/Kolkata";
    assert.equal(clock.isoLocal(NOW), "2026-11-22T14:35:00+05:30");
  } finally {
    process.env.TZ = "Europe/Copenhagen";
  }
});
