"""Word lists of the English (Latin-script) recogniser: connectors, titles, kind words, words that are never places.

They are evidence, not rules: :mod:`conflict_map.geoparse.recognise.features` turns them into named features
whose weights live in ``geoparse/weights.json``.
"""

from __future__ import annotations

import re

CONNECTORS = frozenset(
    "al el ad adh an ar as ash at ath az ed es et ez er en il ul de del della der di da das dos do du des la le "
    "les los las of on upon the und and y i bin ibn bint abu umm sur sous am im an der van von ten ter".split()
)
#: Connectors that never name a place alone: "La" of "La Niña" is not Los Angeles ("Van" and "Sur" can be).
LONE_CONNECTORS = frozenset("la le les los las el de del della der di da das dos do du des y und upon ten ter".split())
WIDE_KINDS = frozenset({"country", "water", "region", "continent"})
SITE_KINDS = frozenset({"landmark", "base", "crossing", "dam", "airport"})
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
DATELINE = re.compile(r"(?:,(?: [A-Z][\w.]*){1,3})?\s*(?:\([A-Za-z. ]{1,20}\)\s*)?(?:--|—|–| - )")
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
NAME_LINKS = ARTICLES | KUNYA  # what may stand inside a person's name chain ("Abu Bakr al-Baghdadi")
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
CONTRACTION = ("'ve", "’ve", "'ll", "’ll", "'re", "’re", "'d", "’d", "'m", "’m", "n't", "n’t")
