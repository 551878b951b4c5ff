"""Random codes (core/codes.py): join codes for teams and cohorts, certificate codes."""

import re

import pytest

from core.codes import (
    JOIN_CODE_ALPHABET,
    new_join_code,
    normalise_join_code,
    random_code,
)


def test_a_code_has_the_length_asked_for_and_only_the_alphabet_s_characters():
    codes = [random_code(12, "AB7") for _ in range(200)]

    assert all(re.fullmatch(r"[AB7]{12}", code) for code in codes)
    # Every character turns up: the alphabet is really drawn from.
    assert set("".join(codes)) == {"A", "B", "7"}


def test_join_codes_keep_the_alphabet_stored_codes_were_drawn_from():
    # Changing it would make codes already handed out look wrong to the form.
    assert JOIN_CODE_ALPHABET == "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = {new_join_code(10) for _ in range(1000)}

    assert len(codes) == 1000
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", code) for code in codes)
    assert not set("".join(codes)) & set("01IO")


@pytest.mark.parametrize(
    ("length", "alphabet"),
    [(0, "AB"), (-1, "AB"), (8, ""), (8, "A"), (8, "AAB")],
)
def test_a_code_that_could_not_be_uniform_is_refused(length, alphabet):
    with pytest.raises(ValueError):
        random_code(length, alphabet)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("k7mp 3qxr", "K7MP3QXR"),
        ("K7MP-3QXR", "K7MP3QXR"),
        ("  k7mp\t3qxr\n", "K7MP3QXR"),
        ("---", ""),
        ("", ""),
    ],
)
def test_a_typed_join_code_is_read_as_stored(typed, stored):
    assert normalise_join_code(typed) == stored
