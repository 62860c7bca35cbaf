"""Recognition: find the place mentions (and demonyms) in a text.

The recogniser is a gazetteer-driven matcher with a small evidence model instead of a
statistical NER (none ships offline with acceptable speed and quality):

1. candidate spans are runs of capitalised tokens (with inner connectors such as "al-", "de",
   "of") whose normalised form or transliteration skeleton is a gazetteer name, longest first;
2. each candidate gets an evidence score: the prior importance of the best place it could be,
   plus context for it (a locative preposition before it, "province"/"town of" around it,
   ", <state>" after it, a dateline, "a <town> man", a name that says its kind: "Laurel County")
   and against it (a dictionary word, part of a longer proper name, a person's kunya or title
   before it, "tribe"/"group"/"Post" after it, a currency, an acronym);
3. candidates above a threshold are mentions; names accepted once in a document are accepted
   again wherever they recur (one sense per discourse).

Demonyms and adjectives ("Iraqi", "Syrians") become mentions of type ``demonym`` linked to their
country. Page boilerplate (see :mod:`conflict_map.text.boilerplate`) is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.gazetteer.scoring import TRANSLITERATED
from conflict_map.geoparse.landmarks import find_landmarks
from conflict_map.text.boilerplate import boilerplate_spans, in_spans
from conflict_map.text.names import norm_key
from conflict_map.text.sentences import sentences
from conflict_map.text.tokens import Token, tokenize

#: Accept a candidate whose evidence reaches this score (prior importance is 1..9).
THRESHOLD = 4.0

CONNECTORS = frozenset(
    "al el ad adh an ar as ash at ath az ed es et ez er en il ul de del della der di da das dos do du des la le "
    "les los las of on upon the und and y i bin ibn bint abu umm sur sous am im an der van von ten ter".split()
)
#: Connectors that never name a place alone: "La" of "La Niña" is not Los Angeles ("Van" and "Sur" can be).
LONE_CONNECTORS = frozenset("la le les los las el de del della der di da das dos do du des y und upon ten ter".split())
_WIDE_KINDS = frozenset({"country", "water", "region", "continent"})
_SITE_KINDS = frozenset({"landmark", "base", "crossing", "dam", "airport"})
ARTICLES = frozenset("al el ad adh an ar as ash at ath az ed es et ez er en il ul".split())
QUALIFIERS = frozenset(
    "north south east west northern southern eastern western central northeast northwest southeast southwest "
    "north-east north-west south-east south-west upper lower greater inner outer old new mid middle far".split()
)
PLACE_TYPE_WORDS = frozenset(
    "province provinces governorate governorates county counties city state region district districts oblast "
    "prefecture municipality department canton emirate territory republic kingdom island islands peninsula "
    "valley desert mountains border borders crossing airport base airbase".split()
)
ADMIN_WORDS = frozenset("province governorate county state region district oblast prefecture municipality".split())
RESIDENT_AFTER = frozenset(
    "man men woman women boy boys girl girls teen teens teenager resident residents native natives couple "
    "homeowner homeowners area police officials voters".split()
)
#: After a place at the start of a news story: "— ", "-- ", "(AP) — ", ", Tenn. — ", ", Iraq (Reuters) - "
_DATELINE = re.compile(r"(?:,(?: [A-Z][\w.]*){1,3})?\s*(?:\([A-Za-z. ]{1,20}\)\s*)?(?:--|—|–| - )")
ADMIN_NAME_ENDINGS = frozenset("county parish province governorate district oblast prefecture borough".split())
BASE_WORDS = frozenset("base airbase airfield garrison camp".split())
POPULATED_BEFORE = frozenset("town city village capital suburb outskirts neighbourhood neighborhood district".split())
LOCATIVE_BEFORE = frozenset(
    "in at near from to into toward towards outside across around through via between within inside "
    "throughout beyond reach reached entered captured seized besieged shelled bombed struck hit visited "
    "left fled leaving entering recaptured retook liberated encircled".split()
)
DIRECTION_OF = frozenset(
    "north south east west northeast northwest southeast southwest north-east north-west south-east "
    "south-west outskirts edge heart centre center of".split()
)
PERSON_BEFORE = frozenset(
    "mr mrs ms miss dr sir lord lady president gen general lt col colonel capt captain sgt maj major "
    "sheikh shaikh sheik imam emir king queen prince princess minister senator sen rep governor gov "
    "mayor judge justice father brother sister saint pope rev reverend professor prof chief commander "
    "spokesman spokeswoman spokesperson officer agent coach chief deputy sheriff detective inspector "
    "constable trooper secretary ambassador envoy chairman chairwoman director ceo".split()
)
#: Titles that still mark a person when written in lower case ("president Obama"); "miss", "major", "chief" do not
LOWER_TITLES = frozenset(
    "president sheikh shaikh imam senator governor mayor minister ambassador envoy spokesman spokeswoman".split()
)
KUNYA = frozenset("abu umm ibn bin bint abou abo".split())
_NAME_LINKS = ARTICLES | KUNYA  # what may stand inside a person's name chain ("Abu Bakr al-Baghdadi")
GROUP_AFTER = frozenset(
    "tribe tribes tribal clan clans family families militia militias group groups party parties brigade "
    "brigades movement front battalion battalions faction factions organisation organization company "
    "corporation inc ltd club fc united post times "
    "tribune herald journal news newspaper gazette magazine press radio tv television network airlines "
    "airways bank council committee foundation institute institution association agency "
    "regiment division corps".split()
)
SPEECH_VERBS = frozenset("said says told added explained wrote argued asked replied noted stated".split())
KIN_WORDS = frozenset(
    "tribe tribes tribal clan clans family families militia militias post times tribune herald journal".split()
)
GROUP_AFTER_CAP_OK = frozenset({"forces", "police", "regiment", "division", "corps", "force"})
NEVER = frozenset(
    "the a an in on at of for to by with from and or but not no yes this that these those there here he she it "
    "we they i you his her its our their my your who what when where why how which all any some many most "
    "more much every each other another such only also then than as if so up out over under after before "
    "while during since until about into through between against without within among air aid monday "
    "tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december today yesterday tomorrow mr mrs ms dr god allah islam islamic "
    "muslim christian jewish state states government army navy ministry minister president parliament "
    "congress senate house court police news times post world international national federal republic "
    "united union council general prime foreign defence defense security interior coalition forces "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "olympic olympics centre center north south east west central northern southern eastern western "
    "hamas hezbollah hizbollah taliban isis isil daesh nato otan qaeda houthi houthis wagner kremlin pentagon "
    "chief act acts bill bills metro mps mp ceo cfo inc read christmas easter man region pct "
    "northeast northwest southeast southwest "
    "internet web facebook twitter google youtube instagram whatsapp telegram tiktok "
    "arab arabs kurd kurds sunni sunnis shia shiite shiites druze alawite alawites bedouin "
    "hispanic latino latina has have had was were is are be been can could will would shall should might must "
    "does did".split()
)
_CONTRACTION = ("'ve", "’ve", "'ll", "’ll", "'re", "’re", "'d", "’d", "'m", "’m", "n't", "n’t")


@dataclass(slots=True)
class Candidate:
    """A possible mention before the accept/reject decision."""

    start: int
    end: int
    text: str
    key: str
    rows: tuple[int, ...]
    match: str  # "exact" | "skeleton"
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    sentence: tuple[int, int]
    score: float = 0.0
    hints: set[str] = field(default_factory=set)  # "admin", "base", "populated", "veto", "name-part"
    container: tuple[int, ...] = ()  # rows of the province/country named after a comma
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Recognised:
    """Output of :func:`recognise`: accepted place candidates and demonyms."""

    places: list[Candidate]
    demonyms: list[tuple[int, int, str, str, tuple[int, int]]]  # start, end, text, country id, sentence
    boilerplate: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    landmarks: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, head) not in the gazetteer


_OPENERS = ('"', "“", "(", "[", ":", "'", "‘")


def _headline_lines(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Lines written in Title Case (headlines, captions): capitalisation says nothing there."""
    from conflict_map.text.sentences import lines

    out = []
    ti = 0
    for s, e in lines(text):
        while ti < len(tokens) and tokens[ti].start < s:
            ti += 1
        words = []
        j = ti
        while j < len(tokens) and tokens[j].start < e:
            words.append(tokens[j])
            j += 1
        content = [t for t in words if t.lower not in CONNECTORS and not t.arabic]
        if len(content) >= 3 and sum(t.cap for t in content) >= 0.75 * len(content) and len(words) <= 20:
            out.append((s, e))
    return out


def _sentence_of(pos: int, sents: list[tuple[int, int]]) -> tuple[int, int]:
    import bisect

    i = bisect.bisect_right(sents, (pos, float("inf"))) - 1
    if i >= 0 and sents[i][0] <= pos < sents[i][1]:
        return sents[i]
    return (pos, pos)


def _gap_ok(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return (
        gap in (" ", "-", "‐", "‑", "–", "'", "’", "'s ", "’s ")  # ... "Cox's Bazar"
        or (gap == " " * len(gap) and len(gap) <= 2)
        or (a.text.endswith(".") and gap == " ")
        or (len(a.text) == 1 and a.text.isupper() and gap == ". ")  # "W. Va.", "N. Y."
    )


def recognise(text: str, gaz: Gazetteer, *, threshold: float = THRESHOLD) -> Recognised:
    """Find place and demonym mentions in ``text`` (offsets into ``text`` as given)."""
    tokens = tokenize(text)
    sents = sentences(text)
    boiler = boilerplate_spans(text)
    headlines = _headline_lines(text, tokens)
    n = len(tokens)
    max_words = gaz.max_words
    common = gaz.common_words
    sent_first: set[int] = set()
    prev_sent = None
    for i, t in enumerate(tokens):
        s = _sentence_of(t.start, sents)
        if s != prev_sent:
            sent_first.add(i)
            prev_sent = s
        elif i > 0 and text[tokens[i - 1].end : t.start].strip()[-1:] in _OPENERS:
            sent_first.add(i)  # after an opening quote, bracket or colon a capital says nothing

    cands: list[Candidate] = []
    demonyms: list[tuple[int, int, str, str, tuple[int, int]]] = []
    i = 0
    while i < n:
        t = tokens[i]
        starts_here = t.cap or (
            t.lower in ARTICLES and i + 1 < n and tokens[i + 1].cap and text[t.end : tokens[i + 1].start] == "-"
        )
        if not starts_here or in_spans(t.start, boiler) or t.text.endswith(_CONTRACTION):
            i += 1
            continue
        sent = _sentence_of(t.start, sents)
        found = _longest_match(text, tokens, i, n, max_words, sent, gaz, exact=True)
        if not t.arabic and t.lower not in NEVER and (found is None or found.first == found.last):
            # a transliteration match may be longer: "Al Qaem" beats a hamlet called "Al"
            variant = _longest_match(text, tokens, i, min(n, i + 3), 3, sent, gaz, exact=False)
            if variant is not None and (found is None or variant.last > found.last):
                found = variant
        dem = _demonym(t, gaz) if (found is None or found.first == found.last) else None
        if dem is not None:  # "Iraqi", "Syrians": a demonym, not a place (even if a village shares it)
            demonyms.append((t.start, t.end, t.text, dem, sent))
            i += 1
            continue
        if found is None:
            i += 1
            continue
        cands.append(found)
        i = found.last + 1

    landmarks = [lm for lm in find_landmarks(text, tokens) if not in_spans(lm[0], boiler)]
    for c in cands:
        if any(s <= c.start and c.end <= e and (c.start, c.end) != (s, e) for s, e, _h in landmarks):
            c.hints.add("in-landmark")  # "Laurel County Detention Center": the county is where it is
        _score(c, text, tokens, gaz, common, sent_first, headlines)

    # a surname seen inside a person's name ("Tom Jones", "Vladimir Putin") is a person when it recurs alone
    def _personal(c: Candidate) -> bool:
        if "person" in c.hints:
            return True
        if "name-part" not in c.hints:
            return False
        prev = tokens[c.first - 1]
        return (
            c.key in gaz.surnames
            or prev.lower in gaz.given_names
            or (
                prev.text[:1].isupper()
                and not prev.text.isupper()
                and prev.lower not in common
                and prev.lower.rstrip("s") not in common  # "Joins", "Opens": a headline verb, not a first name
                and c.first - 1 not in sent_first
                and not in_spans(prev.start, headlines)
            )
        )

    person_keys = {c.key for c in cands if c.first == c.last and _personal(c)}
    # named in full as a person ("Georgia Stevens", "Mr Hit"): that word is the person all through the text
    certain_persons = {c.key for c in cands if c.first == c.last and "person" in c.hints}
    for c in cands:
        weak = c.match == "skeleton" or max(gaz.importance(r) for r in c.rows) < 6.0 or c.key in certain_persons
        if c.key in person_keys and weak and not c.hints & {"name-part", "veto"} and c.first == c.last:
            c.score -= 5.0
            c.hints.add("veto")
            c.reasons.append("same word as a person's name earlier -5")

    accepted = [c for c in cands if c.score >= threshold]
    # one sense per discourse: a name accepted once is accepted where it recurs (unless vetoed)
    good_keys = {c.key for c in accepted if c.score >= threshold + 1.0}
    good_rows = {r for c in accepted if c.score >= threshold + 1.0 and len(c.rows) <= 50 for r in c.rows}
    # a dictionary word capitalised mid-sentence and accepted there is a name at a sentence start too
    named_keys = {c.key for c in accepted if "dict-initial" not in c.hints}
    for c in cands:
        same_place = len(c.rows) <= 50 and not good_rows.isdisjoint(c.rows) and c.score >= threshold - 2.0
        if (
            c.score < threshold
            and (c.key in good_keys or same_place or ("dict-initial" in c.hints and c.key in named_keys))
            and "veto" not in c.hints
            and c.score > threshold - 7.0
        ):
            c.reasons.append("recurs")
            accepted.append(c)
    # listed with places: "Heet, Falluja and Al-Qa'im are in Anbar" (one pass, left and right neighbours)
    acc_ids = {id(c) for c in accepted}
    for k, c in enumerate(cands):
        if id(c) in acc_ids or "veto" in c.hints or c.score < threshold - 2.0:
            continue
        for other, gap in (
            (cands[k - 1], text[cands[k - 1].end : c.start]) if k > 0 else (None, ""),
            (cands[k + 1], text[c.end : cands[k + 1].start]) if k + 1 < len(cands) else (None, ""),
        ):
            if other is not None and id(other) in acc_ids and gap.strip() in (",", "and", ", and", "or", ", or"):
                c.reasons.append("listed with places")
                accepted.append(c)
                acc_ids.add(id(c))
                break
    # near the article's places: a small town that lies within 100 km of places the article clearly names
    # ("Valemount" in a story about the B.C. border towns) is one of them
    anchors = [r for c in accepted if c.score >= threshold + 1.0 and (r := _dominant_row(c, gaz)) is not None]
    if anchors:
        anchor_xyz = gaz.ecef_km(anchors)
        for c in cands:
            if id(c) in acc_ids or "veto" in c.hints or c.score < threshold - 2.0 or len(c.rows) > 40:
                continue
            d = np.linalg.norm(gaz.ecef_km(c.rows)[:, None, :] - anchor_xyz[None, :, :], axis=2)
            if (d < 100.0).any():
                c.reasons.append("near the article's places")
                accepted.append(c)
                acc_ids.add(id(c))
    # inside a landmark name, a spelling variant or a minor namesake yields to the landmark:
    # "Al-Shifa hospital" is a hospital, not the Vanuatu province Shefa
    accepted = [
        c
        for c in accepted
        if not (
            "in-landmark" in c.hints
            and "typed" not in c.hints  # "Laurel County Sheriff's Office" is in Laurel County
            and not any(gaz.kind_of(r) in _SITE_KINDS for r in c.rows)  # "Zaatari camp": the camp itself
            and (_loose_variant(c, gaz) or max(map(gaz.importance, c.rows)) < 5.0)
        )
    ]
    accepted.sort(key=lambda c: c.start)
    taken = [(c.start, c.end) for c in accepted] + [(d[0], d[1]) for d in demonyms]
    landmarks = [lm for lm in landmarks if not any(a < lm[1] and lm[0] < b for a, b in taken)]
    return Recognised(accepted, demonyms, boiler, sents, landmarks)


def _loose_variant(c: Candidate, gaz: Gazetteer) -> bool:
    """A spelling-variant match that is no transliteration: "Al-Shifa" for Shefa (Vanuatu), not "Jabalia" for
    Jabalya, whose camp is named after the town."""
    return c.match == "skeleton" and not any(
        gaz.country_of(r) in TRANSLITERATED and gaz.importance(r) >= 5.0 for r in c.rows
    )


def _dominant_row(c: Candidate, gaz: Gazetteer) -> int | None:
    """The clearly most important reading of a name, if it is a point-like place (not an area)."""
    ranked = sorted(c.rows, key=gaz.importance, reverse=True)
    top = ranked[0]
    if gaz.kind_of(top) not in ("city", "town", "village", "base", "crossing", "dam", "district"):
        return None
    if len(ranked) > 1 and gaz.importance(ranked[1]) > gaz.importance(top) - 1.5:
        return None
    return top


def _longest_match(
    text: str,
    tokens: list[Token],
    i: int,
    n: int,
    max_words: int,
    sent: tuple[int, int],
    gaz: Gazetteer,
    *,
    exact: bool,
) -> Candidate | None:
    """The longest gazetteer name starting at token ``i`` (exact key, or transliteration skeleton)."""
    t = tokens[i]
    for j in range(min(n, i + max_words) - 1, i - 1, -1):
        last = tokens[j]
        if not last.cap or last.end > sent[1]:
            continue
        ok = True
        for k in range(i, j):
            if not _gap_ok(text, tokens[k], tokens[k + 1]) or not (
                tokens[k + 1].cap or tokens[k + 1].lower in CONNECTORS
            ):
                ok = False
                break
        if not ok:
            continue
        surface = text[t.start : last.end]
        key = norm_key(surface)
        if j == i and (
            key in NEVER or key in ARTICLES or (key in LONE_CONNECTORS and "." not in surface) or len(key) < 2
        ):
            return None
        if exact:
            rows = gaz.rows_for_key(key)
        else:
            if len(key) < 4 or (j > i and t.lower in NEVER):
                continue
            rows = gaz.variant_rows(surface)
        if rows:
            return Candidate(t.start, last.end, surface, key, rows, "exact" if exact else "skeleton", i, j, sent)
    return None


def _demonym(t: Token, gaz: Gazetteer) -> str | None:
    if not t.cap or t.arabic:
        return None
    key = norm_key(t.text)
    pid = gaz.demonyms.get(key)
    if pid is None and key.endswith("s"):
        pid = gaz.demonyms.get(key[:-1])
    return pid


def _score(
    c: Candidate,
    text: str,
    tokens: list[Token],
    gaz: Gazetteer,
    common: frozenset[str],
    sent_first: set[int],
    headlines: list[tuple[int, int]],
) -> None:
    rows = c.rows
    words = c.key.split()
    if len(words) > 1 and all(w in common or w in NEVER for w in words):
        # "White House", "Red Cross": a phrase of ordinary words names a place only under that name (or a close
        # spelling: "Tal Afar"), not as a translated epithet ("White House" also renders Casablanca)
        rows = tuple(
            r for r in rows if gaz.kind_of(r) in _WIDE_KINDS or fuzz.ratio(norm_key(gaz.place(r).name), c.key) >= 70
        )  # a country's or sea's other name is still that place: "Holy See", "Ivory Coast", "the Atlantic"
        if not rows:
            c.score = -10.0
            c.hints.add("veto")
            c.reasons = ["ordinary words, no place of that name -10"]
            return
        c.rows = rows
    best = max(gaz.importance(r) for r in rows)
    score = best
    reasons = [f"prior {best:.1f}"]
    single = c.first == c.last
    first_tok = tokens[c.first]
    in_headline = in_spans(c.start, headlines)
    initial = c.first in sent_first
    if (
        len(words) > 1
        and words[-1] in ADMIN_NAME_ENDINGS
        and any(gaz.kind_of(r) in ("province", "district") for r in rows)
    ):
        score += 1.5  # "Laurel County", "Nineveh Governorate": the name says what it is
        c.hints.update(("admin", "typed"))
        reasons.append("names its kind +1.5")
    if c.match == "skeleton" and single and c.key in common:
        score -= 6.0  # "Has" is not a spelling of Ha'il
        c.hints.add("veto")
        reasons.append("a common word, not a spelling variant -6")
    if c.text in ("Sens", "Reps", "Gens", "Govs") and text[c.end : c.end + 1] == ".":
        score -= 6.0  # "Sens. Tom Udall and Martin Heinrich": senators, not the French town
        c.hints.update(("veto", "person"))
        reasons.append("plural title -6")
    if c.match == "skeleton":
        # transliteration variants are expected for names from Arabic, Persian, Turkic... script
        translit = any(gaz.country_of(r) in TRANSLITERATED for r in rows)
        score -= 1.0 if translit else 3.0
        reasons.append("spelling variant -1" if translit else "spelling variant -3")
    lower_key = c.key
    title_case = c.text[:1].isupper() and not c.text.isupper()
    if single and lower_key in common and (title_case or in_headline):
        if initial or in_headline:  # a capital here says nothing: "Turkey" or "turkey"?
            famous = best >= 8.0 and any(
                gaz.importance(r) >= 8.0 and norm_key(gaz.place(r).name) == lower_key for r in rows
            )  # a country or great city under its own name ("Turkey", "Japan"), not an alias ("Car", "Island")
            pen = 2.5 if famous else 5.0
            score -= pen
            c.hints.add("dict-initial")
            reasons.append(f"dictionary word at sentence start -{pen:g}")
        else:  # mid-sentence capital: a proper name, though maybe not of a place ("Police", "Aid")
            score -= 1.5
            reasons.append("dictionary word -1.5")
    if first_tok.arabic:
        # Arabic script has no capitals: a short or minor name is more likely a common word
        if len(c.key.replace(" ", "")) < 4:
            score -= 3.0
            reasons.append("short Arabic word -3")
        elif best < 6.0:
            score -= 1.0
            reasons.append("Arabic script, minor place -1")
    if (
        single
        and len(c.text) <= 5
        and c.text.isupper()
        and "." not in c.text
        and (len(c.text) <= 3 or best < 5.0 or c.match != "exact")
    ):
        kinds = {gaz.kind_of(r) for r in rows}
        if not kinds & {"country", "region"}:  # "US", "UK", "EU" yes; "PA", "CEO", "NATO" no
            score -= 4.0
            reasons.append("acronym -4")

    prev = tokens[c.first - 1] if c.first > 0 else None
    prev2 = tokens[c.first - 2] if c.first > 1 else None
    nxt = tokens[c.last + 1] if c.last + 1 < len(tokens) else None
    gap_prev = text[prev.end : first_tok.start] if prev else "\n"
    gap_next = text[tokens[c.last].end : nxt.start] if nxt else "\n"
    prev_adjacent = prev is not None and gap_prev in (" ", "-")
    next_adjacent = nxt is not None and gap_next in (" ", "-")

    # "Sen. Ray Miller, D-Columbus": a party letter and the place the politician represents
    party = prev is not None and prev.text in ("D", "R", "I") and gap_prev == "-"
    if party:
        score += 1.0
        reasons.append("party-place +1")
    # "the Iraq-Syria border", "US-Mexico talks": two places joined by a hyphen, not one longer name
    paired = (
        prev is not None
        and gap_prev in ("-", "–", "‑", "/")
        and any(gaz.importance(r) >= 6.0 for r in gaz.rows_for_key(prev.lower))
        and best >= 6.0
    )
    # part of a longer proper name: "George Washington", "Washington Post", "Abu Omar al-Iraq"
    if (
        not party
        and not paired
        and prev_adjacent
        and prev.cap
        and not prev.arabic
        and not in_headline
        and c.first - 1 not in sent_first
        and prev.lower not in NEVER
    ):
        pl = prev.lower
        if pl in KUNYA or pl in PERSON_BEFORE:
            score -= 7.0
            c.hints.update(("veto", "person"))
            reasons.append("person name -7")
        elif pl not in QUALIFIERS and pl not in CONNECTORS and gaz.demonyms.get(pl) is None:
            score -= 5.0
            c.hints.add("name-part")
            reasons.append("inside a longer name -5")
    elif (
        prev is not None and prev.lower in PERSON_BEFORE and prev_adjacent and (prev.cap or prev.lower in LOWER_TITLES)
    ):
        score -= 6.0
        c.hints.update(("veto", "person"))
        reasons.append("title before -6")
    # kunya chains: "Abu Bakr al-Baghdadi", "Abu Saeed al-Masri"
    for back in range(1, 4):
        k = c.first - back
        if k < 0:
            break
        if tokens[k].lower in KUNYA and tokens[k].cap:
            span_gap = text[tokens[k].end : first_tok.start]
            chain = all(tokens[x].cap or tokens[x].lower in _NAME_LINKS for x in range(k + 1, c.first))
            if chain and "\n" not in span_gap and "," not in span_gap and "." not in span_gap and len(span_gap) < 30:
                score -= 7.0
                c.hints.update(("veto", "person"))
                reasons.append("kunya name -7")
            break
    # "Qassim al-Ithawai", "Rafea al-Fahdawi": a name followed by a nisba is a person
    if (
        nxt is not None
        and gap_next == " "
        and nxt.lower in ARTICLES
        and c.last + 2 < len(tokens)
        and text[nxt.end : tokens[c.last + 2].start] == "-"
        and tokens[c.last + 2].cap
        and not gaz.has_key(norm_key(text[nxt.start : tokens[c.last + 2].end]))
        and not gaz.has_key(tokens[c.last + 2].lower)
    ):
        score -= 6.0
        c.hints.add("veto")
        reasons.append("nisba after: person -6")
    # "David Watson", "Paris Hilton": a common given name before a capitalised word is a person
    if single and title_case and lower_key in gaz.given_names:
        if (
            next_adjacent
            and gap_next == " "
            and nxt is not None
            and nxt.cap
            and nxt.lower in gaz.surnames
            and nxt.lower not in NEVER  # "in Alexandria Friday night": a weekday, not a surname
            and not in_headline
            and not any(gaz.importance(r) >= 6.0 for r in gaz.rows_for_key(nxt.lower))
        ):
            score -= 7.0
            c.hints.update(("veto", "person"))
            reasons.append("given name before a surname -7")
        elif best < 6.0:
            pen = 2.0 if lower_key in gaz.common_given_names else 1.0
            score -= pen
            reasons.append(f"also a given name -{pen:g}")
    elif single and title_case and lower_key in gaz.surnames and best < 6.0:
        if nxt is not None and nxt.lower in SPEECH_VERBS:
            score -= 3.0  # "Moore said"
            reasons.append("surname + speech verb -3")
        else:
            score -= 1.0  # "Moore", "Evans": as often a person as a small town
            reasons.append("also a surname -1")
    if (
        (nxt is not None and nxt.lower in ("dollar", "dollars"))
        or text[c.start - 1 : c.start] == "$"
        or text[c.end : c.end + 1] == "$"
    ):
        score -= 5.0  # a currency ("US dollars", "US$3m"), not the place
        reasons.append("currency -5")
    if next_adjacent and nxt is not None:
        nl = nxt.lower
        if nl in ("city", "town", "township", "village") and nxt.cap:
            c.hints.add("typed")  # "Mount Pleasant City Council": the town's own council
        if nl in KIN_WORDS or (nl in GROUP_AFTER and nxt.cap and "in-landmark" not in c.hints):
            if best >= 6.0 and nl not in KIN_WORDS:  # "Toronto Police", "Dubai Police": still about the place
                score -= 1.0
                reasons.append(f"'{nxt.text}' after -1")
            else:  # "Albu Mahal tribe", "Washington Post", "Cambridge University Press"
                score -= 6.0
                c.hints.add("veto")
                reasons.append(f"'{nxt.text}' after -6")
        elif nl in ADMIN_WORDS:
            score += 2.0
            c.hints.add("admin")
            reasons.append("admin word after +2")
        elif nl in RESIDENT_AFTER and not nxt.cap and not (c.text.isupper() and len(c.text) <= 3):
            score += 2.0  # "a Winona man", "Rochester area residents", "Gainesville police"
            c.hints.add("populated")
            reasons.append(f"'{nxt.text}' after +2")
        elif nl in BASE_WORDS or (nl in ("air", "army", "military") and _next_is_base(tokens, c.last + 1)):
            score += 2.0
            c.hints.add("base")
            reasons.append("base word after +2")
        elif (
            nxt.cap
            and not nxt.arabic
            and not in_headline
            and nl not in PLACE_TYPE_WORDS
            and not gaz.has_key(nl)
            and best < 6.0
            and "in-landmark" not in c.hints
            and "typed" not in c.hints
        ):  # "Obama Administration"; but "US Special Forces", "Laurel County Detention Center" name places too
            score -= 2.5
            reasons.append("followed by a proper name -2.5")
    # "the Albu Mahal and the al-Karbouli tribes"
    tail = text[c.end : c.end + 60].lower()
    if " tribes" in tail and " and " in tail[: tail.find(" tribes")]:
        score -= 6.0
        c.hints.add("veto")
        reasons.append("tribe list -6")

    if (
        prev is not None
        and prev.lower == "the"
        and best < 6.0
        and not (next_adjacent and nxt.cap)
        and not (nxt is not None and nxt.lower in RESIDENT_AFTER)  # "the Rochester area"
        and not (  # used as a modifier: "the Jabalia refugee camp", "the Mosul offensive"
            next_adjacent
            and nxt is not None
            and not nxt.cap
            and nxt.lower not in NEVER
            and nxt.lower not in SPEECH_VERBS
            and nxt.lower.isalpha()
        )
        and "in-landmark" not in c.hints
        and not {gaz.kind_of(r) for r in rows}
        & {"region", "water", "country", "province", "district", "base", "crossing", "dam"}
    ):
        score -= 1.5  # towns rarely take "the": "the White House", "the Pentagon"
        reasons.append("'the' before a town -1.5")
    if prev is not None:
        pl = prev.lower
        if pl in LOCATIVE_BEFORE and not prev.cap:
            score += 2.0
            reasons.append(f"'{prev.text}' before +2")
        elif pl in LOCATIVE_BEFORE and prev.cap:
            score += 1.0
        elif pl == "of" and prev2 is not None:
            p2 = prev2.lower
            if p2 in POPULATED_BEFORE:
                score += 3.0
                c.hints.add("populated")
                reasons.append(f"'{prev2.text} of' +3")
            elif p2 in ADMIN_WORDS:
                score += 3.0
                c.hints.add("admin")
                reasons.append(f"'{prev2.text} of' +3")
            elif p2 in DIRECTION_OF:
                score += 2.0
                reasons.append(f"'{prev2.text} of' +2")
        elif pl in POPULATED_BEFORE and not prev.cap:
            score += 1.5
            c.hints.add("populated")
    # a dateline: "WINONA -- The body of...", "BEIRUT (Reuters) - ...", "Paris, Tenn. — ..."
    dateline = _DATELINE.match(text, c.end)
    if (initial or in_headline) and dateline and (c.text.isupper() or "(" in dateline.group()):
        score += 3.0
        reasons.append("dateline +3")
    # "Springfield, Illinois" / "Ramadi, Anbar"
    if nxt is not None and gap_next.strip() == "," and nxt.cap:
        container = _container_rows(text, tokens, c.last + 1, gaz)
        if container:
            score += 1.5
            c.container = container
            reasons.append("', <place>' after +1.5")
    c.score = score
    c.reasons = reasons


def _container_rows(text: str, tokens: list[Token], k: int, gaz: Gazetteer) -> tuple[int, ...]:
    """Rows of a province or country named right after a comma ("Springfield, Ill.")."""
    for j in range(min(len(tokens), k + 3) - 1, k - 1, -1):
        key = norm_key(text[tokens[k].start : tokens[j].end])
        rows = tuple(r for r in gaz.rows_for_key(key) if gaz.kind_of(r) in ("country", "province"))
        if rows:
            return rows
    return ()


def _next_is_base(tokens: list[Token], k: int) -> bool:
    return k + 1 < len(tokens) and tokens[k + 1].lower in BASE_WORDS
