/* crisisplan incident mode, part 4 of 4: the page. A clock for the deadlines, and a
   log that becomes the post-crisis review (`crisisplan review SCENARIO --from-log FILE`).

   Plain JavaScript, no library, no network: it works from file:// on a USB stick as
   well as from a web server. Everything is kept in this browser's localStorage, one
   entry per plan and scenario, so a reload, Back or a closed tab loses nothing, and
   ending the incident (its button) clears it.

   From file:// every page opened in the browser shares that storage: any local HTML
   file can read these notes and write its own. So the page says so (opened from a
   file), keys the entry by the plan key the build writes, and reads back only what
   passes crisisplan.log's checks and, from file://, carries this page's seal; what
   does not is set aside and the reader told once (load, setAside). The log it saves
   says the events were recorded in a browser and are not verified.

   This file wires the page; what can be worked out without one is in the scripts
   loaded before it, which share the namespace window.crisisplan (plain scripts, not
   ES modules: module scripts are blocked from file://):
   - incident-words.js  crisisplan.words: the page's labels, filled in;
   - incident-clock.js  crisisplan.clock: durations, elapsed time, due and overdue;
   - incident-log.js    crisisplan.log: the stored state, the log's events and file.
   publish/site/scripts.py lists them in the order every page loads them.

   What it reads from the page (written by fragments.html.j2 and site/scenario.md.j2):
   - div.cp-incident[data-cp-scenario="plan/scenario"], with data-cp-plan-key (a hex
     digest of the plan's identity: the storage key) and data-cp-plan-seal (a hex secret
     that never goes into storage: the seal's key) when the build writes them, and
     data-cp-acknowledge-minutes,
     data-cp-first-statement-minutes and data-cp-update-minutes (the severity's
     targets), and data-cp-words (the labels, JSON, from the gettext catalog: this
     script carries no words of its own);
   - li.cp-action[data-cp-action][data-cp-offset-minutes] > input.cp-check;
   - li[data-cp-escalation] and li[data-cp-target] in ol.cp-timeline, and
     li[data-cp-next-escalation] under the first actions, with data-cp-offset-minutes;
   - .cp-statement[data-statement] .cp-input[data-ph] (the composer's fields), and the
     "cp:copied" event crisisplan.js sends after a statement is copied.

   On every page it also registers the service worker that `crisisplan build` writes
   (see site/offline.py), over https or localhost only.

   With instant navigation (navigation.instant in mkdocs.yml, on a site served with a
   site_url) Material for MkDocs and Zensical swap pages in without loading this script
   again: it then starts once more on each page they announce on window.document$. */
(function (cp) {
  "use strict";

  var clock = cp.clock;
  var log = cp.log;
  var words = cp.words;
  var REFRESH_MS = 15000;
  // The incident of the page on screen: the listeners, registered once, act on it.
  var current = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // localStorage, or null where the browser refuses it (some private modes): the
  // clock and the log then still work, for as long as the page stays open.
  function openStorage() {
    try {
      var store = window.localStorage;
      store.setItem(log.STORE_PREFIX + "probe", "1");
      store.removeItem(log.STORE_PREFIX + "probe");
      return store;
    } catch (error) {
      return null;
    }
  }

  /* ---- Offline copy (every page) ---------------------------------------------------- */

  // Only where browsers allow a service worker: https, or http on this machine. From
  // file:// the site works as it always has, and nothing is registered.
  function registerOffline() {
    var link = document.querySelector("link[rel=manifest][data-cp-sw]");
    if (!link || !("serviceWorker" in navigator) || !window.isSecureContext) return;
    if (location.protocol !== "https:" && location.protocol !== "http:") return;
    var script = new URL(link.getAttribute("data-cp-sw"), location.href);
    navigator.serviceWorker.register(script.href).catch(function () {
      // No offline copy (a private window, storage full): the site still works online.
    });
  }

  /* ---- The incident on one scenario page ------------------------------------------ */

  function Incident(box) {
    var scenario = box.getAttribute("data-cp-scenario");
    this.box = box;
    this.key = log.storeKey(scenario, box.getAttribute("data-cp-plan-key"));
    this.legacyKey = log.legacyKey(scenario);
    this.secret = log.sealSecret(box.getAttribute("data-cp-plan-seal"));
    // Only from file:// can another site's page write this page's storage; over
    // http(s) the seal is not asked for, so a rebuild with a new secret loses nothing.
    this.verify = location.protocol === "file:";
    this.store = openStorage();
    this.words = words.parse(box.getAttribute("data-cp-words"));
    this.language = (box.closest("[lang]") || document.documentElement).getAttribute("lang") || "en";
    this.targets = {
      acknowledge: this.minutes(box, "data-cp-acknowledge-minutes"),
      first_statement: this.minutes(box, "data-cp-first-statement-minutes"),
      update: this.minutes(box, "data-cp-update-minutes")
    };
    this.state = null;
    this.timer = null;
    if (!box.id) box.id = "cp-incident";
    this.build();
    this.load();
  }

  Incident.prototype.minutes = function (node, name) {
    var value = parseInt(node.getAttribute(name), 10);
    return isNaN(value) ? null : value;
  };

  // One of the page's words (the labels the catalog gives, in its language), filled in.
  Incident.prototype.w = function (key, values) {
    return words.say(this.words, key, values);
  };

  // A clock time; a deadline on another day than today carries its weekday.
  Incident.prototype.time = function (ms) {
    return clock.timeOfDay(ms, Date.now(), this.language);
  };

  // The page's words as say(key, values), for the clock's durations ("25 min").
  Incident.prototype.say = function () {
    var self = this;
    return function (key, values) { return self.w(key, values); };
  };

  // The time since the start as the page writes it: "T+25m", "T+25 min" in Danish.
  Incident.prototype.since = function (now) {
    return this.w("at_time", { time: clock.elapsed(this.state.startedMs, now, this.say()) });
  };

  /* Saving and loading */

  Incident.prototype.save = function () {
    if (!this.store || !this.state) return;
    try {
      this.store.setItem(this.key, log.seal(this.state, this.key, this.secret));
    } catch (error) {
      // Storage full: the page goes on; the log can still be downloaded.
    }
  };

  Incident.prototype.load = function () {
    var saved = this.store ? this.read() : null;
    if (saved) {
      this.state = saved;
    } else if (this.state && this.store) {
      this.state = null; // ended in another tab
    }
    try {
      this.show();
    } catch (error) {
      // A state the checks let through but the page cannot show: never stuck on it.
      this.setAside(this.key);
      this.state = null;
      this.show();
    }
  };

  // The stored incident, or null; a stored value that cannot be used is set aside.
  // An entry of the versions before the plan key is moved here once, if it passes.
  Incident.prototype.read = function () {
    var stored = this.store.getItem(this.key);
    var found = log.unseal(stored, this.key, this.secret, this.verify);
    if (found.problem) this.setAside(this.key);
    if (stored !== null) return found.state;
    var old = this.store.getItem(this.legacyKey);
    if (old === null) return null;
    var state = log.restore(old);
    if (!state) {
      this.setAside(this.legacyKey);
      return null;
    }
    this.state = state;
    this.save();
    this.store.removeItem(this.legacyKey);
    return state;
  };

  // A stored value put out of the page's way (kept under another key, in case it is
  // someone's work), and the reader told, calmly, once: the value is gone from here.
  Incident.prototype.setAside = function (key) {
    try {
      var value = this.store.getItem(key);
      this.store.removeItem(key);
      if (value !== null) this.store.setItem(log.SET_ASIDE_PREFIX + key, value);
    } catch (error) {
      // Storage refused: the value is gone from the page's key all the same.
    }
    this.notice.hidden = false;
  };

  /* The panel */

  Incident.prototype.build = function () {
    var self = this;
    var box = this.box;
    box.textContent = "";
    box.appendChild(element("h3", "cp-inc-title", this.w("incident_title")));
    this.notice = element("p", "cp-inc-notice", this.w("incident_set_aside"));
    this.notice.setAttribute("role", "status");
    this.notice.hidden = true;
    box.appendChild(this.notice);
    if (location.protocol === "file:") box.appendChild(element("p", "cp-inc-storage", this.w("incident_file_storage")));

    this.idle = element("div", "cp-inc-idle");
    // A scenario the plan times nothing in has no deadline to turn into a time of
    // day: the panel must not promise one.
    var timed = document.querySelector("[data-cp-offset-minutes]") ||
      this.targets.acknowledge !== null || this.targets.first_statement !== null || this.targets.update !== null;
    this.idle.appendChild(element("p", "cp-inc-intro", this.w(timed ? "incident_intro" : "incident_intro_untimed")));
    var form = element("div", "cp-inc-start");
    var label = element("label", "cp-inc-field");
    label.appendChild(element("span", "", this.w("incident_started_at")));
    this.startInput = element("input", "cp-inc-time");
    this.startInput.type = "time";
    label.appendChild(this.startInput);
    form.appendChild(label);
    this.startButton = element("button", "md-button md-button--primary cp-inc-start-button", this.w("incident_start"));
    this.startButton.type = "button";
    this.startButton.addEventListener("click", function () { self.start(); });
    form.appendChild(this.startButton);
    this.idle.appendChild(form);
    box.appendChild(this.idle);

    this.running = element("div", "cp-inc-running");
    this.status = element("p", "cp-inc-status");
    this.next = element("p", "cp-inc-next");
    this.overdue = element("p", "cp-inc-overdue");
    this.targetList = element("ul", "cp-inc-targets");
    this.running.appendChild(this.status);
    this.running.appendChild(this.next);
    this.running.appendChild(this.overdue);
    this.running.appendChild(this.targetList);

    var note = element("div", "cp-inc-note");
    var noteLabel = element("label", "cp-inc-field");
    noteLabel.appendChild(element("span", "", this.w("incident_note")));
    this.noteInput = element("textarea", "cp-inc-note-text");
    this.noteInput.rows = 2;
    noteLabel.appendChild(this.noteInput);
    note.appendChild(noteLabel);
    var add = element("button", "md-button cp-inc-add-note", this.w("incident_add_note"));
    add.type = "button";
    add.addEventListener("click", function () { self.addNote(); });
    note.appendChild(add);
    this.running.appendChild(note);

    var buttons = element("div", "cp-inc-buttons");
    var download = element("button", "md-button md-button--primary cp-inc-download", this.w("incident_download"));
    download.type = "button";
    download.addEventListener("click", function () { self.download(); });
    var end = element("button", "md-button cp-inc-end", this.w("incident_end"));
    end.type = "button";
    end.addEventListener("click", function () { self.end(); });
    var print = element("button", "md-button cp-inc-print", this.w("incident_print"));
    print.type = "button";
    print.addEventListener("click", function () { self.printable(); });
    buttons.appendChild(download);
    buttons.appendChild(print);
    buttons.appendChild(end);
    this.running.appendChild(buttons);

    this.logBox = element("details", "cp-inc-log");
    this.logTitle = element("summary", "", this.w("incident_log"));
    this.logList = element("ol", "cp-inc-log-list");
    this.logBox.appendChild(this.logTitle);
    this.logBox.appendChild(this.logList);
    this.running.appendChild(this.logBox);
    box.appendChild(this.running);

    // Always in sight on a phone while an incident runs: what is due next.
    this.bar = element("a", "cp-inc-bar");
    this.bar.href = "#" + box.id;
    this.bar.hidden = true;
    document.body.appendChild(this.bar);
  };

  Incident.prototype.start = function () {
    this.notice.hidden = true;
    this.dropAsk();
    // An earlier time typed in the field, or now; a later one was yesterday's.
    var started = clock.startedAt(this.startInput.value, Date.now());
    this.state = log.start(started, this.w("incident_log_started"));
    // Ticks and values typed before the start belong to the incident too.
    var self = this;
    document.querySelectorAll("li.cp-action .cp-check").forEach(function (box) {
      if (box.checked) self.tick("action", box.closest("li.cp-action").getAttribute("data-cp-action"), true);
    });
    document.querySelectorAll(".cp-statement .cp-input").forEach(function (input) {
      if (input.value) self.state.fields[self.fieldKey(input)] = input.value;
    });
    this.save();
    this.show();
  };

  Incident.prototype.end = function () {
    if (!window.confirm(this.w("incident_end_confirm"))) return;
    if (this.store) this.store.removeItem(this.key);
    this.state = null;
    this.dropAsk();
    document.querySelectorAll("li.cp-action .cp-check").forEach(function (box) { box.checked = false; });
    document.querySelectorAll(".cp-statement .cp-input").forEach(function (input) {
      if (!input.value) return;
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    this.noteInput.value = "";
    this.show();
  };

  // The first tick, made before the incident was started: it starts the incident now (or at
  // the time already typed in the start form), saved at once with the tick, and asks
  // once, beside the tick, when the incident really began.
  Incident.prototype.startOnTick = function (item) {
    this.start();
    this.askStart(item);
  };

  Incident.prototype.askStart = function (item) {
    var self = this;
    var ask = element("div", "cp-inc-ask");
    ask.setAttribute("role", "group");
    var said = element("p", "cp-inc-ask-text", this.w("incident_started_by_tick", { time: this.time(this.state.startedMs) }));
    said.setAttribute("role", "status");
    ask.appendChild(said);
    var row = element("div", "cp-inc-start");
    var label = element("label", "cp-inc-field");
    label.appendChild(element("span", "", this.w("incident_began_at")));
    var input = element("input", "cp-inc-time cp-inc-ask-time");
    input.type = "time";
    input.value = clock.timeOfDay(this.state.startedMs, this.state.startedMs, this.language);
    label.appendChild(input);
    row.appendChild(label);
    var set = element("button", "md-button md-button--primary cp-inc-ask-set", this.w("incident_began_set"));
    set.type = "button";
    set.addEventListener("click", function () { self.answerStart(input.value); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") self.answerStart(input.value);
    });
    row.appendChild(set);
    ask.appendChild(row);
    item.appendChild(ask);
    this.ask = ask;
  };

  // The time the reader gave (empty or unchanged: the start stays), then no more asking.
  Incident.prototype.answerStart = function (typed) {
    this.dropAsk();
    if (!this.state || !typed) return;
    var at = clock.startedAt(typed, Date.now());
    if (clock.minutesBetween(at, this.state.startedMs) === 0) return;
    log.retime(this.state, at);
    this.save();
    this.show();
  };

  Incident.prototype.dropAsk = function () {
    if (this.ask && this.ask.parentNode) this.ask.parentNode.removeChild(this.ask);
    this.ask = null;
  };

  // An action, escalation or target ticked (done) or unticked, into the log.
  Incident.prototype.tick = function (kind, id, done) {
    log.tick(this.state, Date.now(), kind, id, done, this.describe(kind, id));
  };

  Incident.prototype.describe = function (kind, id) {
    var node = null;
    if (kind === "action") node = document.querySelector('li.cp-action[data-cp-action="' + cssEscape(id) + '"] .cp-do');
    else if (kind === "escalation") node = document.querySelector('li[data-cp-escalation="' + cssEscape(id) + '"] .cp-tl-text');
    if (node) return node.textContent.trim();
    if (kind === "target") return this.w(id === "acknowledge" ? "incident_acknowledge" : "incident_first_statement");
    return id;
  };

  Incident.prototype.addNote = function () {
    var text = this.noteInput.value.trim();
    if (!this.state || !text) return;
    log.note(this.state, Date.now(), text);
    this.noteInput.value = "";
    this.save();
    this.show();
  };

  Incident.prototype.fieldKey = function (input) {
    var card = input.closest(".cp-statement");
    var variant = input.closest(".cp-variant");
    return log.fieldKey(card && card.getAttribute("data-statement"), variant && variant.getAttribute("lang"), input.getAttribute("data-ph"));
  };

  // Another page took this one's place (instant navigation): no clock, no bar left.
  Incident.prototype.stop = function () {
    this.dropAsk();
    clearInterval(this.timer);
    this.timer = null;
    if (this.bar.parentNode) this.bar.parentNode.removeChild(this.bar);
    document.body.classList.remove("cp-incident-running");
  };

  // Once per script load, not per page: instant navigation must not pile them up.
  function listen() {
    document.addEventListener("change", function (event) {
      var self = current;
      var target = event.target;
      if (!self || !target.matches) return;
      if (!self.state) {
        // The start button is screens below the first actions, and a phone may reload
        // the tab after a call: a tick is never left outside an incident.
        if (target.checked && target.matches("li.cp-action .cp-check")) self.startOnTick(target.closest("li.cp-action"));
        return;
      }
      if (target.matches("li.cp-action .cp-check")) {
        self.tick("action", target.closest("li.cp-action").getAttribute("data-cp-action"), target.checked);
      } else if (target.matches(".cp-inc-check")) {
        self.tick(target.getAttribute("data-kind"), target.getAttribute("data-id"), target.checked);
      } else {
        return;
      }
      self.save();
      self.show();
    });
    document.addEventListener("input", function (event) {
      var self = current;
      var target = event.target;
      if (!self || !self.state || !target.matches) return;
      if (target.matches(".cp-statement .cp-input")) {
        self.state.fields[self.fieldKey(target)] = target.value;
        self.save();
      } else if (target === self.noteInput) {
        self.state.note = target.value; // a half-typed note survives a reload too
        self.save();
      }
    });
    // A statement copied: crisisplan.js says so, with exactly the text copied.
    document.addEventListener("cp:copied", function (event) {
      var self = current;
      var detail = event.detail || {};
      if (!self || !self.state) return;
      log.copy(self.state, Date.now(), detail);
      self.save();
      self.show();
    });
    // Another tab changed or ended this incident; Back restored this page from memory.
    window.addEventListener("storage", function (event) {
      if (current && event.key === current.key) current.load();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && current) current.load();
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && current && current.state) current.refresh();
    });
  }

  /* Showing the state on the page */

  Incident.prototype.show = function () {
    var self = this;
    var running = !!this.state;
    this.idle.hidden = running;
    this.running.hidden = !running;
    this.box.classList.toggle("cp-inc-on", running);
    document.body.classList.toggle("cp-incident-running", running);
    clearInterval(this.timer);
    this.timer = null;
    if (!running) {
      this.bar.hidden = true;
      this.targetSignature = null;
      this.undecorate();
      return;
    }
    var state = this.state;
    document.querySelectorAll("li.cp-action").forEach(function (item) {
      var box = item.querySelector(".cp-check");
      if (box) box.checked = !!state.done["action/" + item.getAttribute("data-cp-action")];
    });
    document.querySelectorAll(".cp-statement .cp-input").forEach(function (input) {
      var saved = state.fields[self.fieldKey(input)];
      if (typeof saved === "string" && input.value !== saved) {
        input.value = saved;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    if (document.activeElement !== this.noteInput) this.noteInput.value = state.note || "";
    this.decorate();
    this.showLog();
    this.refresh();
    this.timer = setInterval(function () { self.refresh(); }, REFRESH_MS);
  };

  // Check boxes for escalation steps (in the timeline and under the first actions)
  // and clock times beside every T+.
  Incident.prototype.decorate = function () {
    var self = this;
    document.querySelectorAll("[data-cp-escalation], [data-cp-next-escalation]").forEach(function (item) {
      var id = item.getAttribute("data-cp-escalation") || item.getAttribute("data-cp-next-escalation");
      self.checkbox(item, "escalation", id);
    });
    document.querySelectorAll("[data-cp-target]").forEach(function (item) {
      self.checkbox(item, "target", item.getAttribute("data-cp-target"));
    });
    document.querySelectorAll("[data-cp-offset-minutes]").forEach(function (item) {
      if (item.querySelector(".cp-clock")) return;
      var at = item.querySelector(".cp-at, .cp-tl-at");
      var clock = element("span", "cp-clock");
      var due = element("span", "cp-due");
      if (at) {
        at.parentNode.insertBefore(due, at.nextSibling);
        at.parentNode.insertBefore(clock, at.nextSibling);
      } else {
        item.insertBefore(due, item.firstChild);
        item.insertBefore(clock, item.firstChild);
      }
    });
  };

  Incident.prototype.checkbox = function (item, kind, id) {
    var box = item.querySelector(".cp-inc-check");
    if (!box) {
      var label = element("label", "cp-inc-done");
      box = element("input", "cp-inc-check");
      box.type = "checkbox";
      box.setAttribute("data-kind", kind);
      box.setAttribute("data-id", id);
      label.appendChild(box);
      label.appendChild(element("span", "cp-inc-done-text", this.w("incident_done")));
      item.insertBefore(label, item.firstChild);
    }
    box.checked = !!this.state.done[kind + "/" + id];
    return box;
  };

  Incident.prototype.undecorate = function () {
    document.querySelectorAll(".cp-inc-done, .cp-clock, .cp-due").forEach(function (node) {
      node.parentNode.removeChild(node);
    });
    document.querySelectorAll(".cp-is-overdue, .cp-is-done").forEach(function (node) {
      node.classList.remove("cp-is-overdue", "cp-is-done");
    });
  };

  // Everything with a deadline, from the page and the severity's targets.
  Incident.prototype.deadlines = function () {
    var self = this;
    var state = this.state;
    var start = state.startedMs;
    var items = [];
    document.querySelectorAll("li.cp-action[data-cp-offset-minutes]").forEach(function (item) {
      var id = item.getAttribute("data-cp-action");
      items.push({ node: item, due: clock.due(start, self.minutes(item, "data-cp-offset-minutes")), done: !!state.done[log.doneKey("action", id)], text: self.describe("action", id) });
    });
    document.querySelectorAll("[data-cp-escalation][data-cp-offset-minutes], [data-cp-next-escalation][data-cp-offset-minutes]").forEach(function (item) {
      var id = item.getAttribute("data-cp-escalation") || item.getAttribute("data-cp-next-escalation");
      var listed = item.hasAttribute("data-cp-escalation");
      items.push({ node: item, due: clock.due(start, self.minutes(item, "data-cp-offset-minutes")), done: !!state.done[log.doneKey("escalation", id)], text: self.describe("escalation", id), shown: listed });
    });
    document.querySelectorAll("[data-cp-target][data-cp-offset-minutes]").forEach(function (item) {
      var id = item.getAttribute("data-cp-target");
      items.push({ node: item, due: clock.due(start, self.minutes(item, "data-cp-offset-minutes")), done: !!state.done[log.doneKey("target", id)], shown: false });
    });
    return items;
  };

  // The panel's own list: the severity's targets, with a check box each, and the
  // next update at the severity's cadence.
  Incident.prototype.targetItems = function () {
    var state = this.state;
    var start = state.startedMs;
    var items = [];
    if (this.targets.acknowledge !== null) {
      items.push({ id: "acknowledge", text: this.w("incident_acknowledge"), due: clock.due(start, this.targets.acknowledge), done: !!state.done[log.doneKey("target", "acknowledge")] });
    }
    if (this.targets.first_statement !== null) {
      items.push({ id: "first_statement", text: this.w("incident_first_statement"), due: clock.due(start, this.targets.first_statement), done: !!state.done[log.doneKey("target", "first_statement")] });
    }
    if (this.targets.update !== null) {
      var from = state.lastUpdateMs || (this.targets.first_statement === null ? start : null);
      if (from !== null) items.push({ id: "update", text: this.w("incident_next_update"), due: clock.due(from, this.targets.update), done: false });
    }
    return items;
  };

  // What is left ("in 12m"), due in this very minute, or overdue ("5m overdue"), and
  // which: in the clock minutes T+ counts.
  Incident.prototype.left = function (due, now) {
    var left = clock.left(due, now, this.say());
    var key = left.overdue ? "incident_overdue" : left.now ? "incident_due_now" : "incident_due_in";
    return { overdue: left.overdue, text: this.w(key, { time: left.time }) };
  };

  Incident.prototype.refresh = function () {
    if (!this.state) return;
    var self = this;
    var now = Date.now();
    var start = this.state.startedMs;
    this.status.textContent = this.w("incident_running", {
      time: this.time(start),
      elapsed: this.since(now)
    });
    var pending = [];
    this.deadlines().forEach(function (item) {
      var left = self.left(item.due, now);
      item.node.querySelectorAll(":scope > .cp-clock, :scope > label > .cp-clock").forEach(function (shown) {
        shown.textContent = self.time(item.due);
      });
      item.node.querySelectorAll(":scope > .cp-due, :scope > label > .cp-due").forEach(function (due) {
        due.textContent = item.done ? "" : left.text;
      });
      item.node.classList.toggle("cp-is-done", item.done);
      item.node.classList.toggle("cp-is-overdue", !item.done && left.overdue);
      // The "then tell" copy of an escalation step is not counted twice.
      if (!item.done && item.shown !== false) pending.push({ due: item.due, text: item.text, left: left });
    });

    var targets = this.targetItems();
    var signature = targets.map(function (item) { return item.id; }).join(" ");
    if (this.targetSignature !== signature) {
      // Built again only when the list changes, so a focused check box keeps its focus.
      this.targetSignature = signature;
      this.targetList.textContent = "";
      targets.forEach(function (item) { self.targetList.appendChild(self.targetRow(item)); });
    }
    targets.forEach(function (item, index) {
      var left = self.left(item.due, now);
      var row = self.targetList.children[index];
      var box = row.querySelector(".cp-inc-check");
      if (box) box.checked = item.done;
      row.classList.toggle("cp-is-done", item.done);
      row.classList.toggle("cp-is-overdue", !item.done && left.overdue);
      row.querySelector(".cp-clock").textContent = self.time(item.due);
      row.querySelector(".cp-due").textContent = item.done ? "" : left.text;
      if (!item.done) pending.push({ due: item.due, text: item.text, left: left });
    });
    pending.sort(function (a, b) { return a.due - b.due; });
    var late = pending.filter(function (item) { return item.left.overdue; });
    var upcoming = pending.filter(function (item) { return !item.left.overdue; });
    this.next.textContent = "";
    if (upcoming.length) {
      this.next.appendChild(element("strong", "", this.w("incident_next") + ": "));
      this.next.appendChild(document.createTextNode(this.time(upcoming[0].due) + " " + upcoming[0].text + " (" + upcoming[0].left.text + ")"));
    } else {
      this.next.textContent = this.w("incident_nothing_due");
    }
    this.overdue.textContent = late.length ? this.w("incident_overdue_count", { count: late.length }) + " · " + late[0].text : "";
    this.overdue.hidden = !late.length;

    var first = late[0] || upcoming[0];
    this.bar.hidden = false;
    this.bar.classList.toggle("cp-is-overdue", !!late.length);
    this.bar.textContent = "";
    this.bar.appendChild(element("span", "cp-inc-bar-time", this.since(now)));
    if (late.length) this.bar.appendChild(element("span", "cp-inc-bar-late", this.w("incident_overdue_count", { count: late.length })));
    this.bar.appendChild(element("span", "cp-inc-bar-next", first ? this.time(first.due) + " " + first.text + " · " + first.left.text : this.w("incident_nothing_due")));
  };

  // One row of the panel's targets: a check box (or, for the update cadence, a button
  // to say an update went out), the clock time and what is left.
  Incident.prototype.targetRow = function (item) {
    var self = this;
    var row = element("li", "cp-inc-target");
    if (item.id === "update") {
      row.appendChild(element("span", "cp-inc-target-text", item.text));
    } else {
      var label = element("label", "cp-inc-done");
      var box = element("input", "cp-inc-check");
      box.type = "checkbox";
      box.setAttribute("data-kind", "target");
      box.setAttribute("data-id", item.id);
      label.appendChild(box);
      label.appendChild(element("span", "cp-inc-target-text", item.text));
      row.appendChild(label);
    }
    row.appendChild(element("span", "cp-clock"));
    row.appendChild(element("span", "cp-due"));
    if (item.id === "update") {
      var posted = element("button", "md-button cp-inc-update", this.w("incident_update_posted"));
      posted.type = "button";
      posted.addEventListener("click", function () { self.updatePosted(); });
      row.appendChild(posted);
    }
    return row;
  };

  Incident.prototype.updatePosted = function () {
    log.update(this.state, Date.now(), this.w("incident_update_posted"));
    this.save();
    this.show();
  };

  Incident.prototype.showLog = function () {
    var self = this;
    var say = function (key, values) { return self.w(key, values); };
    this.logList.textContent = "";
    this.logTitle.textContent = this.w("incident_log") + " (" + this.state.events.length + ")";
    // Newest first: the last thing done is what the reader wants to check.
    this.state.events.slice().reverse().forEach(function (event) {
      var row = element("li", "cp-inc-log-" + event.kind);
      row.appendChild(element("span", "cp-clock", self.time(Date.parse(event.at))));
      row.appendChild(document.createTextNode(" " + log.describe(event, say)));
      self.logList.appendChild(row);
    });
  };

  // The log as the file holds it (a note still being typed in it too, as unsent_note).
  Incident.prototype.logFile = function () {
    var heading = document.querySelector("h1");
    var page = {
      scenario: this.box.getAttribute("data-cp-scenario"),
      title: heading ? heading.textContent : "",
      language: this.language,
      notice: this.w("incident_log_unverified")
    };
    return log.logDocument(page, this.state, Date.now());
  };

  // The log as a file, for `crisisplan review SCENARIO --from-log FILE`.
  Incident.prototype.download = function () {
    var file = this.logFile();
    this.offer(log.fileText(file), "application/json", log.fileName(file));
  };

  // The log as a page to read, print or keep, in the page's language (no network).
  Incident.prototype.printable = function () {
    var self = this;
    var file = this.logFile();
    var say = function (key, values) { return self.w(key, values); };
    this.offer(log.timelineHtml(file, say), "text/html", log.fileName(file, "html"));
  };

  // Text saved as a file in the reader's downloads.
  Incident.prototype.offer = function (text, type, name) {
    var blob = new Blob([text], { type: type + ";charset=utf-8" });
    var link = element("a", "cp-inc-file");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
      link.parentNode.removeChild(link);
    }, 60000);
  };

  function cssEscape(text) {
    return window.CSS && CSS.escape ? CSS.escape(text) : String(text).replace(/["\\]/g, "\\$&");
  }

  // Runs for every page shown, and more than once for the same page: only a page
  // whose panel is new gets a new Incident.
  function init() {
    var box = document.querySelector(".cp-incident[data-cp-scenario]");
    if (current && current.box === box) return;
    if (current) current.stop();
    current = box ? new Incident(box) : null;
  }

  registerOffline();
  listen();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // The hook both themes document for extra scripts: one value per page shown, the
  // first one too (init ignores a page it has already started).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  }
})(window.crisisplan = window.crisisplan || {});
