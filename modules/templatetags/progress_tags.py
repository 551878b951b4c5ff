"""The signed-in learner's own progress, for the module and programme page templates.

The page models' `get_context` lists the live lessons and modules; these tags add the
learner's progress to them through the selectors, in a fixed number of queries.
"""

from django import template

from ..selectors import module_progress_for_learner, programme_progress_for_learner

register = template.Library()


@register.simple_tag(takes_context=True)
def module_progress(context, module, lessons):
    """The learner's progress through `lessons`, or None for anonymous visitors."""
    return module_progress_for_learner(
        learner=context["request"].user, module=module, lessons=lessons
    )


@register.simple_tag(takes_context=True)
def programme_progress(context, modules):
    """Each module with the learner's enrolment (None when anonymous or not started)."""
    return programme_progress_for_learner(learner=context["request"].user, modules=modules)
