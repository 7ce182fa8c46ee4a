/* crisisplan incident mode: a clock for the deadlines, and a log that becomes the
   post-crisis review (`crisisplan review SCENARIO --from-log FILE`).

   Plain JavaScript, no library, no network: it works from file:// on a USB stick as
   well as from a web server. Everything is kept in this browser's localStorage, one
   entry per plan and scenario, so a reload, Back or a closed tab loses nothing, and
   "End incident" clears it.

   What it reads from the page (written by fragments.html.j2 and site/scenario.md.j2):
   - div.cp-incident[data-cp-scenario="plan/scenario"] with data-cp-acknowledge-minutes,
     data-cp-first-statement-minutes and data-cp-update-minutes (the severity's
     targets), and data-cp-words (the labels, JSON; English is built in below);
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
(function () {
  "use strict";

  var STORE_PREFIX = "crisisplan-incident:";
  var LOG_FORMAT = "crisisplan-incident-log";
  var LOG_VERSION = 1;
  var REFRESH_MS = 15000;
  // The incident of the page on screen: the listeners, registered once, act on it.
  var current = null;

  // The English words, used for any label the page does not give.
  var ENGLISH = {
    incident_title: "Incident clock and log",
    incident_intro: "Start the clock when the incident begins: every deadline becomes a time of day, and your ticks, fields and notes are kept in this browser.",
    incident_started_at: "Started at (empty: now)",
    incident_start: "Start incident",
    incident_running: "Started {time} · now {elapsed}",
    incident_next: "Next",
    incident_due_in: "in {time}",
    incident_overdue: "{time} overdue",
    incident_overdue_count: "Overdue: {count}",
    incident_nothing_due: "Nothing else is due.",
    incident_acknowledge: "First reaction",
    incident_first_statement: "First public statement",
    incident_next_update: "Next public update",
    incident_update_posted: "Update posted",
    incident_done: "Done",
    incident_note: "Note for the log",
    incident_add_note: "Add to log",
    incident_download: "Download log",
    incident_end: "End incident",
    incident_end_confirm: "End the incident? Its ticks, fields and log are removed from this browser: download the log first.",
    incident_log: "Incident log",
    incident_log_started: "Incident started",
    incident_log_done: "Done: {what}",
    incident_log_undone: "Unticked: {what}",
    incident_log_copied: "Statement copied: {what}",
    incident_log_note: "Note: {text}"
  };

  /* ---- Small helpers ------------------------------------------------------------ */

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // A moment as ISO 8601 with the reader's own offset ("2026-11-22T10:05:00+01:00"):
  // the review shows the wall-clock times the team saw.
  function isoLocal(ms) {
    var d = new Date(ms);
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }

  // Minutes in the plan's own notation, as the page writes T+ times: 90 -> "1h30m".
  function duration(minutes) {
    if (minutes <= 0) return "0m";
    var text = "";
    [["d", 1440], ["h", 60], ["m", 1]].forEach(function (unit) {
      var count = Math.floor(minutes / unit[1]);
      minutes -= count * unit[1];
      if (count) text += count + unit[0];
    });
    return text;
  }

  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (token, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : token;
    });
  }

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
      store.setItem(STORE_PREFIX + "probe", "1");
      store.removeItem(STORE_PREFIX + "probe");
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
    this.box = box;
    this.key = STORE_PREFIX + box.getAttribute("data-cp-scenario");
    this.store = openStorage();
    this.words = this.readWords();
    this.language = (box.closest("[lang]") || document.documentElement).getAttribute("lang") || "en";
    this.targets = {
      acknowledge: this.minutes(box, "data-cp-acknowledge-minutes"),
      first_statement: this.minutes(box, "data-cp-first-statement-minutes"),
      update: this.minutes(box, "data-cp-update-minutes")
    };
    this.atFormat = this.readAtFormat();
    this.state = null;
    this.timer = null;
    if (!box.id) box.id = "cp-incident";
    this.build();
    this.load();
  }

  Incident.prototype.readWords = function () {
    var words = {};
    Object.keys(ENGLISH).forEach(function (key) { words[key] = ENGLISH[key]; });
    try {
      var given = JSON.parse(this.box.getAttribute("data-cp-words") || "{}");
      Object.keys(given).forEach(function (key) {
        if (typeof given[key] === "string" && given[key]) words[key] = given[key];
      });
    } catch (error) {
      // Malformed labels: English is better than nothing.
    }
    return words;
  };

  Incident.prototype.minutes = function (node, name) {
    var value = parseInt(node.getAttribute(name), 10);
    return isNaN(value) ? null : value;
  };

  // "T+{time}" in the page's language, learnt from an action's own "T+10m".
  Incident.prototype.readAtFormat = function () {
    var item = document.querySelector("[data-cp-offset-minutes] .cp-at, [data-cp-offset-minutes] .cp-tl-at");
    if (item) {
      var holder = item.closest("[data-cp-offset-minutes]");
      var shown = duration(this.minutes(holder, "data-cp-offset-minutes"));
      var text = item.textContent.trim();
      if (text.indexOf(shown) >= 0) return text.replace(shown, "{time}");
    }
    return "T+{time}";
  };

  Incident.prototype.w = function (key, values) {
    return fill(this.words[key] || ENGLISH[key] || key, values || {});
  };

  // A clock time; a deadline on another day than today carries its weekday.
  Incident.prototype.clock = function (ms) {
    var d = new Date(ms);
    var text = pad(d.getHours()) + ":" + pad(d.getMinutes());
    if (d.toDateString() !== new Date().toDateString()) {
      try {
        text = d.toLocaleDateString(this.language, { weekday: "short" }) + " " + text;
      } catch (error) {
        // An unknown language code: the time alone.
      }
    }
    return text;
  };

  /* Saving and loading */

  Incident.prototype.save = function () {
    if (!this.store || !this.state) return;
    try {
      this.store.setItem(this.key, JSON.stringify(this.state));
    } catch (error) {
      // Storage full: the page goes on; the log can still be downloaded.
    }
  };

  Incident.prototype.load = function () {
    var saved = null;
    try {
      saved = this.store ? JSON.parse(this.store.getItem(this.key) || "null") : null;
    } catch (error) {
      saved = null;
    }
    if (saved && saved.version === LOG_VERSION && typeof saved.startedMs === "number") {
      this.state = saved;
      this.state.done = saved.done || {};
      this.state.fields = saved.fields || {};
      this.state.events = saved.events || [];
    } else if (this.state && this.store) {
      this.state = null; // ended in another tab
    }
    this.show();
  };

  /* The panel */

  Incident.prototype.build = function () {
    var self = this;
    var box = this.box;
    box.textContent = "";
    box.appendChild(element("h3", "cp-inc-title", this.w("incident_title")));

    this.idle = element("div", "cp-inc-idle");
    this.idle.appendChild(element("p", "cp-inc-intro", this.w("incident_intro")));
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
    buttons.appendChild(download);
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
    var now = Date.now();
    var started = now;
    var typed = /^(\d{1,2}):(\d{2})/.exec(this.startInput.value || "");
    if (typed) {
      var at = new Date(now);
      at.setHours(parseInt(typed[1], 10), parseInt(typed[2], 10), 0, 0);
      // A time later than now is yesterday's: incidents run through midnight.
      if (at.getTime() > now + 60000) at.setDate(at.getDate() - 1);
      started = at.getTime();
    }
    this.state = { version: LOG_VERSION, startedMs: started, done: {}, fields: {}, events: [], lastUpdateMs: null };
    this.record({ at: isoLocal(started), kind: "start", text: this.w("incident_log_started") });
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
    document.querySelectorAll("li.cp-action .cp-check").forEach(function (box) { box.checked = false; });
    document.querySelectorAll(".cp-statement .cp-input").forEach(function (input) {
      if (!input.value) return;
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    this.noteInput.value = "";
    this.show();
  };

  Incident.prototype.record = function (event) {
    this.state.events.push(event);
  };

  // An action, escalation or target ticked (done) or unticked, into the log.
  Incident.prototype.tick = function (kind, id, done) {
    var key = kind + "/" + id;
    if (done) this.state.done[key] = Date.now();
    else delete this.state.done[key];
    this.record({ at: isoLocal(Date.now()), kind: kind, id: id, done: done, text: this.describe(kind, id) });
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
    this.record({ at: isoLocal(Date.now()), kind: "note", text: text });
    this.noteInput.value = "";
    this.state.note = "";
    this.save();
    this.show();
  };

  Incident.prototype.fieldKey = function (input) {
    var card = input.closest(".cp-statement");
    var variant = input.closest(".cp-variant");
    return (card ? card.getAttribute("data-statement") : "") + "/" +
      (variant ? variant.getAttribute("lang") + "/" : "") + input.getAttribute("data-ph");
  };

  // Another page took this one's place (instant navigation): no clock, no bar left.
  Incident.prototype.stop = function () {
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
      if (!self || !self.state || !target.matches) return;
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
      var now = Date.now();
      self.record({ at: isoLocal(now), kind: "statement", id: String(detail.statement || ""), language: String(detail.language || ""), text: String(detail.text || "") });
      if (!self.state.done["target/first_statement"]) self.state.done["target/first_statement"] = now;
      self.state.lastUpdateMs = now;
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
      items.push({ node: item, due: start + self.minutes(item, "data-cp-offset-minutes") * 60000, done: !!state.done["action/" + id], text: self.describe("action", id) });
    });
    document.querySelectorAll("[data-cp-escalation][data-cp-offset-minutes], [data-cp-next-escalation][data-cp-offset-minutes]").forEach(function (item) {
      var id = item.getAttribute("data-cp-escalation") || item.getAttribute("data-cp-next-escalation");
      var listed = item.hasAttribute("data-cp-escalation");
      items.push({ node: item, due: start + self.minutes(item, "data-cp-offset-minutes") * 60000, done: !!state.done["escalation/" + id], text: self.describe("escalation", id), shown: listed });
    });
    document.querySelectorAll("[data-cp-target][data-cp-offset-minutes]").forEach(function (item) {
      var id = item.getAttribute("data-cp-target");
      items.push({ node: item, due: start + self.minutes(item, "data-cp-offset-minutes") * 60000, done: !!state.done["target/" + id], shown: false });
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
      items.push({ id: "acknowledge", text: this.w("incident_acknowledge"), due: start + this.targets.acknowledge * 60000, done: !!state.done["target/acknowledge"] });
    }
    if (this.targets.first_statement !== null) {
      items.push({ id: "first_statement", text: this.w("incident_first_statement"), due: start + this.targets.first_statement * 60000, done: !!state.done["target/first_statement"] });
    }
    if (this.targets.update !== null) {
      var from = state.lastUpdateMs || (this.targets.first_statement === null ? start : null);
      if (from !== null) items.push({ id: "update", text: this.w("incident_next_update"), due: from + this.targets.update * 60000, done: false });
    }
    return items;
  };

  Incident.prototype.left = function (due, now) {
    var minutes = (due - now) / 60000;
    if (minutes > 0) return { overdue: false, text: this.w("incident_due_in", { time: duration(Math.ceil(minutes)) }) };
    return { overdue: true, text: this.w("incident_overdue", { time: duration(Math.max(1, Math.ceil(-minutes))) }) };
  };

  Incident.prototype.refresh = function () {
    if (!this.state) return;
    var self = this;
    var now = Date.now();
    var start = this.state.startedMs;
    this.status.textContent = this.w("incident_running", {
      time: this.clock(start),
      elapsed: fill(this.atFormat, { time: duration(Math.floor((now - start) / 60000)) })
    });
    var pending = [];
    this.deadlines().forEach(function (item) {
      var left = self.left(item.due, now);
      item.node.querySelectorAll(":scope > .cp-clock, :scope > label > .cp-clock").forEach(function (clock) {
        clock.textContent = self.clock(item.due);
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
      row.querySelector(".cp-clock").textContent = self.clock(item.due);
      row.querySelector(".cp-due").textContent = item.done ? "" : left.text;
      if (!item.done) pending.push({ due: item.due, text: item.text, left: left });
    });
    pending.sort(function (a, b) { return a.due - b.due; });
    var late = pending.filter(function (item) { return item.left.overdue; });
    var upcoming = pending.filter(function (item) { return !item.left.overdue; });
    this.next.textContent = "";
    if (upcoming.length) {
      this.next.appendChild(element("strong", "", this.w("incident_next") + ": "));
      this.next.appendChild(document.createTextNode(this.clock(upcoming[0].due) + " " + upcoming[0].text + " (" + upcoming[0].left.text + ")"));
    } else {
      this.next.textContent = this.w("incident_nothing_due");
    }
    this.overdue.textContent = late.length ? this.w("incident_overdue_count", { count: late.length }) + " · " + late[0].text : "";
    this.overdue.hidden = !late.length;

    var first = late[0] || upcoming[0];
    this.bar.hidden = false;
    this.bar.classList.toggle("cp-is-overdue", !!late.length);
    this.bar.textContent = "";
    this.bar.appendChild(element("span", "cp-inc-bar-time", fill(this.atFormat, { time: duration(Math.floor((now - start) / 60000)) })));
    if (late.length) this.bar.appendChild(element("span", "cp-inc-bar-late", this.w("incident_overdue_count", { count: late.length })));
    this.bar.appendChild(element("span", "cp-inc-bar-next", first ? this.clock(first.due) + " " + first.text + " · " + first.left.text : this.w("incident_nothing_due")));
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
    var now = Date.now();
    this.record({ at: isoLocal(now), kind: "update", text: this.w("incident_update_posted") });
    this.state.lastUpdateMs = now;
    this.save();
    this.show();
  };

  Incident.prototype.logText = function (event) {
    if (event.kind === "start") return this.w("incident_log_started");
    if (event.kind === "note") return this.w("incident_log_note", { text: event.text });
    if (event.kind === "update") return this.w("incident_update_posted");
    if (event.kind === "statement") {
      return this.w("incident_log_copied", { what: event.id + (event.language ? " (" + event.language + ")" : "") + ": " + event.text });
    }
    return this.w(event.done ? "incident_log_done" : "incident_log_undone", { what: event.text || event.id });
  };

  Incident.prototype.showLog = function () {
    var self = this;
    this.logList.textContent = "";
    this.logTitle.textContent = this.w("incident_log") + " (" + this.state.events.length + ")";
    // Newest first: the last thing done is what the reader wants to check.
    this.state.events.slice().reverse().forEach(function (event) {
      var row = element("li", "cp-inc-log-" + event.kind);
      row.appendChild(element("span", "cp-clock", self.clock(Date.parse(event.at))));
      row.appendChild(document.createTextNode(" " + self.logText(event)));
      self.logList.appendChild(row);
    });
  };

  // The log as a file: JSON that `crisisplan review SCENARIO --from-log FILE` reads
  // (review.py documents the format). Only strings, numbers and booleans, so it
  // converts to YAML and back unchanged.
  Incident.prototype.logDocument = function () {
    var parts = this.box.getAttribute("data-cp-scenario").split("/");
    var heading = document.querySelector("h1");
    var fields = {};
    var saved = this.state.fields;
    Object.keys(saved).sort().forEach(function (key) { if (saved[key]) fields[key] = saved[key]; });
    return {
      format: LOG_FORMAT,
      version: LOG_VERSION,
      plan: parts.slice(0, -1).join("/"),
      scenario: parts[parts.length - 1],
      title: heading ? heading.textContent.replace(/\u00b6$/, "").trim() : "",
      language: this.language,
      started: isoLocal(this.state.startedMs),
      saved: isoLocal(Date.now()),
      events: this.state.events,
      fields: fields
    };
  };

  Incident.prototype.download = function () {
    var log = this.logDocument();
    var stamp = log.started.slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
    var blob = new Blob([JSON.stringify(log, null, 2) + "\n"], { type: "application/json" });
    var link = element("a", "cp-inc-file");
    link.href = URL.createObjectURL(blob);
    link.download = "incident-" + log.scenario + "-" + stamp + ".json";
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
})();
