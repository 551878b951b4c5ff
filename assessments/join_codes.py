"""Join codes: short, unambiguous codes that people type or follow as links to join a
team (and, through the cohorts app, a cohort)."""

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to confuse


def new_join_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_join_code(text: str) -> str:
    """The code as stored: upper case, without the spaces and dashes people type."""
    return "".join(character for character in text.upper() if character.isalnum())
