"""Grouping of similar user questions for the curator's gaps report."""

from __future__ import annotations

from knowledge import group_similar


def test_groups_variants_together_biggest_first() -> None:
    texts = [
        "receta de mole",
        "fondos para agua en oaxaca",
        "Fondos pa agua en Oaxaca?",
        "FONDOS PARA AGUA EN OAXACA",
        "que es la cluni",
        "Qué es la CLUNI?",
    ]
    assert group_similar(texts) == [[1, 2, 3], [4, 5], [0]]


def test_typos_and_synonyms_group() -> None:
    groups = group_similar(["apoyo para asociaciones civiles", "apoyos para ONGs", "clima"])
    assert groups == [[0, 1], [2]]


def test_threshold_and_empty() -> None:
    assert group_similar([]) == []
    assert group_similar(["uno", "dos"], threshold=1.0) == [[0], [1]]
    assert len(group_similar(["fondos de japon", "fondos de canada"], threshold=0.3)) == 1
