"""The sources of the gazetteer index, one module each: GeoNames places (:mod:`.geonames`), divisions
(:mod:`.divisions`), countries (:mod:`.countries`), airfields (:mod:`.airports`), the curated supplement
shipped as package data (:mod:`.curated`) and the word lists (:mod:`.lexicons`)."""
