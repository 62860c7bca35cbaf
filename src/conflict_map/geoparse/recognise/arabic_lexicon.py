"""Word lists of the Arabic-script recogniser, in folded form (:func:`conflict_map.text.arabic.fold`).

Like :mod:`.lexicon`, they are evidence, not rules: :mod:`.arabic_features` turns them into named features
whose weights live in ``geoparse/weights.json``. Written for the project from general knowledge of Arabic news
usage (Iraqi, Syrian, Levantine, Gulf, Yemeni and Libyan reporting); no list was taken from an evaluation text.
"""

from __future__ import annotations

import re

from conflict_map.text.arabic import DIACRITICS_RE, fold


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


#: Kind words: they say what the next name is, and are never places themselves (with or without the article,
#: singular, dual or plural). Each maps to the hint it leaves for the resolver.
KIND_WORDS: dict[str, str] = {
    **{w: "populated" for w in _folded("مدينة مدينتي مدينتا مدن بلدة بلدتي بلدتا بلدات قرية قريتي قريتا قرى")},
    **{w: "admin" for w in _folded("محافظة محافظتي محافظتا محافظات ولاية ولايتي ولايات إقليم أقاليم ريف")},
    **{w: "district" for w in _folded("قضاء قضاءي قضاءا أقضية ناحية ناحيتي نواحي مديرية مديريتي مديريات")},
    # Sudan's localities ("محليتي بربر وشندي"); the singular "محلية" is mostly the adjective "local" ("مصادر محلية")
    **{w: "district" for w in _folded("محليتي محليتا محليات")},
    **{w: "base" for w in _folded("قاعدة قاعدتي قواعد معسكر معسكرات")},
    **{w: "airport" for w in _folded("مطار مطاري مطارات")},
    **{w: "crossing" for w in _folded("معبر معبري معابر منفذ منفذي منافذ")},
    **{w: "camp" for w in _folded("مخيم مخيمي مخيمات")},
    **{w: "dam" for w in _folded("سد سدي")},
    **{w: "port" for w in _folded("ميناء مينائي موانئ")},
    **{w: "water" for w in _folded("نهر نهري أنهار مضيق بحيرة بحيرتي بحيرات")},
    **{w: "quarter" for w in _folded("حي حيي أحياء")},
    **{w: "area" for w in _folded("منطقة منطقتي مناطق سهل قمة قطاع سلطنة جزيرة جزيرتي جزر واحة واحتي واحات")},
    # Sorani Kurdish: "شاری" city of, "پارێزگای" province of, "قەزای" district of, "فڕۆکەخانەی" airport of
    **{w: "populated" for w in _folded("شاری شارۆچکەی گوندی")},
    **{w: "admin" for w in _folded("پارێزگای هەرێمی")},
    **{w: "district" for w in _folded("قەزای ناحیەی")},
    **{w: "airport" for w in _folded("فڕۆکەخانەی")},
}
#: Kind words in the dual or plural: they head a list of names joined by و ("ناحيتي الزاب والعباسي", "واحات ودان
#: وهون وسوكنة"), and each member of the list is of that kind, not only the first (a dual heads two members).
DUAL_KIND_WORDS = _folded(
    "مدينتي مدينتا بلدتي بلدتا قريتي قريتا محافظتي محافظتا ولايتي قضاءي قضاءا ناحيتي مديريتي محليتي محليتا "
    "قاعدتي مطاري معبري منفذي مخيمي نهري بحيرتي حيي منطقتي جزيرتي واحتي"
)
PLURAL_KIND_WORDS = _folded(
    "مدن بلدات قرى محافظات ولايات أقاليم أقضية نواحي مديريات محليات قواعد معسكرات مطارات معابر منافذ مخيمات أنهار "
    "بحيرات أحياء مناطق جزر واحات"
)
#: The kinds of place a facility kind word names (its own point, not the town's: "مطار بغداد").
FACILITY_KINDS: dict[str, frozenset[str]] = {
    "base": frozenset({"base", "airport"}),
    "airport": frozenset({"airport", "base"}),
    "crossing": frozenset({"crossing"}),
    "camp": frozenset({"landmark"}),
    "dam": frozenset({"dam"}),
}
#: Words before a name that say it is a place: prepositions, directions, verbs of movement and attack.
LOCATIVE_BEFORE = _folded(
    "في من إلى الى حتى عن قرب بالقرب قرابة نحو باتجاه اتجاه صوب تجاه عند لدى داخل خارج حول محيط أطراف اطراف "
    "ضواحي أنحاء وسط قلب مدخل مداخل شمال جنوب شرق غرب شمالي جنوبي شرقي غربي شمالا جنوبا شرقا غربا "
    "قبالة مقابل بين عبر مشارف تخوم أرياف ضاحية جوار غادر غادرت وصل وصلت دخل دخلت دخلوا اقتحم اقتحمت "
    "استهدف استهدفت قصف قصفت شهدت شهد زار زارت يزور تزور حاصر حاصرت استعاد استعادت سيطر سيطرت هاجم "
    "هاجمت ضرب ضربت اجتاح اجتاحت عاد عادت نزح نزحت فر فرت انسحب انسحبت سكان أهالي "
    # Sorani Kurdish: "لە" in/from, "بۆ" to, "نزیک" near, "نێوان" between, "دەوروبەری" around
    "لە بۆ نزیک نێوان دەوروبەری بەرەو"
)
#: Directions ("شمال X", "شمالي X"): they also say which country or province the article is about.
DIRECTIONS = _folded("شمال جنوب شرق غرب شمالي جنوبي شرقي غربي وسط")
#: Offices of a place: "محافظ نينوى" is the governor of Nineveh (the place is named), hint for the resolver.
OFFICE_OF = {
    **{w: "admin" for w in _folded("محافظ والي")},
    **{w: "populated" for w in _folded("قائمقام قائممقام عمدة بلدية")},
}
#: Titles before a person's name ("الشيخ", "اللواء"): the next name is a person.
TITLES = _folded(
    "الشيخ شيخ اللواء العقيد العميد الفريق المقدم الرائد النقيب الملازم الرئيس الوزير الأمير الأميرة الملك "
    "السيد السيدة الدكتور الدكتورة الحاج الإمام السفير النائب القاضي المهندس الأستاذ المطران البطريرك الجنرال "
    "المشير الداعية الملا المرجع سماحة فضيلة الرقيب "
    # professions and roles before a person's name ("الممرضة X", "الناشط X"): the same evidence as a title
    "الممرضة الممرض الطبيب الطبيبة المزارع المزارعة الناشط الناشطة الصحفي الصحفية المتحدث المتحدثة المحامي "
    "المحامية المعلم المعلمة المهندسة المسعف المسعفة المراسل المراسلة الباحث الباحثة الفنان الفنانة الكاتب "
    "الكاتبة الشاعر الشاعرة الطالب الطالبة المواطن المواطنة الأسير الأسيرة الشهيد الشهيدة الطفل الطفلة الشاب "
    "الشابة الممثل الممثلة المدرب اللاعب اللاعبة"
)
#: Kunya and filiation words: "أبو بكر البغدادي", "خالد بن الوليد", "أم أحمد".
KUNYA = _folded("أبو أبي أبا أم ابن بن بنت ابنة")
#: Tribe words: "عشيرة العبيد", "قبيلتي أولاد سليمان والتبو", "البو نمر".
TRIBE_WORDS = _folded("عشيرة عشيرتي عشائر قبيلة قبيلتي قبائل آل البو أولاد بني بنو عائلة أسرة فخذ")
#: Councils and commands named after a place ("مجلس دير الزور العسكري", the Military Council): with a definite
#: adjective after the name that is no geographic one, the name is the organisation's, not a place.
COUNCIL_HEADS = _folded("مجلس مجلسي مجالس قيادة لجنة غرفة محكمة شرطة")
#: Heads of an organisation's construct chain with a common noun of its field between them and the place:
#: "غرفة تجارة البصرة" (the chamber of commerce), "قيادة عمليات الأنبار", "مديرية زراعة نينوى". "مديرية X" alone
#: is a Yemeni district, "دائرة X" a constituency: only with such a noun between are they bodies.
CHAIN_HEADS = COUNCIL_HEADS | _folded("مديرية مديريات دائرة دوائر رئاسة مفوضية مفتشية مفتشيات")
#: Heads of organisation names: "فيلق القدس", "هيئة تحرير الشام", "وزارة الداخلية".
ORG_HEADS = _folded(
    "فيلق سرايا كتائب كتيبة هيئة حركة حزب جبهة وحدات تجمع ائتلاف تيار لواء ألوية صحيفة جريدة قناة وكالة إذاعة "
    "تلفزيون شركة جمعية منظمة مؤسسة وزارة مصرف بنك نادي فريق منتخب شبكة نقابة جامعة رابطة اتحاد "
    # competitions named after a country or region ("دوري نجوم X" the league, "كأس X" the cup, "بطولة X"): an
    # event's name, like a club's, not the place
    "دوري كأس بطولة "
    # a police force named after its town or emirate ("شرطة رأس الخيمة", "شرطة عمان السلطانية"): the body, as
    # "فيلق" heads a corps' name; "شرطة محافظة بابل" still names the province with its kind word
    "شرطة"
)
#: Well-known organisation names that contain a place's name (the place in them is not mapped).
ORGANISATIONS = tuple(
    fold(n)
    for n in (
        "قوات سوريا الديمقراطية",
        "هيئة تحرير الشام",
        "فيلق القدس",
        "سرايا القدس",
        "الإدارة الذاتية لشمال وشرق سوريا",
        "الإدارة الذاتية لشمال شرق سوريا",
        "وحدات مقاومة سنجار",
        "حزب العمال الكردستاني",
        "الاتحاد الوطني الكردستاني",
        "الحزب الديمقراطي الكردستاني",
        "حزب الله",
        "كتائب حزب الله",
        "الجيش السوري الحر",
        "جبهة فتح الشام",
        "جبهة النصرة",
        "تنظيم الدولة",
        "الدولة الإسلامية",
        "الدولة الإسلامية في العراق والشام",
        "جيش الإسلام",
        "حركة أحرار الشام",
        "أحرار الشام",
        "عصائب أهل الحق",
        "منظمة بدر",
        "الحشد الشعبي",
        "جيش المهدي",
        "القاعدة في جزيرة العرب",
        "أنصار الله",
        "المجلس الانتقالي الجنوبي",
        "الجيش الوطني الليبي",
        "جامعة الدول العربية",
        "مجلس التعاون الخليجي",
        "قناة الجزيرة",
        "قناة العربية",
        "تلفزيون سوريا",
        "راديو سوا",
        "بيت المقدس",
    )
)
#: Fixed expressions in which a place's name is an ordinary word ("حماة الديار" the anthem, "جنات عدن" the
#: gardens of Eden, "القائم بالأعمال" the chargé d'affaires, "فتح الباب" to open the door).
COLLOCATIONS = tuple(
    fold(n)
    for n in (
        "حماة الديار",
        "جنات عدن",
        "جنة عدن",
        "القائم بالأعمال",
        "القائم بأعمال",
        "يفتح الباب",
        "فتح الباب",
        "تفتح الباب",
        "الباب أمام",
        "الباب مفتوحا",
        "الباب مفتوح",
        "باب الحوار",
        "باب الترشح",
        "صور نشرها",
        "صور نشرتها",
        "صور التقطت",
        "صور أظهرت",
        "الصور التي",
        "أمن بلد",
        "العديد من",
        "الدولة الإسلامية",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
        "كانون الثاني",
        "ثورة تشرين",
        "حرب تشرين",
        "القائمة الانتخابية",
        "الضفة الغربية لنهر",
        "الضفة الشرقية لنهر",
        "الضفة الغربية للنهر",
        "الضفة الشرقية للنهر",
        "الضفة الغربية من نهر",
        "الضفة الشرقية من نهر",
    )
)
#: Spellings whose vowel marks say which of two places is meant: "عمّان" (with shadda) is Amman, "عُمان"
#: (with damma) is Oman, while "عمان" without marks may be either (GeoNames ids). Keys keep only shadda and
#: damma (see :func:`vowel_marks`).
VOCALISED: dict[str, str] = {"عمّان": "250441", "عُمان": "286963", "عُمّان": "250441"}
_KEPT_MARKS = re.compile(r"[\u064B-\u064E\u0650\u0652-\u065F\u0670\u0640]")


def vowel_marks(word: str) -> str:
    """``word`` with only its shadda and damma marks (the ones that tell عمّان from عُمان), shadda first."""
    return _KEPT_MARKS.sub("", word).replace("\u064f\u0651", "\u0651\u064f")


#: Words that never start a place name: function words, pronouns, months, weekdays and the like.
NEVER = _folded(
    "في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم هن نحن أنا أن إن أنه انه بأن لأن كان "
    "كانت يكون قد لقد لم لن لا ما ماذا كل بعض غير بين بعد قبل عند حتى ثم أو أم بل كما مثل حيث إذا اذا "
    "لكن وقد فقد ولا أي أيضا خلال منذ حول دون ضد عبر نحو يوم اليوم أمس غدا الله السبت الأحد الاثنين "
    "الثلاثاء الأربعاء الخميس الجمعة يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر "
    "كيف أين متى لماذا هل ليس ليست "  # interrogatives and negation ("كيف" how is no Kyiv)
    "وين فين منين لوين ليش شلون شنو شو ايش مش مو هيك "  # the same in the dialects of quoted speech ("وين" where)
    "ديسمبر تشرين كانون شباط آذار نيسان أيار حزيران تموز آب أيلول قال قالت وقال وقالت أعلن أعلنت أفاد أفادت "
    "أضاف أضافت وأضاف وأضافت ذكر ذكرت مصدر مصادر مسؤول مسؤولون الحكومة الجيش القوات الشرطة الأمن المدينة "
    "العاصمة الدولة البلاد المملكة الجمهورية الإمارة السلطنة الولاية المحافظة البلدة القرية المنطقة الحدود "
    # institutions that head a name ("جامعة البصرة") and are no place themselves
    "جامعة جامعات كلية معهد مدرسة"
)
#: A common noun is no place with or without its article ("عاصمة", "العاصمة").
NEVER = NEVER | {w[2:] for w in NEVER if w.startswith("ال") and len(w) > 4} | {"ال" + w for w in NEVER}
#: NEVER words whose spelling tells them from a name that folds alike: "على" (on), "إلى", "حتى", "متى" end in alef
#: maqsura, the name "علي" ends in ya ("علي الغربي"); the months "آب", "آذار" begin with madda, the town "إب" with
#: hamza below.
_NEVER_MAQSURA = _folded("على إلى الى حتى متى")
_NEVER_MADDA = _folded("آب آذار")


def never_as_written(written: str, folded: str | None = None) -> bool:
    """Whether ``written`` (a word without its proclitics; ``folded``: as looked up, when not its plain fold, as
    for the contraction لل) is one of :data:`NEVER`, as its writer spelled it."""
    folded = fold(written) if folded is None else folded
    if folded not in NEVER:
        return False
    bare = DIACRITICS_RE.sub("", written)
    if bare.endswith("ي") and folded in _NEVER_MAQSURA:
        return False
    return not (bare[:1] in ("أ", "إ") and folded in _NEVER_MADDA)


#: Words that never head a name of several words: "أم" (or) never starts a name alone, but "أم" (mother of) heads
#: compound names as "أبو" does ("أم قصر", "أم روابة"): a known name of several words starting with it is one.
NEVER_HEADS = NEVER - {fold("أم")}
#: Common Arabic given names: before a nisba ("محمد الخليل"), or with one after them ("عمران العصيمي"), a person.
GIVEN_NAMES = _folded(
    "محمد أحمد محمود مصطفى علي عمر عثمان خالد خليل إبراهيم إسماعيل يوسف يونس يحيى زكريا موسى عيسى سليمان "
    "داود هارون حسين حسن حسان عبدالله عبدالرحمن عبدالكريم عبدالعزيز عبدالرحيم عبدالسلام عبدالقادر عبدالناصر "
    "طارق زياد وليد رائد ماجد ماهر منير نبيل نزار نصر ناصر نادر هشام هاني هيثم وائل ياسر ياسين يزيد "
    "سامي سامر سعد سعود سلمان سلطان صالح صلاح ضياء طلال عادل عامر عباس عدنان عزيز عصام علاء عماد عمران "
    "غازي فادي فارس فاروق فاضل فراس فهد فيصل قاسم قيس كاظم كامل كمال لؤي مازن مالك مجيد مراد مروان "
    "مهدي مؤيد نايف نجيب نعمان نوري هادي همام وسام أنس أسامة أيمن بسام بشار بشير جاسم جعفر جلال جمال "
    "حمد حمزة حيدر رامي رشيد رضا زهير شريف شاكر صدام ضرغام عبير فاطمة عائشة خديجة مريم زينب سارة ليلى "
    "هدى نور رنا ريم سلمى سعاد لينا دينا رغد شيماء أسماء إيمان آمنة حنان منى سناء وفاء نادية هالة "
    "رقية سمية جميلة لمى ياسمين"
)
#: Frequent nisba adjectives of place that are no surnames ("معبر القائم الحدودي", "ريف حلب الشرقي").
PLACE_ADJECTIVES = _folded(
    "الحدودي الحدودية الدولي الدولية الشرقي الشرقية الغربي الغربية الشمالي الشمالية الجنوبي الجنوبية "
    "الأوسط الوسطى الساحلية الساحلي الجوية الجوي العسكرية العسكري القديمة القديم الجديدة الجديد المحتلة "
    "الكبرى الصغرى الشمالي الغربي الشمالي الشرقي المجاورة المجاور النفطي النفطية الزراعية الجبلية الصحراوية"
)
#: Particles that go before a nominal predicate: "كانت X مدمرة" (X was destroyed), "هي X" (it is X). After one, an
#: indefinite adjective after a name may be its predicate, not an adjective agreeing with a common noun.
COPULAS = _folded(
    "كان كانت كانوا أصبح أصبحت أضحى أضحت بات باتت ظل ظلت بقي بقيت صار صارت مازال مازالت زال زالت يزال "
    "تزال ليس ليست يبقى تبقى يظل تظل"
)
#: Definite words of time that may follow a place's name ("في حلب اليوم", "في غزة الأسبوع الماضي"): no noun in
#: construct with it.
TIME_WORDS = _folded(
    "اليوم الليلة الأسبوع الشهر العام السنة الصباح المساء الظهر الفجر الماضي الماضية الحالي الحالية المقبل "
    "المقبلة الجاري الجارية أمس الأمس"
)
#: Times of day and the prayers named after them ("حتى الضحى" until mid-morning, "صلاة المغرب" the sunset prayer):
#: a few are also places' names (الضحى in Yemen, الشروق in Egypt, المغرب Morocco).
TIMES_OF_DAY = _folded(
    "الفجر الصبح الصباح الضحى الظهر الظهيرة الزوال العصر الأصيل المغرب المغيب الغروب الشروق العشاء العتمة "
    "المساء الليل السحور الإفطار"
)
#: Words after which a time of day is a time ("حتى", "بعد", "صلاة", "أذان"), not a place.
TIME_HEADS = _folded("حتى بعد بعيد قبل قبيل عقب منذ عند وقت موعد صلاة صلاتي أذان آذان")
#: Prepositions of time only (not of place, as "حتى" and "عند" are too): "بعد المغرب" is after the sunset prayer
#: unless the article's places are near Morocco (the discourse rule ``foreign_common_word`` weighs it).
TIME_ONLY_HEADS = _folded("بعد بعيد قبل قبيل عقب منذ")
#: Words of prayer and fasting: in their sentence "بعد المغرب" is after the sunset prayer, not after Morocco.
PRAYER_WORDS = _folded("صلاة صلاتي الصلاة أذان الأذان آذان المصلين المصلون المسجد مسجد الإفطار إفطار الصيام صيام")
#: Adjectives that make a region of a continent's name ("أمريكا اللاتينية", "آسيا الوسطى", "أوروبا الشرقية").
REGION_ADJECTIVES = _folded("اللاتينية الجنوبية الشمالية الوسطى الشرقية الغربية الاستوائية")
#: A sports team's roles: "مدرب زاخو" (Zakho's coach), "ضيفه دهوك" (its guest, Duhok) name the club.
SPORTS_ROLES = _folded(
    "مدرب مدربا مدربي ضيف ضيفه ضيفها مضيف مضيفه مضيفها لاعب لاعبو لاعبي حارس مهاجم مشجعو مشجعي جماهير نجم نجوم"
)
#: Words of a match report; two of them in an article make it a sports article.
SPORTS_WORDS = _folded(
    "مباراة مباراته المباراة مباريات الدوري دوري ملعب الملعب ملاعب هدف بهدف بهدفين هدفين أهداف الأهداف الشوط "
    "البطولة بطولة الكأس كأس ركلة ركلات المرمى تعادل الفريقين"
)
#: Adjectives of colour, number and position that are also places' names ("البيضاء", "الخمس", "الوسطى"): after
#: a definite noun they agree with it ("الرايات البيضاء" the white flags, "السنوات الخمس" the five years,
#: "المنطقة الوسطى" the central area); a place's name is never such a noun's adjective.
AGREEING_ADJECTIVES = _folded(
    "البيضاء الأبيض السوداء الأسود الحمراء الأحمر الخضراء الأخضر الزرقاء الأزرق الصفراء الأصفر "
    "الوسطى الأوسط الكبرى الأكبر الصغرى الأصغر العليا الأعلى السفلى الأسفل الدنيا القصوى الأقصى "
    "الأولى الأول الثانية الثاني الثالثة الثالث الأخيرة الأخير "
    "الثلاث الثلاثة الأربع الأربعة الخمس الخمسة الست الستة السبع السبعة الثماني الثمانية التسع التسعة "
    "العشر العشرة"
)
#: Words ending in alef that are adverbs, not indefinite accusative nouns ("خصوصا تركيا" especially Turkey).
ADVERBS = _folded(
    "تحديدا خصوصا خاصة أيضا حاليا سابقا لاحقا مؤخرا جدا معا أولا ثانيا ثالثا أخيرا غالبا دائما أبدا تقريبا "
    "فورا مجددا رسميا علنا سرا يوميا أسبوعيا شهريا سنويا مثلا عموما إما"
)
#: Countries where places' names are Arabic words: an alias there that reads as an Arabic word may be one.
ARAB_COUNTRIES = frozenset("IQ SY JO LB PS IL SA YE OM AE QA BH KW EG LY TN DZ MA EH SD SS SO MR DJ KM TD".split())
#: Definite nouns that follow a town's name as part of the name of its old centre ("درعا البلد", "جدة البلد"): no
#: common noun in construct with the name.
TOWN_PART_NOUNS = _folded("البلد")
#: Verbs of speech after a name: "قال الخليل" (a person) is told apart by the title or kunya before, not this.
SPEECH_VERBS = _folded("قال قالت يقول تقول أكد أكدت صرح صرحت أوضح أوضحت")

__all__ = [
    "COLLOCATIONS",
    "COPULAS",
    "DIRECTIONS",
    "FACILITY_KINDS",
    "GIVEN_NAMES",
    "KIND_WORDS",
    "KUNYA",
    "DUAL_KIND_WORDS",
    "PLURAL_KIND_WORDS",
    "LOCATIVE_BEFORE",
    "NEVER",
    "NEVER_HEADS",
    "OFFICE_OF",
    "ORGANISATIONS",
    "ORG_HEADS",
    "AGREEING_ADJECTIVES",
    "ADVERBS",
    "ARAB_COUNTRIES",
    "CHAIN_HEADS",
    "COUNCIL_HEADS",
    "PLACE_ADJECTIVES",
    "PRAYER_WORDS",
    "REGION_ADJECTIVES",
    "SPORTS_ROLES",
    "SPORTS_WORDS",
    "SPEECH_VERBS",
    "TIMES_OF_DAY",
    "TIME_HEADS",
    "TIME_ONLY_HEADS",
    "TIME_WORDS",
    "TOWN_PART_NOUNS",
    "TITLES",
    "TRIBE_WORDS",
    "VOCALISED",
    "never_as_written",
    "vowel_marks",
]
