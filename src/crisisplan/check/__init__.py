"""Judging a plan: the pipeline, the registry of semantic checks and their codes,
accepted findings, the project's check settings, the checks themselves, the opt-in
rule packs, and the reporters that print what was found.

Imports only from itself, ``crisisplan.plan`` and the leaves.
"""
