"""``python -m polyleaf`` runs the command line."""

from polyleaf.cli import main

main()
