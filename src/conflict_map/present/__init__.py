"""The classroom: map stories, printable hand-outs and the teacher's layout kept with an article."""
