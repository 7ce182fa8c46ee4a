"""Tests of the command line (crisisplan.cli)."""
