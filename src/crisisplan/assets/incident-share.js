/* crisisplan incident mode: handing an incident from phone to phone.

   Without any server: a log as QR codes (one or several, "1 of 3"), each a link to
   the same runbook page with a part of the log in the URL's fragment (#cp-log=...:
   a fragment never reaches a web server), so that a phone's ordinary camera app
   opens the page and the console adds the log after asking. With the team's room
   (crisisplan room): the join code as the lead reads it out, and the link its QR
   code holds (#cp-room=...), the queue of events the room has not acknowledged yet,
   and the room's clock.

   Pure functions, no DOM: unit-tested with `node --test tests/js/`. The log is
   compressed with the browser's CompressionStream where it has one (deflate), which
   answers later: pack and unpack return promises. Plain script, not an ES module
   (module scripts are blocked from file://); it adds crisisplan.share to the
   namespace the incident scripts share. */
(function (cp) {
  "use strict";

  // Characters of a log per QR code: a code of version 25 or less at level L, which
  // a phone's camera reads off another phone's screen at arm's length.
  var CHUNK = 900;
  // More codes than this is a log better handed over as a file.
  var MAX_PARTS = 30;
  var LOG_PARAM = "cp-log=";
  var ROOM_PARAM = "cp-room=";
  // auth.py's CODE_ALPHABET; the incident id is 8 of these (lower case), the code 10.
  var CODE_ALPHABET = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]+$/;
  var INCIDENT_LENGTH = 8;
  var CODE_LENGTH = 10;
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /* Base64url, by hand: btoa takes only Latin-1 text, and this runs in Node too. */

  function toBase64(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      if (i + 1 < bytes.length) out += B64[(n >> 6) & 63];
      if (i + 2 < bytes.length) out += B64[n & 63];
    }
    return out;
  }

  // Bytes from base64url, or null for text that is not.
  function fromBase64(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
    var bytes = [];
    for (var i = 0; i < text.length; i += 4) {
      var n = 0;
      for (var j = 0; j < 4; j++) n = (n << 6) | (i + j < text.length ? B64.indexOf(text[i + j]) : 0);
      bytes.push((n >> 16) & 255);
      if (i + 2 < text.length) bytes.push((n >> 8) & 255);
      if (i + 3 < text.length) bytes.push(n & 255);
    }
    return new Uint8Array(bytes);
  }

  function through(bytes, stream) {
    var piped = new Blob([bytes]).stream().pipeThrough(stream);
    return new Response(piped).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
  }

  // The log as short as it can be for QR codes: what the review needs of it (format,
  // scenario, start, who, events), compressed where the browser can, as base64url
  // with its kind first: "z" compressed, "j" as it is.
  function pack(file) {
    var small = { format: file.format, version: file.version, plan: file.plan, scenario: file.scenario, started: file.started, events: file.events };
    if (file.by) small.by = file.by;
    var bytes = new TextEncoder().encode(JSON.stringify(small));
    if (typeof CompressionStream !== "function") return Promise.resolve("j" + toBase64(bytes));
    return through(bytes, new CompressionStream("deflate")).then(function (packed) {
      return "z" + toBase64(packed);
    }, function () {
      return "j" + toBase64(bytes);
    });
  }

  // The text of a packed log (what readLog in incident-log.js then checks), or null.
  function unpack(packed) {
    var bytes = typeof packed === "string" ? fromBase64(packed.slice(1)) : null;
    if (!bytes) return Promise.resolve(null);
    var decode = function (plain) {
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(plain);
      } catch (error) {
        return null;
      }
    };
    if (packed[0] === "j") return Promise.resolve(decode(bytes));
    if (packed[0] !== "z" || typeof DecompressionStream !== "function") return Promise.resolve(null);
    return through(bytes, new DecompressionStream("deflate")).then(decode, function () { return null; });
  }

  // A packed log cut into the parts of QR codes: "ID.INDEX.TOTAL.TEXT" each, ID
  // telling one handover from another. Null when it needs more than MAX_PARTS.
  function parts(packed, id, size) {
    size = size || CHUNK;
    var total = Math.max(1, Math.ceil(packed.length / size));
    if (total > MAX_PARTS) return null;
    var found = [];
    for (var i = 0; i < total; i++) found.push(id + "." + (i + 1) + "." + total + "." + packed.slice(i * size, (i + 1) * size));
    return found;
  }

  // The link a QR code holds: the page (without its own fragment) and the part.
  function logLink(page, part) {
    return String(page).split("#")[0] + "#" + LOG_PARAM + part;
  }

  // What a page's fragment ("#cp-log=...", "#cp-room=...") hands over, or null:
  // {log: {id, index, total, text}} or {room: {address, incident, code}}.
  function readFragment(hash) {
    var text = String(hash || "").replace(/^#/, "");
    if (text.indexOf(LOG_PARAM) === 0) {
      var found = /^([a-z0-9]{1,12})\.(\d{1,2})\.(\d{1,2})\.([A-Za-z0-9_-]+)$/.exec(text.slice(LOG_PARAM.length));
      if (!found) return null;
      var index = +found[2];
      var total = +found[3];
      if (index < 1 || index > total || total > MAX_PARTS) return null;
      return { log: { id: found[1], index: index, total: total, text: found[4] } };
    }
    if (text.indexOf(ROOM_PARAM) === 0) {
      var bits = text.slice(ROOM_PARAM.length).split(".");
      var join = bits.length === 3 ? parseJoin(bits[0] + bits[1]) : null;
      var address = bits.length === 3 ? fromBase64(bits[2]) : null;
      if (!join || !address) return null;
      return { room: { address: new TextDecoder().decode(address), incident: join.incident, code: join.code } };
    }
    return null;
  }

  // Parts read so far ({id, total, texts: {index: text}}), one more added: the
  // whole packed log once every part is in, else null. A part of another handover
  // starts again from it.
  function gather(held, part) {
    var now = held && held.id === part.id && held.total === part.total ? held : { id: part.id, total: part.total, texts: {} };
    now.texts[part.index] = part.text;
    var whole = "";
    for (var i = 1; i <= now.total; i++) {
      if (typeof now.texts[i] !== "string") return { held: now, packed: null, count: Object.keys(now.texts).length };
      whole += now.texts[i];
    }
    return { held: now, packed: whole, count: now.total };
  }

  /* The team's room. */

  // The code the lead reads out and the others type: the incident and its code,
  // "ABCD-EFGH-K7M2Q-X9PAB".
  function joinCode(incident, code) {
    var id = String(incident).toUpperCase();
    var secret = String(code).replace(/[^0-9A-Za-z]/g, "").toUpperCase();
    return id.slice(0, 4) + "-" + id.slice(4) + "-" + secret.slice(0, 5) + "-" + secret.slice(5);
  }

  // A typed join code ("abcd efgh k7m2q x9pab", with or without dashes) as
  // {incident, code}, or null when it cannot be one.
  function parseJoin(text) {
    var plain = String(text || "").replace(/[\s-]/g, "").toUpperCase();
    if (plain.length !== INCIDENT_LENGTH + CODE_LENGTH || !CODE_ALPHABET.test(plain)) return null;
    return { incident: plain.slice(0, INCIDENT_LENGTH).toLowerCase(), code: plain.slice(INCIDENT_LENGTH) };
  }

  // The link of the lead's QR code: the page, then the join code and the room.
  function roomLink(page, address, incident, code) {
    var join = joinCode(incident, code).replace(/-/g, "");
    return String(page).split("#")[0] + "#" + ROOM_PARAM + join.slice(0, INCIDENT_LENGTH) + "." + join.slice(INCIDENT_LENGTH) +
      "." + toBase64(new TextEncoder().encode(address));
  }

  // The queue of events not yet acknowledged, with more added (each once).
  function enqueue(queue, events) {
    var held = {};
    queue.forEach(function (event) { held[event.event_id] = true; });
    return queue.concat(events.filter(function (event) {
      if (!event.event_id || held[event.event_id]) return false;
      held[event.event_id] = true;
      return true;
    }));
  }

  // The queue less what the room acknowledged ("stored": [{event_id, seq}]).
  function acknowledge(queue, stored) {
    var done = {};
    (stored || []).forEach(function (item) { done[item.event_id] = true; });
    return queue.filter(function (event) { return !done[event.event_id]; });
  }

  // An event as the room takes it: every field it has, "at" as the room's clock
  // made it.
  function forRoom(event) {
    return {
      event_id: event.event_id, at: event.at, kind: event.kind, id: event.id || "", done: event.done !== false,
      language: event.language || "", text: event.text || "", by: event.by || ""
    };
  }

  // How far this phone's clock is behind the room's, in milliseconds: the room's
  // "now" against the middle of the request that brought it.
  function clockOffset(roomNow, sentMs, receivedMs) {
    var at = Date.parse(roomNow);
    return isNaN(at) ? 0 : Math.round(at - (sentMs + receivedMs) / 2);
  }

  // A UUID: the browser's where it gives one (https, localhost), else made from
  // getRandomValues (http://127.0.0.1 on some browsers lacks randomUUID).
  function uuid(crypto) {
    if (crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  cp.share = {
    CHUNK: CHUNK,
    MAX_PARTS: MAX_PARTS,
    toBase64: toBase64,
    fromBase64: fromBase64,
    pack: pack,
    unpack: unpack,
    parts: parts,
    logLink: logLink,
    readFragment: readFragment,
    gather: gather,
    joinCode: joinCode,
    parseJoin: parseJoin,
    roomLink: roomLink,
    enqueue: enqueue,
    acknowledge: acknowledge,
    forRoom: forRoom,
    clockOffset: clockOffset,
    uuid: uuid
  };
})(window.crisisplan = window.crisisplan || {});
