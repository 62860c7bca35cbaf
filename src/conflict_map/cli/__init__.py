"""The ``conflict-map`` command line."""
