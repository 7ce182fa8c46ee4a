"""Who may use a room: the team's room key, per-incident join codes, per-phone tokens.

- The room key (``crisisplan room key``) opens incidents. It is shown once and
  stored hashed with scrypt (standard library), a slow KDF: a stolen database does
  not give the key.
- A join code is what the lead shows to the other phones: 10 characters of an
  alphabet without look-alikes (no 0/O, 1/I/L), typed on a phone in any case, with
  or without spaces and dashes: 31**10, about 2**49 codes. Stored hashed with scrypt
  too (at a lower cost: see CODE_COST), it expires when the incident ends or after its maximum age, and the lead can
  replace it (the old one stops working at once).
- A join gives the phone a session token: 256 random bits, stored as SHA-256. A
  slow KDF adds nothing to a secret that cannot be guessed, and every request
  checks it.
- Wrong codes and keys are counted per client address and per incident; past the
  limit the answer is 429 until the window has passed (RateLimiter).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
INCIDENT_ID_LENGTH = 8
KEY_PREFIX = "crk_"
# scrypt's cost (N; r=8, p=1): for a room key 16 MiB and some 50-200 ms a check,
# as opening an incident is rare. A join code is 4 MiB and a quarter of that: 50
# phones join within a minute, and the code lives for hours at most, where an
# offline guess at one of 2**49 codes at this cost takes years.
KEY_COST = 2**14
CODE_COST = 2**12
_SCRYPT_R, _SCRYPT_P = 8, 1
_SCRYPT_MEMORY = 64 * 1024 * 1024

# Wrong codes or keys allowed per window, per client address and per incident.
WRONG_PER_ADDRESS = 5
WRONG_PER_INCIDENT = 20
WRONG_WINDOW_SECONDS = 600.0
# Addresses and incidents a limiter keeps before it drops those with no recent failure.
_MAX_KEYS = 10_000


def make_key() -> str:
    """A new room key: shown once to the person who makes it."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def make_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def make_incident_id() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(INCIDENT_ID_LENGTH)).lower()


def make_token() -> str:
    return secrets.token_urlsafe(32)


def shown_code(code: str) -> str:
    """A code as the lead reads it out: two groups of five."""
    return f"{code[:5]}-{code[5:]}"


def typed_code(text: str) -> str:
    """A code as typed on a phone, in the stored spelling: capitals, no spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def hash_secret(secret: str, cost: int = KEY_COST) -> str:
    """A slow, salted hash of a key or code: scrypt$N$r$p$salt$hash (the cost is
    kept with it, so a later change of cost still checks older hashes)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=cost, r=_SCRYPT_R, p=_SCRYPT_P, maxmem=_SCRYPT_MEMORY)
    return f"scrypt${cost}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        name, n, r, p, salt, digest = stored.split("$")
        if name != "scrypt":
            return False
        found = hashlib.scrypt(
            secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), maxmem=_SCRYPT_MEMORY
        )
    except ValueError:
        return False
    return hmac.compare_digest(found.hex(), digest)


def hash_code(code: str) -> str:
    return hash_secret(code, CODE_COST)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class RateLimiter:
    """Failures counted per key in a sliding window; in memory, so a restart forgets
    them (a restart is rare, and what it allows is a few more guesses at ~2**49)."""

    limit: int
    window: float = WRONG_WINDOW_SECONDS
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, key: str, now: float | None = None) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._failures.get(key)
            if not failures:
                return 0.0
            while failures and failures[0] <= now - self.window:
                failures.popleft()
            if not failures:
                del self._failures[key]
                return 0.0
            return failures[0] + self.window - now if len(failures) >= self.limit else 0.0

    def failed(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) >= _MAX_KEYS:
                # Guesses from very many addresses: forget those whose window has passed.
                self._failures = {k: f for k, f in self._failures.items() if f and f[-1] > now - self.window}
            self._failures.setdefault(key, deque()).append(now)

    def forget(self, key: str) -> None:
        """A new join code: the incident's count starts again."""
        with self._lock:
            self._failures.pop(key, None)
