/* Ranking scenarios for Enter in the search box (assets/search-scenarios.js): what the
   plans say about each scenario, the reader's plan and language first, one typo, Malay
   and Indonesian roots, and the labels of other plans' results. Run: node --test tests/js/ */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { load } = require("./load.js");

const { searchScenarios: search } = load("search-scenarios.js");

// As search.py writes them into the index, with a little of each page's text.
const SCENARIOS = [
  { location: "acme/scenarios/leak.html", plan: "acme", lang: "en", title: "customer data breach", terms: "data breach leak phishing instagram", text: "instagram" },
  { location: "acme/scenarios/hacked.html", plan: "acme", lang: "en", title: "a brand social media account is hacked", terms: "hacked giveaway scam instagram", text: "instagram instagram our instagram account" },
  { location: "kod/scenarios/kesat.html", plan: "kod", lang: "ms", title: "hantaran kesat", terms: "buli bullying instagram abusive", text: "instagram instagram instagram instagram" },
  { location: "kod/scenarios/bocor.html", plan: "kod", lang: "ms", title: "kebocoran bocor data peribadi", terms: "kebocoran bocor data breach instagram", text: "" },
];
const PLANS = [{ slug: "acme", name: "Acme", lang: "en" }, { slug: "kod", name: "KodMuda", lang: "ms" }];
const START = { plan: "", lang: "en" };

function first(query, here) {
  const found = search.rank(query, SCENARIOS, here || START)[0];
  return found ? found.location : null;
}

test("a channel every scenario has: the reader's language first, then the page that says it most", () => {
  assert.equal(first("instagram"), "acme/scenarios/hacked.html");
  assert.equal(first("Instagram", { plan: "kod", lang: "ms" }), "kod/scenarios/kesat.html");
});

test("one typo in a longer word still finds it; in a short word it does not", () => {
  assert.equal(first("instgram"), "acme/scenarios/hacked.html");
  assert.equal(first("giveway"), "acme/scenarios/hacked.html");
  assert.equal(search.oneEdit("hoaks", "hoask"), true);
  assert.equal(search.oneEdit("bocor", "bocoran"), false);
  assert.equal(first("bul"), "kod/scenarios/kesat.html"); // the start of a word
  assert.equal(first("bxli"), null);
});

test("a scenario with more of the words wins over the reader's own language", () => {
  assert.equal(first("data bocor"), "kod/scenarios/bocor.html");
  assert.equal(first("data breach"), "acme/scenarios/leak.html");
});

test("Malay and Indonesian affixes come off what is typed", () => {
  assert.ok(search.roots("bocoran").includes("bocor"));
  assert.ok(search.roots("dibatalkan").includes("batal"));
  assert.equal(first("bocoran data"), "kod/scenarios/bocor.html");
});

test("the title counts more than the terms", () => {
  const two = [
    { location: "a.html", plan: "p", lang: "en", title: "recall", terms: "allergy", text: "" },
    { location: "b.html", plan: "p", lang: "en", title: "allergy", terms: "recall", text: "" },
  ];
  assert.equal(search.rank("allergy", two, START)[0].location, "b.html");
});

test("nothing typed, or nothing any scenario has: no scenario, the engine's Enter", () => {
  for (const query of ["", "  ", "zzzz"]) assert.equal(search.rank(query, SCENARIOS, START).length, 0, query);
});

test("results of another plan or language are labelled with its name and language", () => {
  const names = (code) => ({ en: "English", ms: "Malay" })[code];
  assert.equal(search.label("kod/statements.html", PLANS, START, names), "KodMuda · Malay");
  assert.equal(search.label("acme/statements.html", PLANS, START, names), "");
  assert.equal(search.label("acme/team.html", PLANS, { plan: "kod", lang: "ms" }, names), "Acme · English");
  assert.equal(search.label("kod/team.html", PLANS, { plan: "kod", lang: "ms" }, names), "");
  assert.equal(search.label("index.html", PLANS, START, names), "");
});
