"""Tests of what readers see (crisisplan.render)."""
