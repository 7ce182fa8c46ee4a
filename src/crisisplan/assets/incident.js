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
   - incident-log.js    crisisplan.log: the stored state, the log's events and file;
   - incident-share.js  crisisplan.share: a log as QR codes and links, join codes,
                        the room's queue and clock;
   - incident-room.js   crisisplan.room: the team's room, only on a page whose panel
                        has data-cp-room (the internal edition, with room: set);
   publish/site/scripts.py lists them in the order every page loads them (the
   share and room scripts first: they read the others only when used). The QR
   encoder, vendor/qrcode-generator/qrcode.js (window.qrcode), is loaded the first
   time a page draws a QR code.

   Who uses the phone is asked once per device (not per scenario), when the reader
   starts or ticks, never on the way to reading: every event then carries "by", and
   the log says who used the device. A log from another phone (a file, or the links
   of its QR codes) is added as a union: the same event twice counts once.

   What it reads from the page (written by fragments.html.j2 and site/scenario.md.j2):
   - div.cp-incident[data-cp-scenario="plan/scenario"], with data-cp-plan-key (a hex
     digest of the plan's identity: the storage key) and data-cp-plan-seal (a hex secret
     that never goes into storage: the seal's key) when the build writes them, and
     data-cp-acknowledge-minutes,
     data-cp-first-statement-minutes and data-cp-update-minutes (the severity's
     targets), and data-cp-words (the labels, JSON, from the gettext catalog: this
     script carries no words of its own), data-cp-roles (the plan's roles' titles,
     JSON, in the page's language), and data-cp-room (the team's room) when set;
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
  var share = cp.share;
  var REFRESH_MS = 15000;
  // Who uses this device, for every scenario page: a role's title or a name.
  var WHO_KEY = log.STORE_PREFIX + "who";
  // The parts of a log read so far from QR links, while the tab is open.
  var PARTS_KEY = log.STORE_PREFIX + "qr-parts";
  // The QR encoder (publish/site/scripts.py QR_SCRIPT), beside this script.
  var QR_SCRIPT = document.currentScript && document.currentScript.src ?
    new URL("vendor/qrcode-generator/qrcode.js", document.currentScript.src).href : "";
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
    this.roles = this.list(box.getAttribute("data-cp-roles"));
    this.who = this.readWho();
    // Milliseconds this phone's clock is behind the incident's (the room's), or 0.
    this.offset = 0;
    this.state = null;
    this.timer = null;
    if (!box.id) box.id = "cp-incident";
    // Only a page the team gave a room (internal edition, room: in crisisplan.yaml).
    this.room = box.getAttribute("data-cp-room") && cp.room ? new cp.room.Room(this, box.getAttribute("data-cp-room")) : null;
    this.build();
    this.load();
    this.handed();
    if (this.room) this.room.resume();
  }

  Incident.prototype.list = function (text) {
    try {
      var given = JSON.parse(text || "[]");
      return Array.isArray(given) ? given.filter(function (item) { return typeof item === "string" && item; }) : [];
    } catch (error) {
      return [];
    }
  };

  // The moment, on the incident's clock: the room's when the phone is in one.
  Incident.prototype.now = function () {
    return Date.now() + this.offset;
  };

  /* Who uses this phone */

  function oneLine(text) {
    return String(text || "").replace(/\s+/g, " ").trim().slice(0, 200);
  }

  Incident.prototype.readWho = function () {
    try {
      return oneLine(window.localStorage.getItem(WHO_KEY));
    } catch (error) {
      return "";
    }
  };

  Incident.prototype.setWho = function (who) {
    who = oneLine(who);
    if (!who) return;
    this.who = who;
    try {
      window.localStorage.setItem(WHO_KEY, who);
    } catch (error) {
      // Not kept: asked again on the next page.
    }
    if (this.state) {
      log.sign(this.state, who); // what was done before the answer was done here
      this.save();
    }
    this.dropWho();
    this.show();
    var next = this.afterWho;
    this.afterWho = null;
    if (next) next();
  };

  // The question, once: a role of the plan, or a name. Beside "item" when given (the
  // tick that started the clock), else at the top of the panel. "then": what to do
  // once answered (join the room).
  Incident.prototype.askWho = function (item, then) {
    if (then) this.afterWho = then;
    if (!this.whoAsk) this.whoAsk = this.whoForm();
    var where = item || this.whoSpot;
    if (this.whoAsk.parentNode !== where) where.appendChild(this.whoAsk);
  };

  Incident.prototype.whoForm = function () {
    var self = this;
    var ask = element("div", "cp-inc-who");
    ask.setAttribute("role", "group");
    ask.appendChild(element("p", "cp-inc-who-text", this.w("incident_who_ask")));
    var row = element("div", "cp-inc-start");
    var select = null;
    if (this.roles.length) {
      var roleLabel = element("label", "cp-inc-field");
      roleLabel.appendChild(element("span", "", this.w("incident_who_role")));
      select = element("select", "cp-inc-who-role");
      select.appendChild(element("option", "", ""));
      this.roles.forEach(function (title) { select.appendChild(element("option", "", title)); });
      roleLabel.appendChild(select);
      row.appendChild(roleLabel);
    }
    var nameLabel = element("label", "cp-inc-field");
    nameLabel.appendChild(element("span", "", this.w("incident_who_name")));
    var name = element("input", "cp-inc-who-name");
    name.type = "text";
    name.maxLength = 200;
    name.autocomplete = "name";
    nameLabel.appendChild(name);
    row.appendChild(nameLabel);
    var set = element("button", "md-button md-button--primary cp-inc-who-set", this.w("incident_who_set"));
    set.type = "button";
    var answer = function () { self.setWho(name.value.trim() || (select ? select.value : "")); };
    set.addEventListener("click", answer);
    name.addEventListener("keydown", function (event) { if (event.key === "Enter") answer(); });
    if (select) select.addEventListener("change", function () { if (select.value) self.setWho(select.value); });
    row.appendChild(set);
    ask.appendChild(row);
    return ask;
  };

  Incident.prototype.dropWho = function () {
    if (this.whoAsk && this.whoAsk.parentNode) this.whoAsk.parentNode.removeChild(this.whoAsk);
  };

  // "You are: Crisis lead · change", once answered.
  Incident.prototype.showWho = function () {
    this.whoLine.hidden = !this.who;
    this.whoName.textContent = this.who ? this.w("incident_who_is", { name: this.who }) : "";
  };

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
    return clock.timeOfDay(ms, this.now(), this.language);
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
    if (!this.state) return;
    // Who did what was just done, and its UUID: before it is kept, shown or sent.
    log.stamp(this.state, 0, this.who, function () { return share.uuid(window.crypto); });
    if (this.room) this.room.push();
    if (!this.store) return;
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
    this.idle.appendChild(this.handover(false));

    this.whoLine = element("p", "cp-inc-who-line");
    this.whoName = element("span", "cp-inc-who-name-shown");
    var change = element("button", "cp-inc-link cp-inc-who-change", this.w("incident_who_change"));
    change.type = "button";
    change.addEventListener("click", function () { self.askWho(null); });
    this.whoLine.appendChild(this.whoName);
    this.whoLine.appendChild(document.createTextNode(" · "));
    this.whoLine.appendChild(change);
    this.whoSpot = element("div", "cp-inc-who-spot");
    // Above both the start form and the running panel: a room may ask before a start.
    box.insertBefore(this.whoSpot, this.idle);
    box.insertBefore(this.whoLine, this.whoSpot);

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
    this.running.appendChild(this.handover(true));

    this.logBox = element("details", "cp-inc-log");
    this.logTitle = element("summary", "", this.w("incident_log"));
    this.logList = element("ol", "cp-inc-log-list");
    this.logBox.appendChild(this.logTitle);
    this.logBox.appendChild(this.logList);
    this.running.appendChild(this.logBox);
    box.appendChild(this.running);
    // The team's room under who uses the phone: whether what is done here is shared.
    if (this.room) box.insertBefore(this.room.build(), this.idle);

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
    var started = clock.startedAt(this.startInput.value, this.now());
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
    if (!this.who) this.askWho(null);
  };

  Incident.prototype.end = function () {
    if (!window.confirm(this.w("incident_end_confirm"))) return;
    if (this.store) this.store.removeItem(this.key);
    this.state = null;
    if (this.room) this.room.leave();
    this.dropAsk();
    this.dropWho();
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
    if (!this.who) this.askWho(item);
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
    var at = clock.startedAt(typed, this.now());
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
    log.tick(this.state, this.now(), kind, id, done, this.describe(kind, id));
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
    log.note(this.state, this.now(), text);
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
    this.dropWho();
    this.stopScan();
    if (this.room) this.room.stop();
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
      log.copy(self.state, self.now(), detail);
      self.save();
      self.show();
    });
    // Another tab changed or ended this incident; Back restored this page from memory.
    window.addEventListener("storage", function (event) {
      if (current && event.key === current.key) current.load();
    });
    // A log's QR link opened in a tab already on this page changes only its fragment.
    window.addEventListener("hashchange", function () {
      if (current) current.handed();
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
    this.showWho();
    if (this.room) this.room.show();
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
    var now = this.now();
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
    log.update(this.state, this.now(), this.w("incident_update_posted"));
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
      // Who did it, when it was not this phone's reader (or when several phones share).
      if (event.by) row.appendChild(element("span", "cp-inc-log-by", event.by));
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
      notice: this.w("incident_log_unverified"),
      by: this.who
    };
    return log.logDocument(page, this.state, this.now());
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

  /* Handing a log over: a file, or QR codes (links to this page with the log in
     the fragment, which never reaches a server). */

  // The import (and, while an incident runs, the QR code) controls.
  Incident.prototype.handover = function (running) {
    var self = this;
    var part = element("div", "cp-inc-handover");
    var row = element("div", "cp-inc-buttons");
    var pick = element("label", "md-button cp-inc-import");
    pick.appendChild(element("span", "", this.w("incident_import")));
    var input = element("input", "cp-inc-import-file");
    input.type = "file";
    input.accept = "application/json,.json";
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      input.value = "";
      if (file) self.importFile(file);
    });
    pick.appendChild(input);
    row.appendChild(pick);
    if (running) {
      var qr = element("button", "md-button cp-inc-qr-show", this.w("incident_qr_show"));
      qr.type = "button";
      qr.addEventListener("click", function () { self.showCodes(); });
      row.appendChild(qr);
    }
    if ("BarcodeDetector" in window && navigator.mediaDevices) {
      var scan = element("button", "md-button cp-inc-qr-scan", this.w("incident_qr_scan"));
      scan.type = "button";
      scan.addEventListener("click", function () { self.scan(part); });
      row.appendChild(scan);
    }
    part.appendChild(row);
    var said = element("p", "cp-inc-handover-said");
    said.setAttribute("role", "status");
    part.appendChild(said);
    if (running) {
      this.codes = element("div", "cp-inc-qr");
      this.codes.hidden = true;
      part.appendChild(this.codes);
    }
    (this.handoverSaid = this.handoverSaid || []).push(said);
    return part;
  };

  Incident.prototype.tell = function (text) {
    this.handoverSaid.forEach(function (said) { said.textContent = text; });
  };

  Incident.prototype.importFile = function (file) {
    var self = this;
    var reader = new FileReader();
    reader.onload = function () { self.addLog(log.readLog(String(reader.result), self.box.getAttribute("data-cp-scenario"))); };
    reader.onerror = function () { self.tell(self.w("incident_import_wrong")); };
    reader.readAsText(file);
  };

  // A log read (log.readLog): added to this phone's incident, or started as it when
  // none runs here; the reader told what came of it.
  Incident.prototype.addLog = function (read) {
    if (read.problem) {
      this.tell(this.w(read.problem === "other" ? "incident_import_other" : "incident_import_wrong"));
      return 0;
    }
    if (!this.state) this.state = log.empty(read.startedMs);
    var added = log.union(this.state, read.events, read.startedMs);
    this.save();
    this.show();
    this.tell(this.w("incident_import_added", { count: added }));
    return added;
  };

  // This phone's log as QR codes, one at a time: "1 of 3", then the next.
  Incident.prototype.showCodes = function () {
    var self = this;
    share.pack(this.logFile()).then(function (packed) {
      var parts = share.parts(packed, Math.random().toString(36).slice(2, 8));
      if (!parts) return;
      self.codeLinks = parts.map(function (part) { return share.logLink(location.href, part); });
      self.codeShown = 0;
      self.drawCode();
    });
  };

  Incident.prototype.drawCode = function () {
    var self = this;
    var links = this.codeLinks;
    var index = this.codeShown;
    this.codes.textContent = "";
    this.codes.hidden = false;
    var shown = element("div", "cp-inc-qr-frame");
    this.codes.appendChild(shown);
    this.qrImage(links[index], function (image) { if (self.codeShown === index) shown.appendChild(image); });
    var caption = element("p", "cp-inc-qr-caption", this.w("incident_qr_hint") + (links.length > 1 ? " " + this.w("incident_qr_part", { index: index + 1, total: links.length }) : ""));
    this.codes.appendChild(caption);
    if (links.length > 1) {
      var next = element("button", "md-button cp-inc-qr-next", this.w("incident_qr_next"));
      next.type = "button";
      next.addEventListener("click", function () {
        self.codeShown = (self.codeShown + 1) % links.length;
        self.drawCode();
      });
      this.codes.appendChild(next);
    }
  };

  // A QR code of text as an image (a GIF made on the phone: no request), given to
  // "then" once the encoder is loaded. It is loaded from beside this script the first
  // time a page needs it (a file of the site: from file:// too, and in the offline copy).
  Incident.prototype.qrImage = function (text, then) {
    withEncoder(function (encode) {
      var code = encode(0, "L");
      code.addData(text, "Byte");
      code.make();
      var image = element("img", "cp-inc-qr-image");
      var cell = Math.max(2, Math.floor(300 / (code.getModuleCount() + 8)));
      image.src = code.createDataURL(cell, cell * 4);
      image.alt = "";
      image.setAttribute("data-cp-qr", text);
      then(image);
    });
  };

  var encoderWaiting = [];
  function withEncoder(then) {
    if (typeof window.qrcode === "function") return then(window.qrcode);
    encoderWaiting.push(then);
    if (encoderWaiting.length > 1 || !QR_SCRIPT) return;
    var script = document.createElement("script");
    script.src = QR_SCRIPT;
    script.onload = function () {
      var waiting = encoderWaiting;
      encoderWaiting = [];
      if (typeof window.qrcode === "function") waiting.forEach(function (next) { next(window.qrcode); });
    };
    script.onerror = function () { encoderWaiting = []; };
    document.head.appendChild(script);
  }

  // A part of a log read (from this page's fragment or the console's scanner): kept
  // until every part is in, then added after asking.
  Incident.prototype.takePart = function (part) {
    var self = this;
    var held = null;
    try {
      held = JSON.parse(window.sessionStorage.getItem(PARTS_KEY) || "null");
    } catch (error) {
      held = null;
    }
    var got = share.gather(held && typeof held === "object" && held.texts ? held : null, part);
    try {
      window.sessionStorage.setItem(PARTS_KEY, JSON.stringify(got.held));
    } catch (error) {
      // Kept in memory only: a log of one code still works.
    }
    if (!got.packed) {
      this.tell(this.w("incident_link_part", { index: got.count, total: part.total }));
      return Promise.resolve(false);
    }
    try {
      window.sessionStorage.removeItem(PARTS_KEY);
    } catch (error) {
      // Nothing to clear.
    }
    return share.unpack(got.packed).then(function (text) {
      var read = text === null ? { problem: "wrong" } : log.readLog(text, self.box.getAttribute("data-cp-scenario"));
      if (!read.problem && !window.confirm(self.w("incident_link_ask", { count: read.events.length }))) return false;
      self.addLog(read);
      return true;
    });
  };

  // What the page was opened with: a part of a log (#cp-log=...), or the lead's
  // room link (#cp-room=...). The fragment is then taken off the address, so a reload
  // does not ask again.
  Incident.prototype.handed = function () {
    var found = share.readFragment(location.hash);
    if (!found) return;
    if (history.replaceState) history.replaceState(null, "", location.pathname + location.search);
    if (found.log) this.takePart(found.log);
    else if (found.room && this.room) this.room.invited(found.room);
  };

  // The console's own scanner, where the browser reads QR codes (BarcodeDetector).
  Incident.prototype.scan = function (part) {
    var self = this;
    if (this.scanning) return;
    var video = element("video", "cp-inc-qr-video");
    video.setAttribute("playsinline", "");
    video.muted = true;
    part.appendChild(video);
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var seen = {};
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      self.scanning = stream;
      video.srcObject = stream;
      video.play();
      var look = function () {
        if (self.scanning !== stream) return;
        detector.detect(video).then(function (codes) {
          codes.forEach(function (code) {
            if (seen[code.rawValue]) return;
            seen[code.rawValue] = true;
            var found = share.readFragment(code.rawValue.slice(code.rawValue.indexOf("#")));
            if (found && found.log) self.takePart(found.log).then(function (done) { if (done) self.stopScan(video); });
          });
        }).catch(function () {}).then(function () { setTimeout(look, 300); });
      };
      look();
    }).catch(function () {
      if (video.parentNode) video.parentNode.removeChild(video);
    });
  };

  Incident.prototype.stopScan = function (video) {
    if (this.scanning) this.scanning.getTracks().forEach(function (track) { track.stop(); });
    this.scanning = null;
    if (video && video.parentNode) video.parentNode.removeChild(video);
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
