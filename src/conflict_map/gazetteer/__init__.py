"""The offline gazetteer: a compact index of places built from registry packages and curated data."""
