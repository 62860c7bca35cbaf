"""The corpus: articles, their parses and readers' corrections, behind one store interface."""
