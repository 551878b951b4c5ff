import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import ORGANISATION_NAME_MAX_LENGTH

_WHITESPACE = re.compile(r"\s+")


def normalise_organisation_name(value: str) -> str:
    """Tidy a proposed organisation name and refuse names nobody could recognise.

    Collapses runs of white space and refuses names that are empty, too long or made only
    of punctuation and symbols.
    """
    name = _WHITESPACE.sub(" ", value or "").strip()
    if not name:
        raise ValidationError(_("Enter the name of your organisation."), code="required")
    if len(name) > ORGANISATION_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Organisation name must be %(max)d characters or fewer.")
            % {"max": ORGANISATION_NAME_MAX_LENGTH},
            code="max_length",
        )
    if sum(character.isalnum() for character in name) < 2:
        raise ValidationError(
            _("Organisation name must contain letters or numbers, not only punctuation."),
            code="invalid",
        )
    return name
