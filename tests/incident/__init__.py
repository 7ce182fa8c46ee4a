"""Tests of the incident tools (crisisplan.incident)."""
