"""Tests of reading a plan (crisisplan.plan)."""
