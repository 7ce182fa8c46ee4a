"""Tests of the incident room (crisisplan.room): a real server, real phones over HTTP."""
