"""Label keys must not shadow dict methods: Jinja's w.copy would find dict.copy."""

from __future__ import annotations

from crisisplan.labels import LABELS


def test_label_keys_are_not_dict_attributes() -> None:
    for words in LABELS.values():
        assert not [key for key in words if hasattr(dict, key)]


def test_every_translation_has_every_key() -> None:
    english = set(LABELS["en"])
    for language, words in LABELS.items():
        assert set(words) == english, language
