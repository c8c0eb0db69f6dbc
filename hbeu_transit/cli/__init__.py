"""The `hbeu` command line: parse options, call the library, print with rich. No logic here."""
