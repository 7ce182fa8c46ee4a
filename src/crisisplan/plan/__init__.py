"""Reading a plan: its files, YAML with a line and column for every node, discovery,
the schema and its messages, the values it holds, the model, per-language text, and
the public edition as a transform of the model.

The first stage: it imports only from itself and the leaves (errors, diagnostics,
suggest, markup, files, writing).
"""
