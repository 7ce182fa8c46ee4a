"""Tests of judging a plan (crisisplan.check)."""
