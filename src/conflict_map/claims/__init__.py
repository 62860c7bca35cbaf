"""Distance and length statements in an article, linked to its places and checked against measurements."""
