/* The incident console's words (assets/incident-words.js): read from the page's
   data-cp-words, which the build writes from the gettext catalog, and filled in.
   Run: node --test tests/js/ */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { englishWords, load, plain } = require("./load.js");

const { words } = load("incident-words.js");
const english = englishWords();

test("the page's words are read from its data-cp-words", () => {
  const given = JSON.stringify({ incident_start: "Mulai insiden", incident_due_in: "dalam {time}" });
  assert.deepEqual(plain(words.parse(given)), { incident_start: "Mulai insiden", incident_due_in: "dalam {time}" });
});

test("only non-empty texts are words", () => {
  const given = JSON.stringify({ a: "", b: 5, c: null, d: ["x"], e: { f: "g" }, h: "kept" });
  assert.deepEqual(plain(words.parse(given)), { h: "kept" });
});

test("an attribute that is missing or not an object of words gives none", () => {
  for (const text of [null, undefined, "", "not json", "{", "[\"a\"]", "null", "5", "\"text\""]) {
    assert.deepEqual(plain(words.parse(text)), {}, String(text));
  }
});

test("labels are filled with their values", () => {
  assert.equal(words.fill("Started {time} · now {elapsed}", { time: "10:05", elapsed: "T+25m" }), "Started 10:05 · now T+25m");
  assert.equal(words.fill("Overdue: {count}", { count: 3 }), "Overdue: 3");
  // A value is inserted as written, even one that looks like a replacement pattern.
  assert.equal(words.fill("Note: {text}", { text: "$& and $1 {time}" }), "Note: $& and $1 {time}");
});

test("a placeholder without a value stays as written", () => {
  assert.equal(words.fill("{time} overdue", {}), "{time} overdue");
  assert.equal(words.fill("{Time} {toString} {constructor}", {}), "{Time} {toString} {constructor}");
});

test("a word is looked up and filled in the page's words", () => {
  const page = words.parse(JSON.stringify(english));
  assert.equal(words.say(page, "incident_due_in", { time: "4m" }), "in 4m");
  assert.equal(words.say(page, "incident_start"), "Start incident");
  assert.equal(words.say(page, "incident_log_note", { text: "Meta case opened" }), "Note: Meta case opened");
});

test("a word the page lacks shows as its key, never as English kept in the script", () => {
  assert.equal(words.say({}, "incident_start"), "incident_start");
  assert.equal(words.say({}, "toString"), "toString");
});
