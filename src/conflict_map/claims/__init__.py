"""Distance and length statements in an article, linked to its places and checked against measurements.

The public API, re-exported for users (modules of the package import the defining module):
:func:`check_claims` / :func:`check_text` (:mod:`.check`), :class:`Claim` and the verdicts
(:mod:`.model`), :func:`find_statements` / :func:`parse_number` and the per-language patterns
(:mod:`.statements`, :mod:`.patterns`, :mod:`.english`), the tolerances (:mod:`.judging`).
"""

from conflict_map.claims.check import check_claims, check_text
from conflict_map.claims.english import ENGLISH
from conflict_map.claims.judging import DIRECTION_TOLERANCE_DEG, NEARLY_FLOOR, ROAD_FACTOR_MAX, TOLERANCE
from conflict_map.claims.model import AREA_KINDS, CONSISTENT, DIFFERS, POINT_KINDS, UNCHECKED, VERDICTS, Claim
from conflict_map.claims.patterns import Patterns
from conflict_map.claims.statements import CLAIM_RE, PATTERNS, find_statements, parse_number, patterns_for

__all__ = [
    "AREA_KINDS",
    "CLAIM_RE",
    "CONSISTENT",
    "DIFFERS",
    "DIRECTION_TOLERANCE_DEG",
    "ENGLISH",
    "NEARLY_FLOOR",
    "PATTERNS",
    "POINT_KINDS",
    "ROAD_FACTOR_MAX",
    "TOLERANCE",
    "UNCHECKED",
    "VERDICTS",
    "Claim",
    "Patterns",
    "check_claims",
    "check_text",
    "find_statements",
    "parse_number",
    "patterns_for",
]
