/* Loads crisisplan's plain site scripts the way a page does (one after another, in
   one global scope with a `window`), but in a Node vm context: no browser, no DOM.
   Only the pure scripts can run here; incident.js wires the page and is tested in
   Chromium (tests/test_incident_browser.py). */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const SRC = path.join(__dirname, "..", "..", "src", "crisisplan");
const ASSETS = path.join(SRC, "assets");
const TEMPLATE = path.join(SRC, "locale", "crisisplan.pot");

// The window.crisisplan namespace after running the named scripts of assets/, in order.
function load(...names) {
  return loadWith({}, ...names);
}

// The same, in a window that also has the given globals of the browser (TextEncoder,
// CompressionStream...: Node's own, which follow the same standards).
function loadWith(globals, ...names) {
  const sandbox = { ...globals };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  for (const name of names) {
    const file = path.join(ASSETS, name);
    vm.runInContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
  }
  return sandbox.crisisplan;
}

// A value made in the vm context as a plain value of this one: objects from another
// context have another Object.prototype, which deepStrictEqual holds against them.
function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

// The English labels, key (msgctxt) -> text (msgid), from the catalog the pages are
// written from: the tests take the words from where the site does, not from a copy.
function englishWords() {
  const words = {};
  let key = null;
  let field = null;
  for (const line of fs.readFileSync(TEMPLATE, "utf8").split("\n")) {
    const start = /^(msgctxt|msgid|msgid_plural|msgstr)(?:\[\d+\])? (".*")$/.exec(line);
    if (start) {
      field = start[1];
      const text = JSON.parse(start[2]);
      if (field === "msgctxt") key = text;
      else if (field === "msgid" && key !== null) words[key] = text;
    } else if (/^".*"$/.test(line) && field === "msgid" && key !== null) {
      words[key] += JSON.parse(line); // a msgid continued on the next lines
    } else if (!line.trim()) {
      key = null;
      field = null;
    }
  }
  return words;
}

module.exports = { ASSETS, englishWords, load, loadWith, plain };
