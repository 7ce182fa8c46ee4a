/* crisisplan: the statement composer and copy buttons. Plain JavaScript with no
   network and no libraries, so it works from file:// on a USB stick.

   What other scripts (incident.js) may rely on in the pages; keep these stable:
   - .cp-statement[data-statement=<statement id>]: a statement card. Inside it,
     input.cp-input[data-ph=<placeholder>] are its fields (inside a .cp-variant[lang]
     when the field belongs to one language's text, outside for every language), and
     each .cp-variant[lang] holds .cp-text, data-template, data-filled (the current
     filled text) and button.cp-copy (data-copied, data-fill-first: the words it shows).
   - Setting a field's value from a script: dispatch an "input" event (bubbling) on it
     and the card re-renders.
   - After a successful copy the card dispatches a bubbling CustomEvent "cp:copied",
     detail {statement, language, text}: text is exactly what went to the clipboard.
   - Scenario pages: li.cp-action[data-cp-action][data-cp-offset-minutes] (first
     actions, input.cp-check inside), ol.cp-timeline > li[data-cp-escalation] and
     li[data-cp-target] (both with data-cp-offset-minutes), and the empty
     div.cp-incident[data-cp-scenario][data-cp-severity][data-cp-*-minutes] right after
     the first actions. See fragments.html.j2 and site/scenario.md.j2. */
(function (cp) {
  "use strict";

  // A statement's placeholders ("{product}"): the plan format's own pattern, which
  // the build writes into constants.js (loaded before this script) from the Python
  // source, so the page and `crisisplan check` never disagree on what one is.
  if (typeof cp.placeholder !== "string") throw new Error("crisisplan.js needs constants.js, loaded before it");
  var PLACEHOLDER = new RegExp(cp.placeholder, "g");

  // Characters as Python counts them (code points), so the site and the checker agree.
  function length(text) {
    return Array.from(text).length;
  }

  // The values one language's text is filled with: the fields typed once for every
  // language, and that language's own fields (inside its tab). A value typed for the
  // Indonesian text must never end up in the English one.
  function fields(card, variant) {
    var values = {};
    card.querySelectorAll(".cp-input").forEach(function (input) {
      var owner = input.closest(".cp-variant");
      if (owner && owner !== variant) return;
      values[input.getAttribute("data-ph")] = { value: input.value.trim(), measure: input.getAttribute("data-measure"), input: input };
    });
    return values;
  }

  // A value longer than the plan allows is kept as typed (never cut: "Instagram and
  // TikTok" must not become "Instagram ") and shown as too long, with the limit.
  function checkLength(input) {
    var max = parseInt(input.getAttribute("data-max-length"), 10);
    if (isNaN(max)) return;
    var over = length(input.value.trim()) > max;
    var field = input.closest(".cp-field");
    var message = field && field.querySelector(".cp-field-msg");
    if (over) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    if (field) field.classList.toggle("cp-field-over", over);
    if (message) message.textContent = over ? (input.getAttribute("data-too-long") || "") : "";
  }

  // Render one variant: filled text, empty placeholders highlighted, the live count.
  function render(variant, values) {
    var template = variant.getAttribute("data-template");
    if (template === null) return;
    var box = variant.querySelector(".cp-text");
    var filled = "";
    var measured = "";
    var last = 0;
    box.textContent = "";
    template.replace(PLACEHOLDER, function (token, name, offset) {
      var before = template.slice(last, offset);
      box.appendChild(document.createTextNode(before));
      filled += before;
      measured += before;
      var field = values[name];
      if (field && field.value) {
        box.appendChild(document.createTextNode(field.value));
        filled += field.value;
        measured += field.value;
      } else {
        var mark = document.createElement("span");
        mark.className = "cp-ph";
        mark.textContent = token;
        box.appendChild(mark);
        filled += token;
        measured += field ? field.measure : token;
      }
      last = offset + token.length;
      return token;
    });
    var rest = template.slice(last);
    box.appendChild(document.createTextNode(rest));
    filled += rest;
    measured += rest;
    var count = length(measured.trim());
    var limit = parseInt(variant.getAttribute("data-limit"), 10);
    var shown = variant.querySelector(".cp-length");
    if (shown) shown.textContent = String(count);
    var over = !isNaN(limit) && count > limit;
    var counter = variant.querySelector(".cp-count");
    if (counter) counter.classList.toggle("cp-over", over);
    var warning = variant.querySelector(".cp-too-long");
    if (warning) warning.hidden = !over;
    variant.setAttribute("data-filled", filled);
  }

  // Each language tab's fields in that tab's language: the page's own labels are in
  // the page's language, and the English tab of a Malay page asked in Malay, with a
  // Malay example. The page gives, by language, each statement's fields as the plan
  // writes them in it ([description, example]) and its "e.g. {example}", in
  // .cp-composer-words (publish/site/pages.py composer_words). A field it says
  // nothing about keeps the words it was written with.
  function fieldWords(words, language, statement, name) {
    var said = words && words[language];
    var fields = said && said.statements && said.statements[statement];
    var field = fields && Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : null;
    if (!field) return null;
    var example = field[1] ? String(said.example || "{example}").replace("{example}", field[1]) : "";
    return { description: String(field[0] || ""), example: example };
  }

  // Data the page gives the scripts: JSON in data-cp-data of a hidden element
  // (publish/site/pages.py), or null.
  function pageData(selector) {
    var node = document.querySelector(selector);
    try {
      return node ? JSON.parse(node.getAttribute("data-cp-data")) : null;
    } catch (error) {
      return null;
    }
  }

  function localizeFields(card, words) {
    var statement = card.getAttribute("data-statement");
    card.querySelectorAll(".cp-variant[lang] .cp-input[data-ph]").forEach(function (input) {
      var language = input.closest(".cp-variant").getAttribute("lang");
      var said = fieldWords(words, language, statement, input.getAttribute("data-ph"));
      if (!said) return;
      if (said.example) input.setAttribute("placeholder", said.example);
      else input.removeAttribute("placeholder");
      var label = input.closest(".cp-field-label");
      var code = label && label.querySelector(".cp-field-name > code");
      var text = code && code.nextSibling;
      if (said.description && text && text.nodeType === 3) text.textContent = " " + said.description + " ";
    });
  }

  function update(card) {
    card.querySelectorAll(".cp-input").forEach(checkLength);
    card.querySelectorAll(".cp-variant").forEach(function (variant) { render(variant, fields(card, variant)); });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Older browsers and some file:// contexts: a hidden textarea and execCommand.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try {
        document.execCommand("copy") ? resolve() : reject(new Error("copy refused"));
      } catch (error) {
        reject(error);
      } finally {
        document.body.removeChild(area);
      }
    });
  }

  function flash(button, text) {
    if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
    button.textContent = text;
    clearTimeout(button._cpTimer);
    button._cpTimer = setTimeout(function () { button.textContent = button.getAttribute("data-label"); }, 2500);
  }

  document.addEventListener("input", function (event) {
    var card = event.target.closest && event.target.closest(".cp-statement");
    if (!card || !event.target.classList.contains("cp-input")) return;
    update(card);
    // A "fill in ... first" message is answered by typing: put the labels back.
    card.querySelectorAll(".cp-copy[data-label]").forEach(function (button) {
      clearTimeout(button._cpTimer);
      button.textContent = button.getAttribute("data-label");
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".cp-copy");
    if (!button) return;
    var card = button.closest(".cp-statement");
    var variant = button.closest(".cp-variant");
    if (!card || !variant) return;
    update(card);
    var values = fields(card, variant);
    var template = variant.getAttribute("data-template") || "";
    var empty = [];
    template.replace(PLACEHOLDER, function (token, name) {
      if (values[name] && !values[name].value && empty.indexOf(name) < 0) empty.push(name);
      return token;
    });
    if (empty.length) {
      // Never paste "{time}" into a public post: name the empty field and go to it.
      // The words come from the page (the label fill_first), in its language.
      flash(button, (button.getAttribute("data-fill-first") || "{name}").replace("{name}", "{" + empty[0] + "}"));
      values[empty[0]].input.focus();
      return;
    }
    var text = variant.getAttribute("data-filled") || variant.querySelector(".cp-text").textContent;
    copyText(text).then(function () {
      flash(button, button.getAttribute("data-copied") || "\u2713");
      card.dispatchEvent(new CustomEvent("cp:copied", {
        bubbles: true,
        detail: { statement: card.getAttribute("data-statement"), language: variant.getAttribute("lang"), text: text }
      }));
    }, function () {
      // Copy refused by the browser: select the text so it can be copied by hand.
      var range = document.createRange();
      range.selectNodeContents(variant.querySelector(".cp-text"));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    });
  });

  // The start page's search button opens Material's search: its toggle (a checkbox,
  // which shows the search on a phone) and its field, focused so the keyboard comes up.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest(".cp-search-open");
    if (!opener) return;
    var toggle = document.getElementById("__search");
    var input = document.querySelector(".md-search__input");
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new CustomEvent("change"));
    }
    if (input) input.focus();
  });

  // Scenario pages: the jump bar's chip for the section being read is marked
  // (aria-current) and kept in view. On a phone the bar scrolls sideways, and a chip
  // past its edge ("Situasi" in Malay) would never show where the reader is.
  function currentChip(bar) {
    var chips = bar.querySelectorAll("a[href^='#']");
    var line = bar.getBoundingClientRect().bottom;
    var current = chips[0] || null;
    chips.forEach(function (chip) {
      var target = document.getElementById(chip.getAttribute("href").slice(1));
      if (!target) return;
      // A section is being read once its anchor has reached the bar: where a tap on
      // its chip puts it (the anchor's scroll margin), or higher.
      var margin = parseFloat(getComputedStyle(target).scrollMarginTop) || 0;
      if (target.getBoundingClientRect().top <= Math.max(line, margin) + 4) current = chip;
    });
    return current;
  }

  function markChip(bar, chip) {
    bar.querySelectorAll("a[aria-current]").forEach(function (other) {
      if (other !== chip) other.removeAttribute("aria-current");
    });
    if (!chip) return;
    chip.setAttribute("aria-current", "location");
    // Only the bar scrolls, never the page (scrollIntoView would scroll the page back
    // up once the bar has left the screen at the foot of a long page).
    var padding = parseFloat(getComputedStyle(bar).paddingLeft) || 0;
    var box = bar.getBoundingClientRect();
    var at = chip.getBoundingClientRect();
    if (at.left < box.left + padding) bar.scrollLeft -= box.left + padding - at.left;
    else if (at.right > box.right - padding) bar.scrollLeft += at.right - (box.right - padding);
  }

  var following = false;
  function followScroll() {
    if (following) return;
    following = true;
    requestAnimationFrame(function () {
      following = false;
      var bar = document.querySelector(".cp-jump");
      if (bar) markChip(bar, currentChip(bar));
    });
  }
  window.addEventListener("scroll", followScroll, { passive: true });
  window.addEventListener("resize", followScroll, { passive: true });
  document.addEventListener("click", function (event) {
    var chip = event.target.closest && event.target.closest(".cp-jump a");
    if (chip) markChip(chip.closest(".cp-jump"), chip);
  });

  // Zensical draws its search in a shadow root, as a sheet 70% opaque over the blurred
  // page: on a phone the page's chips and headings show through the results. Give the
  // sheet and its filter panel the theme's own background. A stylesheet outside cannot
  // reach into the shadow root; an adopted one survives its re-rendering.
  var OPAQUE_SEARCH = "dialog > div:has([role=combobox]), dialog [id$='-filters'] {" +
    " background-color: var(--md-default-bg-color, #fff); backdrop-filter: none; -webkit-backdrop-filter: none; }";
  var watching = false;
  function opaqueSearch() {
    // Zensical may add the search's host element after this script has run.
    if (!watching && typeof MutationObserver === "function") {
      watching = true;
      new MutationObserver(opaqueSearch).observe(document.body, { childList: true });
    }
    Array.prototype.forEach.call(document.body.children, function (host) {
      var root = host.shadowRoot;
      if (!root || root.cpOpaque) return;
      root.cpOpaque = true;
      translateSearch(root);
      new MutationObserver(function () { translateSearch(root); }).observe(root, {
        childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["aria-label", "placeholder", "title"]
      });
      if (root.adoptedStyleSheets && typeof CSSStyleSheet === "function" && CSSStyleSheet.prototype.replaceSync) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(OPAQUE_SEARCH);
        root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
      } else {
        var style = document.createElement("style");
        style.textContent = OPAQUE_SEARCH;
        root.appendChild(style);
      }
    });
  }

  // Zensical's search dialog says some things in English whatever the page's language
  // ("3 results", "Close search"): its translations do not reach them. Said here in the
  // page's language: counts with the theme's own words (__config: "# dokumen yang
  // sepadan"), the rest with the words every page gives (.cp-search-words,
  // publish/site/pages.py), "Search" as the theme's search dialog is named.
  var ZENSICAL_ENGLISH = {
    "Search results": "search_results_list",
    "Close search": "search_close",
    "Filters": "search_filters",
    "Loading search\u2026": "search_loading"
  };
  var COUNT = /^([\d.,\u00a0 ]+) results?$/;

  function themeWords() {
    var node = document.getElementById("__config");
    try {
      return (node && JSON.parse(node.textContent).translations) || {};
    } catch (error) {
      return {};
    }
  }

  // The page's words for one of Zensical's English texts, or null.
  function searchText(text, words, theme, searchName) {
    var key = ZENSICAL_ENGLISH[text];
    if (key) return words[key] || null;
    if (text === "Search") return searchName || null;
    if (text === "No results") return theme["search.result.none"] || null;
    var count = COUNT.exec(text);
    if (!count) return null;
    var n = parseInt(count[1].replace(/\D/g, ""), 10);
    var form = theme[n === 1 ? "search.result.one" : "search.result.other"];
    return form ? form.replace("#", count[1]) : null;
  }

  function translateSearch(root) {
    var lang = (document.documentElement.lang || "en").toLowerCase();
    if (lang === "en" || lang.indexOf("en-") === 0) return;
    var words = pageData(".cp-search-words") || {};
    var theme = themeWords();
    var dialog = document.querySelector(".md-search[aria-label]");
    var searchName = dialog ? dialog.getAttribute("aria-label") : "";
    ["aria-label", "placeholder", "title"].forEach(function (name) {
      root.querySelectorAll("[" + name + "]").forEach(function (node) {
        var said = searchText(node.getAttribute(name), words, theme, searchName);
        if (said && said !== node.getAttribute(name)) node.setAttribute(name, said);
      });
    });
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var said = searchText(node.nodeValue.trim(), words, theme, searchName);
      if (said && said !== node.nodeValue) node.nodeValue = said;
    }
  }

  function init() {
    var words = pageData(".cp-composer-words");
    document.querySelectorAll(".cp-statement").forEach(function (card) {
      if (words) localizeFields(card, words);
      update(card);
    });
    followScroll();
    opaqueSearch();
    // On a phone the activation's assessment and triggers start folded (a tap opens
    // them), so the first action stays on the first screen; wider screens show them.
    if (window.matchMedia && window.matchMedia("(max-width: 30em)").matches) {
      document.querySelectorAll("details.cp-activation-why[open]").forEach(function (fold) {
        fold.removeAttribute("open");
      });
    }
    // A control hidden from screen readers must not be reached by Tab either (axe:
    // aria-hidden-focus): Zensical's palette switch, with one palette, is a radio
    // button with aria-hidden="true".
    document.querySelectorAll(
      "input[aria-hidden='true'], button[aria-hidden='true'], select[aria-hidden='true'], textarea[aria-hidden='true'], a[href][aria-hidden='true']"
    ).forEach(function (control) { control.setAttribute("tabindex", "-1"); });
    // Material's search is a dialog without a name: screen readers announce "dialog".
    // Name it after its own field (the theme's word for "Search", in the page's language).
    var dialog = document.querySelector(".md-search[role=dialog]");
    var field = document.querySelector(".md-search__input");
    if (dialog && field && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", field.getAttribute("aria-label") || field.getAttribute("placeholder") || "Search");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // With instant navigation the theme swaps pages in without running this file again;
  // it announces each page on document$ (init does nothing twice: it only measures
  // statements and names the search dialog once).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  }
})(window.crisisplan = window.crisisplan || {});
