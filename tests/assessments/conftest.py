import pytest

from assessments.models import Instrument
from tests.factories import UserFactory

from .factories import AGREEMENT, build_instrument, dimension, small_instrument


@pytest.fixture
def instrument(db):
    """An individual instrument, published: see `small_instrument`."""
    return small_instrument()


@pytest.fixture
def team_instrument(db):
    """A team instrument with one dimension of four agreement questions (mean, 1 to 5)."""
    return build_instrument(
        slug="team-safety",
        title="Team safety",
        kind=Instrument.Kind.TEAM,
        scale=AGREEMENT,
        dimensions=[
            dimension(
                "Safety",
                bands=[(4, 5, "High"), (3, "3.99", "Moderate"), (1, "2.99", "Low")],
            )
        ],
        sections=[
            (
                "Your team",
                [
                    ("It is safe to take a risk here.", "Safety"),
                    ("People here are blamed for mistakes.", "Safety", True),
                    ("I can ask anyone here for help.", "Safety"),
                    ("Different views get a hearing.", "Safety"),
                ],
            )
        ],
    )


@pytest.fixture
def other_learner(db, organisation):
    return UserFactory(organisation=organisation)
