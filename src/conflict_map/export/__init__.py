"""Exports of places and claims: GeoJSON, CSV, KML, GeoPackage and a standalone HTML map."""
