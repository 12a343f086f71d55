"""A repository as modelw-lint sees it: its files listed safely, read and parsed on demand, and the facts rules share."""
