"""What readers see: views derived from the model (who to call, the timeline,
statement lengths), the labels in each language, and the templates.

Imports only from itself, ``crisisplan.check``, ``crisisplan.plan`` and the leaves.
"""
