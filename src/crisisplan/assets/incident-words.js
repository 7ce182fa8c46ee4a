/* crisisplan incident mode, part 1 of 4: the console's words.

   The words come from the page, never from this file: the scenario page carries
   them in data-cp-words (JSON), written by the build from the gettext catalog
   (locale/crisisplan.pot, and the reader's language's .po), so there is one list of
   the English and translators translate it once. A key the page lacks shows as the
   key itself, which tests/publish/test_site_scripts.py keeps from happening.

   Pure functions, no DOM: unit-tested with `node --test tests/js/`. Plain script, not
   an ES module (module scripts are blocked from file://); it adds crisisplan.words to
   the namespace the incident scripts share. Loaded before incident-clock.js,
   incident-log.js and incident.js (publish/site/scripts.py lists the order). */
(function (cp) {
  "use strict";

  // A label with its values: "{count} left" and {count: 3} give "3 left". Only the
  // placeholders the catalog allows ({name}); one without a value is left as written.
  function fill(template, values) {
    return String(template).replace(/\{([a-z_]+)\}/g, function (token, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : token;
    });
  }

  // The page's data-cp-words, as key -> text; anything that is not a non-empty
  // string is dropped, and text that is not JSON gives no words at all.
  function parse(text) {
    var words = {};
    var given;
    try {
      given = JSON.parse(text || "{}");
    } catch (error) {
      return words;
    }
    if (!given || typeof given !== "object" || Array.isArray(given)) return words;
    Object.keys(given).forEach(function (key) {
      if (typeof given[key] === "string" && given[key]) words[key] = given[key];
    });
    return words;
  }

  // One label, filled in: say(words, "incident_due_in", {time: "4m"}) -> "in 4m".
  function say(words, key, values) {
    var text = Object.prototype.hasOwnProperty.call(words, key) ? words[key] : key;
    return fill(text, values || {});
  }

  cp.words = { fill: fill, parse: parse, say: say };
})(window.crisisplan = window.crisisplan || {});
