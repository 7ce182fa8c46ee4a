"""Tools for the incident itself: finding the scenario, drills, and the post-crisis
review (from the incident log the runbook's console writes).

Imports only from itself, earlier stages (publish, render, check, plan) and the leaves.
"""
