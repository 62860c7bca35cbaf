"""Getting articles in: readers for files, pasted text, JSONL and URLs, and the batch runner."""
