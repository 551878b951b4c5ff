"""An action commitment's date must be one a person could mean."""

import pytest

from modules.models import JournalEntry
from tests.modules.conftest import block_of


@pytest.mark.django_db
@pytest.mark.parametrize("due_on", ["9999-12-31", "0001-01-01"])
def test_a_far_off_due_date_is_refused_beside_the_field(signed_in, lesson, learner, due_on):
    block = block_of(lesson, "action_commitment")

    response = signed_in.post(
        f"/learn/lessons/{lesson.pk}/answer/{block.id}/",
        {f"{block.id}-text": "Call Sam", f"{block.id}-due_on": due_on},
    )

    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2100." in response.content.decode()
    assert not JournalEntry.objects.filter(learner=learner).exists()
