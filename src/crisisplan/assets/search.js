/* crisisplan: search stems what the reader types, in the page's language.

   Material's search turns every typed word into a prefix query ("kunderne" becomes
   "kunderne*") so that results come while typing, and lunr does not stem such
   queries: a Danish reader who types "kunderne" finds no page that says "kunder".
   This script stems each typed word with the Snowball stemmer that Material ships
   for the page's language (lunr-languages, files of this site: no network) and
   hands Material's search worker the part of the word that its stem keeps:
   "kunderne" searches "kund*", which finds every page the word itself finds, and
   the word's other forms. Folded spellings ("laek" for "læk") and Indonesian and
   Malay roots are in the search index itself (crisisplan/site/search.py).

   Under stress people mistype: every typed word of FUZZY letters or more is also
   searched with one typo allowed (lunr's "word~1"), so "giveway" finds "giveaway". The
   word as typed stays in the query, as a prefix: results still come while typing. */
(function () {
  "use strict";

  // The page's language -> lunr-languages' name for its stemmer. Only stemmers that
  // cut endings, so that what the stem keeps is the start of the word.
  var STEMMERS = {
    da: "da", de: "de", es: "es", fi: "fi", fr: "fr", hu: "hu", it: "it", nb: "no",
    nl: "du", nn: "no", no: "no", pt: "pt", ro: "ro", ru: "ru", sv: "sv", tr: "tr"
  };
  // Material's message asking its worker for results (SearchMessageType.QUERY).
  var QUERY = 2;
  // A shorter start matches too many words to help.
  var SHORTEST = 3;
  // A typo in a shorter word turns it into too many other words ("ad" -> "at", "an").
  var FUZZY = 5;
  // A plain word; "+word", "-word", "word~1", "title:word" and quotes keep their meaning.
  var WORD = /^[\p{L}\p{M}]+$/u;

  var code = STEMMERS[(document.documentElement.lang || "").toLowerCase().split("-")[0]];
  var config = document.getElementById("__config");
  if (!config || typeof Worker === "undefined") return;

  // lunr-languages adds its stemmer to a global lunr and calls these while loading;
  // the search worker has the real lunr, in its own global.
  var lunr = code ? window.lunr || (window.lunr = {
    Pipeline: { registerFunction: function () {} },
    generateStopWordFilter: function () { return function () {}; }
  }) : null;

  function load(files) {
    if (!files.length) return;
    var script = document.createElement("script");
    var base = JSON.parse(config.textContent).base;
    script.src = new URL(base + "/assets/javascripts/lunr/min/" + files[0], location.href).href;
    script.onload = function () { load(files.slice(1)); };
    document.head.appendChild(script);
  }
  if (code && !lunr[code]) load(["lunr.stemmer.support.min.js", "lunr." + code + ".min.js"]);

  function stem(word) {
    if (!code) return word;
    var stemmer = lunr[code] && lunr[code].stemmer;
    if (!stemmer) return word; // not loaded yet: search the word as typed
    var root = String(stemmer(word));
    var same = 0;
    while (same < word.length && word[same] === root[same]) same++;
    return same >= SHORTEST ? word.slice(0, same) : word;
  }

  function rewrite(query) {
    return query.split(/(\s+)/).map(function (part) {
      if (!WORD.test(part)) return part;
      var word = part.normalize("NFC").toLowerCase();
      var searched = stem(word);
      // Material ends every term with "*" but leaves "word~1" as it is.
      return Array.from(word).length >= FUZZY ? searched + " " + word + "~1" : searched;
    }).join("");
  }

  // Material talks to its worker (a Worker, or iframe-worker's stand-in from file://)
  // only through postMessage.
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === QUERY && typeof message.data === "string") {
      args[0] = { type: QUERY, data: rewrite(message.data) };
    }
    return post.apply(this, args);
  };
})();
