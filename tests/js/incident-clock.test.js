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

test("the time since the start counts clock minutes", () => {
  assert.equal(clock.elapsed(NOW - 25 * MINUTE, NOW), "25m");
  assert.equal(clock.elapsed(NOW - 90 * MINUTE, NOW), "1h30m");
  assert.equal(clock.elapsed(NOW, NOW), "0m");
  // A start typed up to a minute ahead of this clock (another device's time).
  assert.equal(clock.elapsed(NOW + 30 * SECOND, NOW), "0m");
  assert.equal(words.say(english, "at_time", { time: clock.elapsed(NOW - 25 * MINUTE, NOW) }), "T+25m");
});

// Issue 19: started 14:00, the clock said T+11m at 14:12 while the deadlines counted
// their minutes up. Everything now counts the minutes the reader's clock shows.
const AT_1400 = Date.UTC(2026, 10, 22, 13, 0); // 14:00 in Copenhagen

test("started 14:00, at 14:12 the clock says T+12m, whatever the seconds", () => {
  assert.equal(clock.timeOfDay(AT_1400, AT_1400, "en"), "14:00");
  assert.equal(clock.elapsed(AT_1400, AT_1400 + 12 * MINUTE), "12m");
  // "Start incident" pressed at 14:00:40, looked at 14:12:10: still 14:00 to 14:12.
  assert.equal(clock.elapsed(AT_1400 + 40 * SECOND, AT_1400 + 12 * MINUTE + 10 * SECOND), "12m");
  assert.equal(clock.elapsed(AT_1400, AT_1400 + 12 * MINUTE + 59 * SECOND), "12m");
  assert.equal(clock.elapsed(AT_1400 + 59 * SECOND, AT_1400 + 12 * MINUTE), "12m");
});

test("T+ and what is left add up to the deadline's T+, at any second", () => {
  for (const startSeconds of [0, 1, 40, 59]) {
    const start = AT_1400 + startSeconds * SECOND;
    const due = clock.due(start, 15); // the T+15m deadline, shown as 14:15
    assert.equal(clock.timeOfDay(due, start, "en"), "14:15");
    for (const nowSeconds of [0, 10, 59]) {
      const now = AT_1400 + 12 * MINUTE + nowSeconds * SECOND; // the reader's 14:12
      const at = `start :${startSeconds}, now 14:12:${nowSeconds}`;
      assert.equal(clock.elapsed(start, now), "12m", at);
      assert.deepEqual(plain(clock.left(due, now)), { overdue: false, now: false, time: "3m" }, at);
      assert.equal(words.say(english, "incident_due_in", { time: clock.left(due, now).time }), "in 3m");
      // At 14:17 the same deadline is 2 minutes overdue: T+17m is T+15m and 2m.
      const later = now + 5 * MINUTE;
      assert.equal(clock.elapsed(start, later), "17m", at);
      assert.deepEqual(plain(clock.left(due, later)), { overdue: true, now: false, time: "2m" }, at);
    }
  }
});

test("a deadline ahead says how long is left: in 4m", () => {
  const left = clock.left(NOW + 4 * MINUTE, NOW);
  assert.deepEqual(plain(left), { overdue: false, now: false, time: "4m" });
  assert.equal(words.say(english, "incident_due_in", { time: left.time }), "in 4m");
  assert.equal(clock.left(NOW + 90 * MINUTE, NOW).time, "1h30m");
  // 3m10s ahead on the minute 10:08:10: due at the clock's 10:08, 3 minutes from 10:05.
  assert.equal(clock.left(NOW + 3 * MINUTE + 10 * SECOND, NOW).time, "3m");
  assert.equal(clock.left(NOW + 4 * MINUTE + 59 * SECOND, NOW).time, "4m");
});

test("in its own minute a deadline is due now, never 'in 0m' nor '0m overdue'", () => {
  const dueNow = { overdue: false, now: true, time: "0m" };
  assert.deepEqual(plain(clock.left(NOW, NOW)), dueNow);
  assert.deepEqual(plain(clock.left(NOW + 59 * SECOND, NOW)), dueNow);
  assert.deepEqual(plain(clock.left(NOW, NOW + 59 * SECOND)), dueNow);
  assert.equal(words.say(english, "incident_due_now"), "due now");
});

test("from the next minute on a deadline is overdue, by the minutes since", () => {
  assert.deepEqual(plain(clock.left(NOW - MINUTE, NOW)), { overdue: true, now: false, time: "1m" });
  assert.deepEqual(plain(clock.left(NOW - 10 * SECOND, NOW)), { overdue: true, now: false, time: "1m" });
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

// Issue 19: the console's clock said "12m" and "1h" on Danish, Malay and Indonesian
// pages. The page gives its duration_* labels (publish/site/pages.py incident_words),
// as the build writes them from each catalog; the clock says durations with them.
const PAGE_WORDS = {
  da: { duration_minutes: "{count} min", duration_minutes_one: "{count} min", duration_hours: "{count} t", duration_hours_one: "{count} t", duration_days: "{count} dage", duration_days_one: "{count} dag", duration_join: "{larger} {smaller}", at_time: "T+{time}" },
  id: { duration_minutes: "{count} mnt", duration_minutes_one: "{count} mnt", duration_hours: "{count} jam", duration_hours_one: "{count} jam", duration_days: "{count} hari", duration_days_one: "{count} hari", duration_join: "{larger} {smaller}", at_time: "T+{time}" },
};
const sayIn = (language) => (key, values) => words.say(PAGE_WORDS[language], key, values);

test("durations in the page's words: '1 t 30 min' in Danish, '1 jam 30 mnt' in Indonesian", () => {
  const da = sayIn("da");
  const cases = [[0, "0 min"], [12, "12 min"], [60, "1 t"], [90, "1 t 30 min"], [1440, "1 dag"], [2 * 1440 + 61, "2 dage 1 t 1 min"], [-5, "0 min"], [NaN, "0 min"]];
  for (const [minutes, text] of cases) assert.equal(clock.spoken(minutes, da), text, `${minutes} minutes`);
  assert.equal(clock.spoken(90, sayIn("id")), "1 jam 30 mnt");
});

test("the running clock, what is left and what is overdue speak the page's language", () => {
  const da = sayIn("da");
  assert.equal(words.say(PAGE_WORDS.da, "at_time", { time: clock.elapsed(AT_1400, AT_1400 + 12 * MINUTE, da) }), "T+12 min");
  assert.equal(clock.elapsed(AT_1400, AT_1400 + 60 * MINUTE, da), "1 t");
  assert.deepEqual(plain(clock.left(AT_1400 + 15 * MINUTE, AT_1400 + 11 * MINUTE, da)), { overdue: false, now: false, time: "4 min" });
  assert.deepEqual(plain(clock.left(AT_1400, AT_1400 + 75 * MINUTE, sayIn("id"))), { overdue: true, now: false, time: "1 jam 15 mnt" });
});

test("without the page's words, or a label it lacks, durations keep the plan's notation", () => {
  assert.equal(clock.spoken(90), "1h30m");
  assert.equal(clock.elapsed(AT_1400, AT_1400 + 90 * MINUTE), "1h30m");
  assert.equal(clock.spoken(90, (key) => key), "1h30m");
  assert.equal(clock.spoken(90, (key, values) => words.say(english, key, values)), "1h30m");
  // English pages: the catalog's own English forms.
  const en = { duration_minutes: "{count}m", duration_hours: "{count}h", duration_join: "{larger}{smaller}" };
  assert.equal(clock.spoken(90, (key, values) => words.say(en, key, values)), "1h30m");
});
