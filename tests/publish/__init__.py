"""Tests of publishing (crisisplan.publish)."""
