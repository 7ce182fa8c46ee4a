"""Reading a plan, in the order data flows through it:

- ``yamlfile``: one YAML file -> data, with a line and column for every node (Locator);
- ``discovery``: which plans the paths a user named stand for; a folder plan's files
  merged into one;
- ``schema``: JSON Schema validation, each error in an author's words;
- ``values``: dates, durations, cadences, phone numbers, placeholders in text;
  ``names``: what languages and platforms are called; ``today``: what day it is;
- ``model``: the plan as typed objects; ``localtext``: per-language text;
  ``windows``: when a way to reach someone applies; ``public``: the public edition.

The first stage: it imports only from itself and the leaves (errors, diagnostics,
suggest, markup, files).
"""
