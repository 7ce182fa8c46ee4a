/* crisisplan: Enter in the search box opens the scenario the reader needs, on both
   engines (Material's lunr search and Zensical's own).

   Both engines open their first result on Enter, and rank it by how often a page says
   the word: "instagram" opened another plan's scenario, "bocor" a statement library.
   The plans say what each scenario is about: its title, and its keywords, channels,
   hashtags and triggers. crisisplan writes them into the search index (under
   "crisisplan", with folded spellings and Malay and Indonesian roots:
   publish/site/search.py), and this script ranks the scenarios by them:

   - a scenario that has more of the typed words comes first; a word in the title
     counts more than one in the terms, a whole word more than its start, and that
     more than one typo ("instgram"); a word few scenarios have counts more than one
     all have ("data");
   - then the reader's own plan, and the page's language, before other plans and
     languages;
   - then how often the page says the words.

   Enter opens the best scenario at its top. When no scenario has any of the words,
   the engine's Enter does what it does. A result in the list that belongs to another
   plan or is in another language is labelled with the plan's name and the language's
   name in the page's language (Intl.DisplayNames): no words of our own.

   The ranking is pure (window.crisisplan.searchScenarios, tested with node --test);
   the part that wires the page runs only where there is a document. */
(function (cp) {
  "use strict";

  // A shorter start matches too many words to help.
  var SHORTEST = 3;
  // A typo in a shorter word turns it into too many other words.
  var FUZZY = 5;
  // How much a match counts, by where it is and how close.
  var FIELDS = { title: 3, terms: 2 };
  var EXACT = 1;
  var ROOT = 0.8; // the typed word's root ("bocoran" -> "bocor") is a word of the scenario
  var PREFIX = 0.7;
  var TYPO = 0.6;
  // Malay and Indonesian affixes, stripped from a typed word to find its root; the
  // index holds the roots of the plan's words (search.py).
  var SUFFIXES = ["kan", "an", "i", "nya", "lah"];
  var PREFIXES = ["meng", "peng", "mem", "pem", "men", "pen", "ber", "ter", "per", "me", "pe", "di", "ke", "se"];
  var SHORTEST_ROOT = 4;

  function words(text) {
    return String(text || "").normalize("NFC").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // At most one edit (a letter added, dropped, changed, or two swapped)?
  function oneEdit(a, b) {
    if (a === b) return true;
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The typed word's possible roots, for Malay and Indonesian: "bocoran" -> "bocor".
  function roots(word) {
    var found = [];
    var stems = [word];
    SUFFIXES.forEach(function (end) {
      if (word.length - end.length >= SHORTEST_ROOT && word.slice(-end.length) === end) stems.push(word.slice(0, -end.length));
    });
    stems.forEach(function (stem) {
      PREFIXES.forEach(function (start) {
        if (stem.length - start.length >= SHORTEST_ROOT && stem.indexOf(start) === 0) found.push(stem.slice(start.length));
      });
      if (stem !== word) found.push(stem);
    });
    return found;
  }

  // How well one typed word matches a list of words: 0 when it does not.
  function closeness(typed, list, typedRoots) {
    var best = 0;
    for (var i = 0; i < list.length && best < EXACT; i++) {
      var word = list[i];
      if (word === typed) best = EXACT;
      else if (best < ROOT && typedRoots.indexOf(word) >= 0) best = ROOT;
      else if (best < PREFIX && typed.length >= SHORTEST && word.indexOf(typed) === 0) best = PREFIX;
      else if (best < TYPO && typed.length >= FUZZY && oneEdit(typed, word)) best = TYPO;
    }
    return best;
  }

  function primary(lang) {
    return String(lang || "").toLowerCase().split("-")[0];
  }

  /* The scenarios (the index's crisisplan.scenarios, each with an optional `text`: the
     page's words) that have any of the query's words, best first. `here` is where the
     reader is: {plan: a plan's slug or "", lang: the page's language}. */
  function rank(query, scenarios, here) {
    var typed = Array.from(new Set(words(query)));
    if (!typed.length) return [];
    var prepared = scenarios.map(function (s, order) {
      return { scenario: s, order: order, title: words(s.title), terms: words(s.terms), text: words(s.text) };
    });
    var scores = prepared.map(function () { return { matched: 0, score: 0, said: 0 }; });
    typed.forEach(function (word) {
      var typedRoots = roots(word);
      var each = prepared.map(function (p) {
        return Math.max(FIELDS.title * closeness(word, p.title, typedRoots), FIELDS.terms * closeness(word, p.terms, typedRoots));
      });
      var having = each.filter(Boolean).length;
      if (!having) return;
      // A word that few scenarios have says more about which one the reader needs.
      var rarity = Math.log(1 + prepared.length / having);
      each.forEach(function (value, i) {
        if (!value) return;
        scores[i].matched++;
        scores[i].score += value * rarity;
        scores[i].said += prepared[i].text.filter(function (w) {
          return w.indexOf(word) === 0 || (word.length >= FUZZY && oneEdit(word, w));
        }).length;
      });
    });
    var lang = primary(here && here.lang);
    var plan = (here && here.plan) || "";
    function distance(s) {
      return (plan && s.plan === plan ? 0 : 2) + (primary(s.lang) === lang ? 0 : 1);
    }
    return prepared
      .map(function (p, i) { return { scenario: p.scenario, order: p.order, distance: distance(p.scenario), s: scores[i] }; })
      .filter(function (r) { return r.s.matched > 0; })
      .sort(function (a, b) {
        return b.s.matched - a.s.matched || a.distance - b.distance || b.s.score - a.s.score || b.s.said - a.s.said || a.order - b.order;
      })
      .map(function (r) { return r.scenario; });
  }

  /* The label of a result on another plan's page or in another language: the plan's
     name and the language's name, in the page's language; "" for a result of the
     reader's own plan and language. `plans` is the index's crisisplan.plans; `page`
     is the result's location in the site. */
  function label(page, plans, here, languageName) {
    var slug = String(page).split("/")[0];
    var plan = plans.filter(function (p) { return p.slug === slug; })[0];
    if (!plan) return "";
    var otherPlan = here.plan && plan.slug !== here.plan;
    var otherLang = primary(plan.lang) !== primary(here.lang);
    if (!otherPlan && !otherLang) return "";
    var parts = [];
    if (otherPlan || !here.plan) parts.push(plan.name);
    if (otherLang) parts.push(languageName(plan.lang) || plan.lang);
    return parts.join(" · ");
  }

  cp.searchScenarios = { words: words, oneEdit: oneEdit, roots: roots, rank: rank, label: label };
})(window.crisisplan = window.crisisplan || {});

(function (cp) {
  "use strict";

  if (typeof document === "undefined" || !document.getElementById) return;
  var config = document.getElementById("__config");
  if (!config) return;
  var base;
  try {
    base = new URL(JSON.parse(config.textContent).base + "/", location.href);
  } catch (error) {
    return;
  }
  var search = cp.searchScenarios;
  var lang = document.documentElement.lang || "";
  var names = typeof Intl !== "undefined" && Intl.DisplayNames ? new Intl.DisplayNames([lang || "en"], { type: "language" }) : null;
  function languageName(code) {
    try {
      return names ? names.of(code) : code;
    } catch (error) {
      return code;
    }
  }

  // The index both engines load: from file:// as a script (window.__index), over
  // http as JSON (Material's search/search_index.json, Zensical's search.json).
  var loading = null;
  function index() {
    if (window.__index && window.__index.crisisplan) return Promise.resolve(window.__index);
    if (!loading && location.protocol !== "file:" && typeof fetch === "function") {
      loading = ["search/search_index.json", "search.json"].reduce(function (found, file) {
        return found.then(function (data) {
          if (data) return data;
          return fetch(new URL(file, base).href).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
        });
      }, Promise.resolve(null));
    }
    return loading || Promise.resolve(window.__index || null);
  }

  function entries(data) {
    return data.docs || data.items || [];
  }

  // Where the reader is: the plan whose folder this page is in, and the page's language.
  function here(data) {
    var path = decodeURIComponent(location.pathname).slice(decodeURIComponent(base.pathname).length);
    var slug = path.split("/")[0];
    var known = (data.crisisplan.plans || []).some(function (p) { return p.slug === slug && path.indexOf("/") > 0; });
    return { plan: known ? slug : "", lang: lang };
  }

  function best(query, data) {
    var text = {};
    // Zensical's page script makes each location absolute, in the same object.
    entries(data).forEach(function (e) {
      var at = String(e.location);
      text[at.indexOf(base.href) === 0 ? at.slice(base.href.length) : at] = e.text;
    });
    var scenarios = (data.crisisplan.scenarios || []).map(function (s) {
      return { location: s.location, plan: s.plan, lang: s.lang, title: s.title, terms: s.terms, text: String(text[s.location] || "").replace(/<[^>]*>/g, " ") };
    });
    return search.rank(query, scenarios, here(data))[0] || null;
  }

  // The search box an Enter came from: Material's input, or Zensical's combobox in its
  // shadow root (the event's path starts inside it).
  function searchBox(event) {
    var target = event.composedPath ? event.composedPath()[0] : event.target;
    if (!target || target.tagName !== "INPUT") return null;
    var material = target.classList && target.classList.contains("md-search__input");
    var zensical = target.getAttribute("role") === "combobox" && target.getRootNode() !== document;
    return material || zensical ? target : null;
  }

  var data = null;
  index().then(function (found) { data = found && found.crisisplan ? found : null; });
  // From file:// the engine's script defines the index a moment after this one runs.
  function loaded() {
    if (!data && window.__index && window.__index.crisisplan) data = window.__index;
    return data;
  }

  // Capture on window: before either engine's own Enter.
  window.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
    var box = searchBox(event);
    if (!box || !box.value.trim()) return;
    if (!loaded()) return;
    var scenario = best(box.value, data);
    if (!scenario) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    location.href = new URL(scenario.location, base).href;
  }, true);

  // Label results of another plan or language, in both engines' result lists.
  function labelResults(root) {
    if (!loaded()) return;
    var links = root.querySelectorAll(".md-search-result__item > a[href], a[role=option][href]");
    Array.prototype.forEach.call(links, function (link) {
      if (link.querySelector(".cp-search-other")) return;
      var url = new URL(link.getAttribute("href"), location.href);
      var page = decodeURIComponent(url.pathname).slice(decodeURIComponent(base.pathname).length);
      var text = search.label(page, data.crisisplan.plans || [], here(data), languageName);
      if (!text) return;
      var tag = document.createElement("span");
      tag.className = "cp-search-other";
      tag.textContent = text;
      tag.setAttribute("lang", lang);
      // Above the result box's own layers (Zensical paints its highlight over static text).
      tag.style.cssText = "display:block;flex-basis:100%;font-size:.7rem;line-height:1.3;font-weight:bold;position:relative;z-index:1";
      // Under the result's title, where the reader looks before its long text.
      var title = link.querySelector("h1, h2, h3");
      if (title) title.insertAdjacentElement("afterend", tag);
      else link.appendChild(tag);
    });
  }
  var roots = [document];
  function watch(root) {
    new MutationObserver(function () { labelResults(root); }).observe(root, { childList: true, subtree: true });
  }
  watch(document);
  // Zensical draws its search in a shadow root: watch it too once it is there.
  new MutationObserver(function () {
    Array.prototype.forEach.call(document.querySelectorAll("*"), function (el) {
      if (el.shadowRoot && roots.indexOf(el.shadowRoot) < 0) {
        roots.push(el.shadowRoot);
        watch(el.shadowRoot);
      }
    });
  }).observe(document.body || document.documentElement, { childList: true });
})(window.crisisplan = window.crisisplan || {});
