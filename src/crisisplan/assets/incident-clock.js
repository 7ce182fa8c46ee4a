/* crisisplan incident mode, part 2 of 4: the clock.

   Durations in the plan's notation ("1h30m"), the time since the start, what is due
   and what is overdue, and moments as the reader's wall clock shows them. Pure
   functions: every one that needs the time takes "now" (milliseconds since the epoch)
   as an argument, so that they are unit-tested with `node --test tests/js/` and the
   page decides when "now" is. No DOM, no words: incident.js fills the page's labels.

   Plain script, not an ES module (module scripts are blocked from file://); it adds
   crisisplan.clock to the namespace the incident scripts share. */
(function (cp) {
  "use strict";

  var MINUTE_MS = 60000;
  var UNITS = [["d", 1440], ["h", 60], ["m", 1]];

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // Minutes in the plan's own notation, as the page writes T+ times: 90 -> "1h30m",
  // 1440 -> "1d"; nothing (or less) is "0m".
  function duration(minutes) {
    if (!(minutes > 0)) return "0m";
    var text = "";
    UNITS.forEach(function (unit) {
      var count = Math.floor(minutes / unit[1]);
      minutes -= count * unit[1];
      if (count) text += count + unit[0];
    });
    return text;
  }

  // The moment a deadline falls due: the start plus the plan's offset in minutes.
  function due(startMs, offsetMinutes) {
    return startMs + offsetMinutes * MINUTE_MS;
  }

  // The time since the start, in whole minutes as a duration: 25m59s -> "25m".
  function elapsed(startMs, nowMs) {
    return duration(Math.floor((nowMs - startMs) / MINUTE_MS));
  }

  // What is left before a deadline, {overdue, time}, in started minutes: 3m10s left is
  // "4m", so a deadline never shows "0m" while it is still ahead, and one passed by
  // seconds is already "1m" overdue.
  function left(dueMs, nowMs) {
    var minutes = (dueMs - nowMs) / MINUTE_MS;
    if (minutes > 0) return { overdue: false, time: duration(Math.ceil(minutes)) };
    return { overdue: true, time: duration(Math.max(1, Math.ceil(-minutes))) };
  }

  // The start of an incident from the time field ("09:40", empty: now). A time later
  // than now (by more than a minute) was yesterday's: incidents run through midnight.
  function startedAt(typed, nowMs) {
    var parts = /^(\d{1,2}):(\d{2})/.exec(typed || "");
    if (!parts) return nowMs;
    var at = new Date(nowMs);
    at.setHours(parseInt(parts[1], 10), parseInt(parts[2], 10), 0, 0);
    if (at.getTime() > nowMs + MINUTE_MS) at.setDate(at.getDate() - 1);
    return at.getTime();
  }

  // A clock time, "10:05"; a moment on another day than now's carries its weekday in
  // the page's language ("Mon 10:05").
  function timeOfDay(ms, nowMs, language) {
    var d = new Date(ms);
    var text = pad(d.getHours()) + ":" + pad(d.getMinutes());
    if (d.toDateString() !== new Date(nowMs).toDateString()) {
      try {
        text = d.toLocaleDateString(language, { weekday: "short" }) + " " + text;
      } catch (error) {
        // An unknown language code: the time alone.
      }
    }
    return text;
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

  cp.clock = {
    MINUTE_MS: MINUTE_MS,
    duration: duration,
    due: due,
    elapsed: elapsed,
    left: left,
    startedAt: startedAt,
    timeOfDay: timeOfDay,
    isoLocal: isoLocal
  };
})(window.crisisplan = window.crisisplan || {});
