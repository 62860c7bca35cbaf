"""The geoparser: text -> Doc -> recognised mentions -> resolved places."""
