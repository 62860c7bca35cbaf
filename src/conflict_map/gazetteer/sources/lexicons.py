"""Word lists the recogniser weighs place names against: common English words, given names, surnames, and
how common Arabic words are.

* ``english-words`` (Webster's 2nd, public domain) filtered by ``wordfreq`` use: "hit", "aid", "turkey";
* ``names`` (US Census 1990 given-name and surname lists, public domain): "David Watson" is a person;
* ``wordfreq`` Arabic frequencies (Zipf scale), by folded key: "مدينة" (city) and "بأنه" (that it) are far more
  common than the places Medina and Baneh are named.
"""

from __future__ import annotations

from conflict_map.gazetteer.sources.packages import package_file
from conflict_map.text.names import is_arabic


def common_english_words(min_zipf: float = 3.0) -> frozenset[str]:
    """Lower-case dictionary words (Webster's 2nd via ``english-words``) that are in real use
    (``wordfreq`` Zipf frequency >= ``min_zipf``): "hit", "aid", "mobile", "turkey". A place name that
    is also such a word needs context before the recogniser believes it."""
    from english_words import get_english_words_set
    from wordfreq import zipf_frequency

    words = get_english_words_set(["web2"], lower=False)
    return frozenset(w for w in words if w.islower() and len(w) > 1 and zipf_frequency(w, "en") >= min_zipf)


def arabic_word_frequencies(min_zipf: float = 3.0) -> dict[str, float]:
    """Zipf frequency (``wordfreq``, Arabic) of every Arabic word at least that common, by folded key (the
    frequencies of the spellings that fold together are added): "مدينه" -> 5.8."""
    import math

    from wordfreq import get_frequency_dict

    from conflict_map.text.names import norm_key

    floor = 10 ** (min_zipf - 9)
    out: dict[str, float] = {}
    for word, freq in get_frequency_dict("ar").items():
        if freq < floor:
            break  # most common first
        key = norm_key(word)
        if key and " " not in key and is_arabic(key):
            out[key] = out.get(key, 0.0) + freq
    return {k: round(math.log10(f) + 9, 2) for k, f in out.items()}


def _read_names(file: str, limit_pct: float | None, limit_rank: int | None) -> set[str]:
    """Lower-case names of one Census list, down to a cumulative percentage or a rank."""
    out = set()
    with open(package_file("names", file), encoding="ascii") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 4:
                continue
            if limit_pct is not None and float(parts[2]) > limit_pct:
                break
            if limit_rank is not None and int(parts[3]) > limit_rank:
                break
            out.add(parts[0].lower())
    return out


def personal_names(cumulative_pct: float = 90.0, surname_rank: int = 5000) -> tuple[frozenset[str], frozenset[str]]:
    """Common given names (covering ``cumulative_pct`` % of people) and the ``surname_rank`` most common
    surnames, from the US Census 1990 name lists shipped in the ``names`` package (public domain data)."""
    male = _read_names("dist.male.first", cumulative_pct, None)
    given = male | _read_names("dist.female.first", cumulative_pct, None)
    return frozenset(given), frozenset(_read_names("dist.all.last", None, surname_rank))


__all__ = ["arabic_word_frequencies", "common_english_words", "personal_names"]
