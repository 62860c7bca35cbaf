"""Text as data: tokens, sentences, page boilerplate and name folding, with offsets into the text as given."""
