/* crisisplan incident mode, part 2 of 4: the clock.

   Durations in the plan's notation ("1h30m"), the time since the start, what is due
   and what is overdue, and moments as the reader's wall clock shows them. Pure
   functions: every one that needs the time takes "now" (milliseconds since the epoch)
   as an argument, so that they are unit-tested with `node --test tests/js/` and the
   page decides when "now" is. No DOM, and no words of its own: the page's (its
   duration_* labels, in the reader's language) come in through a say(key, values)
   function (incident-words.js), and without one durations keep the plan's notation.

   Plain script, not an ES module (module scripts are blocked from file://); it adds
   crisisplan.clock to the namespace the incident scripts share. */
(function (cp) {
  "use strict";

  var MINUTE_MS = 60000;
  var UNITS = [["d", 1440], ["h", 60], ["m", 1]];
  // Each unit's label in the catalog (render/labels.py): "{count} min" in Danish, and
  // "_one" after the key for the form of one ("1 dag", "2 dage").
  var UNIT_WORDS = { d: "duration_days", h: "duration_hours", m: "duration_minutes" };

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

  // say(key, values), or the fallback when the page has no such label (say gives the
  // key back for those).
  function said(say, key, values, fallback) {
    var text = say(key, values);
    return text === key ? fallback : text;
  }

  // Minutes in the page's words, largest unit first, as the pages write durations
  // (Labels.duration): 90 is "1 t 30 min" with the Danish labels, "1 jam 30 mnt" with
  // the Indonesian ones, "1h30m" in English. Without say, or for a label the page
  // lacks, the plan's notation.
  function spoken(minutes, say) {
    if (typeof say !== "function") return duration(minutes);
    var rest = minutes > 0 ? minutes : 0;
    var parts = [];
    UNITS.forEach(function (unit) {
      var count = Math.floor(rest / unit[1]);
      rest -= count * unit[1];
      if (!count && (unit[0] !== "m" || parts.length)) return;
      var key = UNIT_WORDS[unit[0]];
      var text = count === 1 ? said(say, key + "_one", { count: count }, null) : null;
      parts.push(text || said(say, key, { count: count }, count + unit[0]));
    });
    return parts.reduce(function (larger, smaller) {
      return said(say, "duration_join", { larger: larger, smaller: smaller }, larger + smaller);
    });
  }

  // The moment a deadline falls due: the start plus the plan's offset in minutes.
  function due(startMs, offsetMinutes) {
    return startMs + offsetMinutes * MINUTE_MS;
  }

  // The wall-clock minute a moment falls in, counted from the epoch. Every zone in
  // use today is a whole number of minutes from UTC, so these minutes turn over when
  // the reader's clock does: the page counts in what the reader sees.
  function clockMinute(ms) {
    return Math.floor(ms / MINUTE_MS);
  }

  // Whole clock minutes from one moment to another: 14:00:40 to 14:12:10 is 12,
  // as the clock times shown beside them (14:00, 14:12) say.
  function minutesBetween(fromMs, toMs) {
    return clockMinute(toMs) - clockMinute(fromMs);
  }

  // The time since the start, in clock minutes: started 14:00, now 14:12 -> "12m",
  // whatever the seconds of either; in the page's words with say.
  function elapsed(startMs, nowMs, say) {
    return spoken(minutesBetween(startMs, nowMs), say);
  }

  // What is left before a deadline, {overdue, now, time}, in clock minutes, as elapsed
  // counts them: at 14:12 a 14:15 deadline is "3m" ahead (T+12m + 3m = T+15m); in
  // its own minute it is due now (time "0m"); from the next minute on, overdue by
  // the minutes since: at 14:17, "2m". In the page's words with say.
  function left(dueMs, nowMs, say) {
    var minutes = minutesBetween(nowMs, dueMs);
    if (minutes > 0) return { overdue: false, now: false, time: spoken(minutes, say) };
    if (minutes === 0) return { overdue: false, now: true, time: spoken(0, say) };
    return { overdue: true, now: false, time: spoken(-minutes, say) };
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
    spoken: spoken,
    due: due,
    minutesBetween: minutesBetween,
    elapsed: elapsed,
    left: left,
    startedAt: startedAt,
    timeOfDay: timeOfDay,
    isoLocal: isoLocal
  };
})(window.crisisplan = window.crisisplan || {});
