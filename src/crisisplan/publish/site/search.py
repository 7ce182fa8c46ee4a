"""Search in the reader's language: other forms of each page's words in the search index.

Material's search runs lunr in the reader's browser. So that results come while the
reader types, it turns every typed word into a prefix query ("læk" -> "læk*"), and lunr
skips its stemmer for those: the index has to hold words as they are written (an index
stemmed by lunr.da finds nothing for "kunder" on a page that says "kunder"). Matching
a prefix of the written word is then all there is, so a reader who types "laek" for
"læk", or "bocor" for "kebocoran", finds nothing.

`localize_search_index` runs after MkDocs has written the site. To each entry of the
index it adds, in two fields that lunr searches and Material never shows (results show
the page's own words), the other forms a reader may type:

- folded forms, in every language: "læk" -> "laek", "Søren" -> "soren" and "soeren",
  "årsag" -> "arsag" and "aarsag", "café" -> "cafe";
- roots, for Bahasa Indonesia and Bahasa Melayu, whose derivational prefixes no prefix
  search gets past: "kebocoran" -> "bocor", "perkhidmatan" -> "khidmat". Sastrawi finds
  them with its dictionary of Indonesian roots (most are Malay roots too); for a word it
  does not know, the usual affixes are stripped and a candidate is kept only when the
  plan itself uses it as a word ("bertanggungjawab" -> "tanggungjawab");
- the parts of words that the page's markup runs together in the index text
  ("ØstergaardPrimær", from a name and its label): "primær", "primaer".

Every page is searched as one entry, so that a result opens a scenario at the top,
where the first actions are, never at a section further down, and no page is listed
twice (both engines index each section of a page as an entry of its own, and a result
opens at its section). The scenario's own search terms (its keywords, the channels its statements go to and
its triggers, which the page carries in ``data-cp-terms``) go into a hidden ``terms``
field that weighs more than the text, so that "instagram" or "giveaway" ranks the
scenario above the pages that merely mention the word.

For Enter, the index also carries under "crisisplan" what the plans say about each
scenario (its title, and its terms with their folded forms and roots), its plan and its
language, and each plan's name and language: `assets/search-scenarios.js` ranks the
scenarios with them, the reader's own plan and language first, and opens the best one
(never a statement library or monitoring page), on both engines. Zensical's index
(search.json, items) gets the same entries per page and the same "crisisplan" part; its
search has fields of its own, so the hidden fields are Material's only.

A form is added only when no word of the entry already starts with it, so the index
grows little. It also splits words at brackets, quotes and punctuation rather than only
at spaces and hyphens, so that "customer" finds "(customer data breach)".

The query side is `assets/search.js`: it stems each typed word before Material's search
worker sees it, with the stemmer Material ships for the page's language ("kunderne" ->
"kund*"), which an index of written words needs for Danish and the other
suffix-inflected languages lunr-languages covers, and adds a one-typo search for each
longer word ("giveway" also searches "giveway~1", which finds "giveaway").
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

INDEX = "search/search_index.json"
# Material's offline plugin copies the index into a script, which is what a browser
# reads from file://; both must carry the same index.
OFFLINE_INDEX = "search/search_index.js"
OFFLINE_PREFIX = "var __index = "
# Zensical's index and its offline copy (same prefix), with "items" for "docs".
ZENSICAL_INDEX = "search.json"
ZENSICAL_OFFLINE_INDEX = "search.js"
# Where the index carries the scenarios for search-scenarios.js; neither engine reads it.
SCENARIOS_KEY = "crisisplan"

# The hidden fields, each searched with the weight of the field its forms come from.
VARIANT_FIELDS = {"title": "title_variants", "text": "text_variants"}
# A scenario's own search terms: between the text (1) and the title (1000), so that a
# scenario whose keyword is the word outranks every page that merely says it, and a
# scenario whose title has the word still comes first.
TERMS_FIELD = "terms"
TERMS_BOOST = 100.0
# Where a scenario page carries its terms (templates/site/scenario.md.j2), and where
# every page says its language (publish/languages.py may change it after the build).
_TERMS = re.compile(r'data-cp-terms="([^"]*)"')
_LANG = re.compile(r'<html[^>]*\slang="([^"]*)"')
_HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
# Our own pages are small; a page this large is not one of them.
MAX_PAGE_BYTES = 5 * 1024 * 1024

# Material's default separator splits only at spaces and hyphens; the index text is
# HTML-escaped, hence the entities. Not "'" nor "’": they sit inside words ("don't").
# "." only before a non-digit, so that "100.000" stays one word. "#" too, so that
# "#boycottbrightbrew" is found by "boycottbrightbrew" (and by itself: the query is
# split the same way).
MATERIAL_SEPARATOR = r"[\s\-]+"
SEPARATOR = r"""[\s\-,:;!?=/()\[\]{}"“”„«»‘#]+|\.(?!\d)|&(?:amp|lt|gt);"""

# Bahasa Indonesia and Bahasa Melayu (two- and three-letter codes).
MALAY_INDONESIAN = {"id", "in", "ind", "ms", "msa", "zsm"}

# Shorter forms would match far too many words to help; nobody types longer words (the
# longest Indonesian derivations are about 25 letters), and skipping them keeps a plan
# of hostile run-on "words" from costing time.
SHORTEST = 3
LONGEST = 40

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+")

# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ħ": "h", "ı": "i", "ŋ": "n"}
)
# How Danes, Norwegians, Swedes and Germans write these letters on a keyboard without them.
_TRANSLITERATION = str.maketrans({"å": "aa", "æ": "ae", "ø": "oe", "ä": "ae", "ö": "oe", "ü": "ue"})


@dataclass(frozen=True)
class SearchIndexReport:
    """What localize_search_index did: entries, forms added, and the index's size in
    bytes before and after."""

    entries: int
    variants: int
    size_before: int
    size_after: int


def fold(word: str) -> str:
    """The word without accents: "café" -> "cafe", "årsag" -> "arsag", "søren" -> "soren"."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_forms(word: str) -> list[str]:
    """The forms a reader without the word's letters types: "årsag" -> ["arsag", "aarsag"]."""
    if word.isascii():
        return []
    forms = [fold(word), fold(word.translate(_TRANSLITERATION))]
    return [form for form in dict.fromkeys(forms) if form != word]


@cache
def _sastrawi() -> tuple[Callable[[str], str], Callable[[str], bool]]:
    """Sastrawi's stemmer for one word, and whether a word is one of its roots. Loads a
    dictionary of 30,000 roots: only for sites that need it, once."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary  # type: ignore[import-untyped]
    from Sastrawi.Stemmer.Stemmer import Stemmer  # type: ignore[import-untyped]
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # type: ignore[import-untyped]

    dictionary = ArrayDictionary(StemmerFactory().get_words())
    return Stemmer(dictionary).stem_word, dictionary.contains


# Endings, outermost first: particles, possessives, then derivational suffixes.
_ENDINGS = (("lah", "kah", "tah", "pun"), ("nya", "ku", "mu"), ("kan", "an", "i"))
# Prefixes, and what a nasal prefix replaced: "menulis" is "tulis", "memukul" "pukul".
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("meng", ("", "k")), ("meny", ("s",)), ("mem", ("", "p")), ("men", ("", "t")), ("me", ("",)),
    ("peng", ("", "k")), ("peny", ("s",)), ("pem", ("", "p")), ("pen", ("", "t")), ("per", ("",)),
    ("pe", ("",)), ("ber", ("",)), ("be", ("",)), ("ter", ("",)), ("di", ("",)), ("ke", ("",)),
    ("se", ("",)),
)  # fmt: skip


def _without_prefixes(word: str, depth: int = 2) -> list[str]:
    forms = [word]
    if depth == 0:
        return forms
    for prefix, restored in _PREFIXES:
        if word.startswith(prefix):
            for letter in restored:
                rest = letter + word[len(prefix) :]
                if len(rest) >= SHORTEST:
                    forms += _without_prefixes(rest, depth - 1)
    return forms


def affix_candidates(word: str) -> list[str]:
    """Every way of reading the word as affixes around a root, for Bahasa Indonesia and
    Bahasa Melayu: up to two prefixes (with the consonant a nasal prefix replaced), a
    suffix, a possessive and a particle. Most candidates are not words."""
    stems = [word]
    for group in _ENDINGS:
        stems += [s[: -len(e)] for s in stems for e in group if s.endswith(e) and len(s) - len(e) >= SHORTEST]
    candidates = (form for s in stems for form in _without_prefixes(s))
    return [c for c in dict.fromkeys(candidates) if c != word]


# What a word starts or ends with when it has affixes at all.
_AFFIXED = re.compile(r"^(?:di|ke|se|be|me|pe|te)|(?:lah|kah|tah|pun|nya|ku|mu|kan|an|i)$")


class MalayIndonesianRoots:
    """Roots of Bahasa Indonesia and Bahasa Melayu words.

    Sastrawi's dictionary knows the roots of both languages' common words; for a word
    whose root it does not know (Malay words, compounds, names of products), a candidate
    from `affix_candidates` counts only when the vocabulary (the plan's own words) has it.
    Sastrawi takes about 0.1 ms a word, and up to 0.6 ms for words that are not
    Indonesian: past `budget` distinct affixed words (more than a large plan has) only
    the vocabulary is asked, so that a plan of made-up words cannot make a build slow.
    """

    def __init__(self, vocabulary: Iterable[str], budget: int = 10_000) -> None:
        self.vocabulary = frozenset(vocabulary)
        self.budget = budget
        self._known: dict[str, list[str]] = {}

    def __call__(self, word: str) -> list[str]:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._roots(word)
        return known

    def _roots(self, word: str) -> list[str]:
        # Sastrawi keeps only a-z: it would read "café" as "caf".
        if not (word.isascii() and word.isalpha() and _AFFIXED.search(word)):
            return []
        stem, is_root = _sastrawi()
        if is_root(word):
            return []
        if self.budget > 0:
            self.budget -= 1
            root = stem(word)
            if root != word and len(root) >= SHORTEST and root.isalpha():
                return [root]
        return [c for c in affix_candidates(word) if c in self.vocabulary]


def _words(markup: str) -> tuple[list[str], list[str]]:
    """The words of a field as lunr indexes them (lowercase), and the words a reader may
    type for them: the same, but the parts of words that the page's markup runs together
    ("ØstergaardPrimær": "østergaard", "primær") instead of the run."""
    text = unicodedata.normalize("NFC", html.unescape(_TAG.sub(" ", markup)))
    words: list[str] = []
    typed: list[str] = []
    for word in _WORD.findall(text):
        lower = word.lower()
        words.append(lower)
        if word[1:] == lower[1:]:
            # No capital after the first letter, as in nearly every word: no run to cut.
            typed.append(lower)
            continue
        cuts = [i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower()]
        typed += [word[a:b].lower() for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]
    return words, typed


def _primary(language: str) -> str:
    return language.lower().split("-")[0]


def _configure(config: dict[str, Any], site_language: str) -> None:
    fields = config.setdefault("fields", {})
    for field, hidden in VARIANT_FIELDS.items():
        fields[hidden] = dict(fields.get(field) or {"boost": 1.0})
    fields[TERMS_FIELD] = {"boost": TERMS_BOOST}
    # The separator of an earlier version of this function, which lacked "#".
    if config.get("separator") in (MATERIAL_SEPARATOR, SEPARATOR.replace("‘#]", "‘]")):
        config["separator"] = SEPARATOR
    if config.get("lang") == ["en"] and _primary(site_language) != "en":
        # lunr has no stemmer for the site's language and fell back to English: drop
        # English stop words too, so that nothing English is done to the text.
        config["pipeline"] = []


def _variants(
    words: Iterable[str],
    covered: Sequence[str],
    roots: Callable[[str], list[str]] | None,
) -> list[str]:
    found: dict[str, None] = {}
    for word in dict.fromkeys(words):
        if not SHORTEST <= len(word) <= LONGEST or not word.isalpha():
            continue
        # The word itself too: the part of a run-together word is no word of the index.
        forms = [word, *folded_forms(word)]
        if roots is not None:
            forms += roots(word)
        for form in forms:
            at = bisect_left(covered, form)
            # A prefix query for the form already finds an entry with a word starting with it.
            if not (at < len(covered) and covered[at].startswith(form)):
                found[form] = None
    return list(found)


@dataclass(frozen=True)
class _Page:
    """What a built page says about itself: the terms of a scenario page (None on any
    other page), the page's language and its heading."""

    terms: str | None
    language: str
    heading: str = ""


def _read_page(site_dir: Path, page: str) -> _Page:
    if ".." in page.split("/"):
        return _Page(None, "")
    try:
        with (site_dir / page).open("rb") as handle:
            data = handle.read(MAX_PAGE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return _Page(None, "")
    terms, language, heading = _TERMS.search(data), _LANG.search(data), _HEADING.search(data)
    return _Page(
        html.unescape(terms.group(1)) if terms else None,
        language.group(1) if language else "",
        html.unescape(_TAG.sub("", heading.group(1))).strip() if heading else "",
    )


def _page_entries(
    site_dir: Path, docs: list[dict[str, Any]], plans: Iterable[str]
) -> tuple[list[dict[str, Any]], dict[str, _Page]]:
    """Each page as one entry: its sections' titles and text appended to the page's own,
    a scenario page's search terms in the terms field. Entries keep their order; a
    section whose page has no entry of its own stays as it is. Also each scenario page
    of the plans, as the built page describes itself."""
    folders = tuple(f"{slug}/scenarios/" for slug in plans)
    pages: dict[str, dict[str, Any]] = {}
    scenarios: dict[str, _Page] = {}
    kept: list[dict[str, Any]] = []
    for doc in docs:
        page, _, section = str(doc.get("location", "")).partition("#")
        if not section and page not in pages:
            pages[page] = doc
            read = _read_page(site_dir, page) if folders and page.startswith(folders) else _Page(None, "")
            if read.terms is not None:
                scenarios[page] = read
                if read.terms:
                    doc[TERMS_FIELD] = read.terms
        elif section and page in pages:
            entry = pages[page]
            title, text = str(doc.get("title") or ""), str(doc.get("text") or "")
            entry["text"] = f"{entry.get('text') or ''} <p>{title}</p> {text}".strip()
            continue
        kept.append(doc)
    return kept, scenarios


def _terms_with_forms(terms: str) -> str:
    """The terms' words as lunr splits them, each with its folded forms ("café" also
    as "cafe"), once each."""
    words = [w for w in re.split(SEPARATOR, html.unescape(terms).lower()) if w]
    return " ".join(dict.fromkeys(form for w in words for form in [w, *folded_forms(w)]))


def _forms(words: Iterable[str], roots: Callable[[str], list[str]] | None) -> str:
    """The words with their folded forms and, for Malay and Indonesian, their roots."""
    forms: dict[str, None] = {}
    for word in words:
        more = roots(word) if roots is not None and SHORTEST <= len(word) <= LONGEST else []
        forms.update(dict.fromkeys([word, *folded_forms(word), *more]))
    return " ".join(forms)


def _both(markup: str) -> list[str]:
    """The words of a text both as written and as typed ("whatsapp", "whats", "app")."""
    written, typed = _words(markup)
    return [*written, *typed]


def _scenario_data(
    site_dir: Path,
    docs: Iterable[dict[str, Any]],
    scenarios: Mapping[str, _Page],
    plans: Mapping[str, Sequence[str]],
    roots: Callable[[str], list[str]] | None,
) -> dict[str, Any]:
    """What search-scenarios.js ranks scenarios by: each scenario's page, plan,
    language, and the words of its title and terms with their other forms; and each
    plan's name (its overview's heading up to ": ") and language."""
    titles = {str(doc.get("location")): str(doc.get("title") or "") for doc in docs}
    listed = []
    for page, read in scenarios.items():
        slug = page.split("/", 1)[0]
        malay = any(_primary(lang) in MALAY_INDONESIAN for lang in plans.get(slug, ()))
        listed.append({
            "location": page,
            "plan": slug,
            "lang": read.language,
            "title": _forms(_both(titles.get(page, "")), roots if malay else None),
            "terms": _forms(_both(html.escape(read.terms or "")), roots if malay else None),
        })
    described = []
    for slug in plans:
        overview = _read_page(site_dir, f"{slug}/index.html")
        name = overview.heading.split(": ", 1)[0].strip() or slug
        described.append({"slug": slug, "name": name, "lang": overview.language})
    return {"plans": described, "scenarios": listed}


@dataclass
class _Index:
    """A built site's search index: Material's (docs) or Zensical's (items)."""

    file: Path
    offline: Path
    entries: str
    data: dict[str, Any]
    size: int


def _read_index(site_dir: Path) -> _Index | None:
    for name, offline, entries in ((INDEX, OFFLINE_INDEX, "docs"), (ZENSICAL_INDEX, ZENSICAL_OFFLINE_INDEX, "items")):
        index_file = site_dir / name
        if not index_file.is_file():
            continue
        raw = index_file.read_bytes()
        try:
            index = json.loads(raw)
        except ValueError:
            return None
        if not (isinstance(index, dict) and isinstance(index.get("config"), dict) and isinstance(index.get(entries), list)):
            return None
        return _Index(index_file, site_dir / offline, entries, index, len(raw))
    return None


def merge_search_index(site_dir: Path, part_dir: Path, folders: Iterable[str]) -> None:
    """Add to the site's search index the entries of the pages in ``folders`` from
    the index of part_dir, a site built from other pages of the same site (plans in
    another language, built with the theme in theirs): the site's search finds them
    as it found every page when all were built at once. Both engines' indexes; the
    offline copy too. Nothing happens when either site has no index."""
    index, part = _read_index(site_dir), _read_index(part_dir)
    if index is None or part is None or index.entries != part.entries:
        return
    prefixes = tuple(f"{folder}/" for folder in folders)
    entries = index.data[index.entries]
    entries[:] = [e for e in entries if not (isinstance(e, dict) and str(e.get("location", "")).startswith(prefixes))]
    entries += [e for e in part.data[part.entries] if isinstance(e, dict) and str(e.get("location", "")).startswith(prefixes)]
    data = json.dumps(index.data, separators=(",", ":"), default=str)
    index.file.write_text(data, encoding="utf-8")
    if index.offline.is_file():
        index.offline.write_text(OFFLINE_PREFIX + data, encoding="utf-8")


def localize_search_index(
    site_dir: Path,
    site_language: str,
    plan_languages: Mapping[str, Sequence[str]] | None = None,
) -> SearchIndexReport | None:
    """Add folded forms and Indonesian/Malay roots to the built site's search index,
    one entry per page, and the scenarios for Enter (SCENARIOS_KEY).

    site_language is the site's language; plan_languages maps the folder of each plan in
    the site (its slug) to the plan's languages, and says which roots its pages get.
    Pages outside a plan's folder (the start page, the user's own docs) are read in all
    of the site's languages. Rewrites Material's search/search_index.json or Zensical's
    search.json, and its offline copy; running it again on its own output changes
    nothing. Returns None, changing nothing, when the site has no search index of
    either engine's form.
    """
    index = _read_index(site_dir)
    if index is None:
        return None
    plans = dict(plan_languages or {})
    docs, scenarios = _page_entries(
        site_dir, [doc for doc in index.data[index.entries] if isinstance(doc, dict)], plans
    )
    index.data[index.entries] = docs
    for doc in docs:
        if doc.get(TERMS_FIELD):
            doc[TERMS_FIELD] = _terms_with_forms(str(doc[TERMS_FIELD]))
    # Zensical searches its own fields (title, text, path): no hidden fields there.
    material = index.entries == "docs"
    if material:
        _configure(index.data["config"], site_language)
    else:
        for doc in docs:
            doc.pop(TERMS_FIELD, None)

    everywhere = list(dict.fromkeys([site_language, *(lang for langs in plans.values() for lang in langs)]))

    def malay_indonesian(doc: dict[str, Any]) -> bool:
        folder = str(doc.get("location", "")).split("/", 1)
        languages = plans.get(folder[0], everywhere) if len(folder) == 2 else everywhere
        return any(_primary(lang) in MALAY_INDONESIAN for lang in languages)

    fields = [{field: _words(str(doc.get(field) or "")) for field in VARIANT_FIELDS} for doc in docs]
    stemmed = [malay_indonesian(doc) for doc in docs]
    vocabulary = {
        w for analysed, on in zip(fields, stemmed, strict=True) if on for pair in analysed.values() for ws in pair for w in ws
    }
    roots = MalayIndonesianRoots(vocabulary) if any(stemmed) else None

    added = 0
    for doc, analysed, on in zip(docs, fields, stemmed, strict=True):
        covered = sorted({w for words, _ in analysed.values() for w in words})
        for field, hidden in VARIANT_FIELDS.items():
            # Recomputed from the shown fields, never appended to: the same index again.
            doc.pop(hidden, None)
            variants = _variants(analysed[field][1], covered, roots if on else None) if material else []
            if variants:
                doc[hidden] = " ".join(variants)
                added += len(variants)
    index.data[SCENARIOS_KEY] = _scenario_data(site_dir, docs, scenarios, plans, roots)

    # As the engines write it: compact, ASCII, keys in their order.
    data = json.dumps(index.data, separators=(",", ":"), default=str)
    index.file.write_text(data, encoding="utf-8")
    if index.offline.is_file():
        index.offline.write_text(OFFLINE_PREFIX + data, encoding="utf-8")
    return SearchIndexReport(len(docs), added, index.size, len(data.encode("utf-8")))
