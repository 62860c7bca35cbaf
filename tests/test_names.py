"""Name keys: transliteration variants of one place share a key; different places do not."""

import pytest

from conflict_map.text.names import is_arabic, norm_key, skeleton


@pytest.mark.parametrize(
    "variants",
    [
        ["Al Qaem", "Al-Qa'im", "Al Qā’im", "Qaim", "AL-QAIM", "al-Qa‘im"],
        ["Heet", "Hit", "Hīt"],
        ["Falluja", "Fallujah", "Al-Falluja"],
        ["Rawa", "Rawah"],
        ["Ain al-Asad", "Ayn al Asad", "Ain Al Asad"],
        ["Salahaddin", "Salah ad Din", "Salah ad-Din"],
        ["Raqqa", "Raqqah", "Ar-Raqqa"],
    ],
)
def test_transliteration_variants_share_a_skeleton(variants: list[str]) -> None:
    keys = {skeleton(v) for v in variants}
    assert len(keys) == 1, keys
    assert keys.pop()  # never the empty key


@pytest.mark.parametrize("a,b", [("Mosul", "Basra"), ("Rawa", "Ramadi"), ("Hit", "Haditha"), ("Qaim", "Kirkuk")])
def test_different_places_keep_different_skeletons(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


def test_norm_key_folds_case_accents_punctuation() -> None:
    assert norm_key("Al-Qa'im") == "al qaim"
    assert norm_key("  Dayr  az-Zawr ") == "dayr az zawr"
    assert norm_key("U.S.") == norm_key("US") == "us"
    assert norm_key("São Paulo") == "sao paulo"


def test_arabic_normalisation() -> None:
    assert is_arabic("القائم") and not is_arabic("Qaim")
    # diacritics, hamza forms and tatweel fold away
    assert norm_key("القائِم") == norm_key("القائم")
    assert norm_key("الأنبار") == norm_key("الانبار")
    assert norm_key("العـراق") == norm_key("العراق")


def test_short_or_empty_names_have_no_skeleton() -> None:
    assert skeleton("") == ""
    assert skeleton("Al") == ""
