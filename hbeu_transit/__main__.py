"""`python -m hbeu_transit` runs the `hbeu` CLI."""

from hbeu_transit.cli.app import main

main()
