from django import template

from assessments.charts import score_text

register = template.Library()


@register.filter
def score(value) -> str:
    """A stored score for people to read: `{{ dimension.scaled_score|score }}`."""
    return score_text(value)
