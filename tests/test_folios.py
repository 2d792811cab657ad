"""Folios are random, readable, and survive being typed back by hand or through a deep link."""

from __future__ import annotations

import re

import pytest

from bot.folios import (
    ALPHABET,
    FOLIO_PATTERN,
    deep_link_payload,
    folio_from_payload,
    new_folio,
    normalize_folio,
    verify_url,
)


def test_new_folio_shape_and_alphabet() -> None:
    folio = new_folio()
    assert FOLIO_PATTERN.match(folio)
    assert re.fullmatch(r"CPA-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", folio)
    assert not set(folio.replace("CPA-", "").replace("-", "")) & set("0O1IL")
    assert not set("0O1IL") & set(ALPHABET)


def test_new_folios_are_not_sequential_or_repeated() -> None:
    folios = [new_folio() for _ in range(2000)]
    assert len(set(folios)) == len(folios)
    # Every position takes many values: nothing is a counter or a fixed part.
    bodies = [folio.replace("-", "")[3:] for folio in folios]
    for position in range(12):
        assert len({body[position] for body in bodies}) > 20


def test_deep_link_payload_fits_telegram_start_parameter() -> None:
    payload = deep_link_payload(new_folio())
    assert len(payload) <= 64
    assert re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    assert payload.startswith("verificar_")


@pytest.mark.parametrize(
    "typed",
    [
        "CPA-7K3M-Q9XW-H2TD",
        "cpa-7k3m-q9xw-h2td",
        " CPA 7K3M Q9XW H2TD ",
        "CPA7K3MQ9XWH2TD",
        "cpa–7k3m–q9xw–h2td",  # en dashes from a word processor
        "verificar_CPA-7K3M-Q9XW-H2TD",
    ],
)
def test_normalize_accepts_folio_as_people_type_it(typed: str) -> None:
    assert normalize_folio(typed) == "CPA-7K3M-Q9XW-H2TD"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "CPA-7K3M-Q9XW",  # too short
        "CPA-7K3M-Q9XW-H2TDX",  # too long
        "CPA-0K3M-Q9XW-H2TD",  # 0 is never issued
        "CPA-7K3M-Q9XW-H2TL",  # nor L
        "ABC-7K3M-Q9XW-H2TD",  # other prefix
        "CPA-7K3M-Q9XW-H2T?",
        "EJEMPLO-0000",
    ],
)
def test_normalize_rejects_malformed(typed: str) -> None:
    assert normalize_folio(typed) is None


def test_payload_round_trip_and_link() -> None:
    folio = new_folio()
    assert folio_from_payload(deep_link_payload(folio)) == folio
    assert folio_from_payload(folio) is None
    assert folio_from_payload("verificar_nada") is None
    assert verify_url("@CooperaBot", folio) == f"https://t.me/CooperaBot?start=verificar_{folio}"
