"""CLI: ``distance``, ``border``, ``border-length`` and ``claims`` - the journalist's checking tools."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from conflict_map.errors import UserError
from conflict_map.models import Place

_COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)\s*$")
#: Arguments argparse must read as values, not options: negative numbers and "lat,lon" pairs ("-33.9,18.4").
_NEGATIVE_VALUE = re.compile(r"^-\d*\.?\d+(?:\s*[, ]\s*-?\d*\.?\d+)?$")


def _accept_negative_coordinates(parser: argparse.ArgumentParser) -> None:
    """Let ``parser`` take ``-33.9,18.4`` as a positional value (argparse reads a leading ``-`` as an option).

    argparse treats an argument as a value when it matches the parser's negative-number pattern and the
    parser has no option that looks like a negative number; widening the pattern to coordinate pairs is
    enough. (``tests/test_cli_geo.py`` checks that this keeps working.)
    """
    parser._negative_number_matcher = _NEGATIVE_VALUE  # noqa: SLF001 - no public hook for this


def register(sub: argparse._SubParsersAction) -> None:
    """Add the geography sub-commands."""
    fmt = {"choices": ("table", "json"), "default": "table", "help": "output format (default: table)"}

    d = sub.add_parser(
        "distance",
        help="straight-line distance and bearing between two places",
        description="Geodesic (WGS84) distance in km, miles and nautical miles, and the initial bearing "
        "from A to B. Places are names (spelling tolerant) or 'lat,lon'.",
    )
    d.add_argument("a", metavar="A", help="place name or 'lat,lon'")
    d.add_argument("b", metavar="B", help="place name or 'lat,lon'")
    d.add_argument("--format", **fmt)
    d.set_defaults(func=cmd_distance)
    _accept_negative_coordinates(d)

    b = sub.add_parser(
        "border",
        help="nearest international border to a place",
        description="The nearest point of an international land border to a place (Natural Earth 1:10m), "
        "its geodesic distance and direction, and the country and province the place lies in.",
    )
    b.add_argument("place", metavar="PLACE", help="place name or 'lat,lon'")
    b.add_argument("--with", dest="other", metavar="COUNTRY", help="only the border with this country")
    b.add_argument("--format", **fmt)
    b.set_defaults(func=cmd_border)
    _accept_negative_coordinates(b)

    bl = sub.add_parser(
        "border-length",
        help="geodesic length of the land border between two countries",
        description="Length of the land border shared by two countries (ISO2, ISO3, names or adjectives), "
        "measured along the Natural Earth 1:10m line on the WGS84 ellipsoid.",
    )
    bl.add_argument("a", metavar="COUNTRY_A")
    bl.add_argument("b", metavar="COUNTRY_B")
    bl.add_argument("--format", **fmt)
    bl.add_argument("--geojson", metavar="FILE", help="also write the border line as GeoJSON to FILE")
    bl.set_defaults(func=cmd_border_length)

    c = sub.add_parser(
        "claims",
        help="check the distances and lengths an article states",
        description="Find distance and length statements in an article (.txt, .html, .pdf or - for stdin), "
        "link each to the places or border it measures, and compare with the straight-line geodesic figure.",
    )
    c.add_argument("file", metavar="FILE", help="article file, or - to read standard input")
    c.add_argument("--format", **fmt)
    c.set_defaults(func=cmd_claims)


# ------------------------------------------------------------------------------------ helpers


def resolve_place(text: str) -> Place:
    """A place from a name (through the gazetteer) or from ``"lat,lon"``."""
    m = _COORDS.match(text or "")
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UserError(f"coordinates out of range: {text!r} (expected 'lat,lon')")
        return Place(id=f"coord:{lat},{lon}", name=f"{lat:.5f}, {lon:.5f}", kind="landmark", lat=lat, lon=lon)
    if not (text or "").strip():
        raise UserError("empty place name")
    from conflict_map.gazetteer.index import MAX_PLACE_NAME_CHARS

    if len(text) > MAX_PLACE_NAME_CHARS:
        raise UserError(f"place name is too long ({len(text):,} characters; at most {MAX_PLACE_NAME_CHARS})")
    from conflict_map.gazetteer.index import get_gazetteer

    return get_gazetteer().resolve_name(text)


def _place_dict(p: Place, query: str) -> dict[str, Any]:
    d = p.to_dict()
    d["query"] = query
    return d


def _place_line(p: Place, query: str) -> str:
    where = ", ".join(x for x in (p.province, p.country) if x)
    q = f" (for '{query}')" if query.strip().casefold() != p.name.casefold() else ""
    return f"{p.name}{q}: {p.kind}{', ' + where if where else ''}, {p.lat:.5f}, {p.lon:.5f}"


def _emit(args: argparse.Namespace, data: dict[str, Any], lines: list[str]) -> None:
    """Print ``data`` as JSON (``--format json``) or ``lines`` as text (``--format table``)."""
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")


def _read_document(name: str) -> str:
    from conflict_map.ingest.readers import read_path, read_stdin

    doc = read_stdin() if name == "-" else read_path(name)
    for w in doc.warnings:
        print(f"conflict-map: warning: {w}", file=sys.stderr)
    return doc.text


# ----------------------------------------------------------------------------------- commands


def cmd_distance(args: argparse.Namespace) -> int:
    from conflict_map.geo.geodesy import distance

    a, b = resolve_place(args.a), resolve_place(args.b)
    d = distance(a.lat, a.lon, b.lat, b.lon)
    data = {
        "from": _place_dict(a, args.a),
        "to": _place_dict(b, args.b),
        **d.to_dict(),
        "method": "geodesic, WGS84",
    }
    lines = [
        "from " + _place_line(a, args.a),
        "to   " + _place_line(b, args.b),
        f"distance {d.km:.1f} km = {d.miles:.1f} miles = {d.nmi:.1f} nautical miles (straight line, WGS84 geodesic)",
        f"bearing  {d.azimuth:.1f}° ({d.compass}) from {a.name} to {b.name}",
    ]
    _emit(args, data, lines)
    return 0


def cmd_border(args: argparse.Namespace) -> int:
    from conflict_map.geo.borders import country_at, nearest_border, province_at
    from conflict_map.geo.boundaries import provinces_available

    p = resolve_place(args.place)
    home = country_at(p.lat, p.lon)
    prov = province_at(p.lat, p.lon) if provinces_available() else None
    if args.other:
        if home is None:
            raise UserError(f"{p.name} lies in no country polygon (at sea?), so --with cannot apply")
        nb = nearest_border(p.lat, p.lon, country=home.iso2, other=args.other)
    else:
        nb = nearest_border(p.lat, p.lon)
    data = {
        "place": _place_dict(p, args.place),
        "country": home.to_dict() if home else None,
        "province": prov.to_dict() if prov else None,
        "nearest_border": nb.to_dict(),
    }
    inside = home.name if home else "no country (at sea)"
    if prov:
        inside += f", {prov.name}"
    lines = [
        _place_line(p, args.place),
        f"lies in {inside}",
        f"nearest international border: {nb.label}, {nb.distance_km:.1f} km "
        f"({nb.distance_km / 1.609344:.1f} miles) to the {nb.to_dict()['compass']}",
        f"nearest border point: {nb.lat:.5f}, {nb.lon:.5f} (geodesic; Natural Earth 1:10m boundaries)",
    ]
    _emit(args, data, lines)
    return 0


def cmd_border_length(args: argparse.Namespace) -> int:
    from conflict_map.geo.borders import shared_border

    b = shared_border(args.a, args.b)
    data = b.to_dict()
    if args.geojson:
        feature = {
            "type": "Feature",
            "properties": b.to_dict(),
            "geometry": b.to_dict(geometry=True)["geometry"],
        }
        from conflict_map.cli.output import write_output

        write_output(args.geojson, json.dumps({"type": "FeatureCollection", "features": [feature]}))
    pieces = data["pieces"]
    lines = [
        f"{b.label} border: {b.length_km:.1f} km ({b.length_km / 1.609344:.1f} miles)",
        f"geodesic length on WGS84 along the Natural Earth 1:10m line ({b.n_vertices} vertices, {pieces} piece(s))",
    ]
    _emit(args, data, lines)
    return 0


def _claims_table(claims: list[Any]) -> str:
    if not claims:
        return "no distance or length statements found"
    out = []
    for i, c in enumerate(claims, 1):
        measured = f"{c.measured_km:.1f} km" if c.measured_km is not None else "-"
        diff = f"{c.diff_km:+.1f} km ({c.diff_pct:+.1f}%)" if c.diff_km is not None and c.diff_pct is not None else "-"
        out.append(f'[{i}] {c.start}-{c.end} "{c.text}"  ->  {c.verdict.upper()}')
        out.append(f"    kind: {c.kind}; links: {c.subject or '-'} (link {c.link})")
        out.append(f"    claimed {c.value_km:.1f} km; measured {measured}; difference {diff}")
        out.append(f"    {c.explanation}")
        for n in c.notes:
            out.append(f"    note: {n}")
        for cand in c.candidates:
            label = cand.get("border") or " – ".join(cand.get("places", []))
            out.append(f"    candidate: {label} ({cand.get('measured_km')} km)")
    counts: dict[str, int] = {}
    for c in claims:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    out.append("")
    out.append(f"{len(claims)} statement(s): " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())))
    return "\n".join(out)


def _geoparse(text: str) -> Any:
    """The project's geoparser (a seam for tests)."""
    from conflict_map.geoparse.pipeline import geoparse

    return geoparse(text)


def cmd_claims(args: argparse.Namespace) -> int:
    from conflict_map.claims.check import check_claims

    text = _read_document(args.file)
    claims = check_claims(_geoparse(text))
    _emit(args, {"claims": [c.to_dict() for c in claims]}, [_claims_table(claims)])
    return 0
