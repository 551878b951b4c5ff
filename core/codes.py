"""Random codes that people type or follow as links: the join codes of teams and cohorts,
and certificate codes. Each is drawn by Django's `get_random_string` (the `secrets`
module underneath) from an alphabet its caller chooses."""

from django.utils.crypto import get_random_string

# Capitals and digits without 0/O or 1/I, which people confuse when they type a code.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def random_code(length: int, alphabet: str) -> str:
    """`length` characters, each drawn uniformly and independently from `alphabet`.

    An alphabet with a repeated character would draw that character more often than the
    rest, so it is refused, as is a code with no characters.
    """
    if length < 1:
        raise ValueError("A code needs at least one character.")
    if len(alphabet) < 2 or len(set(alphabet)) != len(alphabet):
        raise ValueError("A code's alphabet needs two or more distinct characters.")
    return get_random_string(length, alphabet)


def new_join_code(length: int) -> str:
    return random_code(length, JOIN_CODE_ALPHABET)


def normalise_join_code(text: str) -> str:
    """The code as stored: upper case, without the spaces and dashes people type."""
    return "".join(character for character in text.upper() if character.isalnum())
