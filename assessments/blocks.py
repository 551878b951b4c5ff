"""StreamField blocks that define an instrument: its answer scale, dimensions with their
bands, combined scores (such as a total) over dimensions, and questions grouped in sections.

StreamField keeps each block's id when an editor changes its text, so dimension and
question ids are stable keys across revisions: answers and scores refer to them.
"""

from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

FEEDBACK_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class ScaleOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80, help_text=_("What the learner sees, e.g. “Agree”."))
    value = blocks.IntegerBlock(
        min_value=-100, max_value=100, help_text=_("The number this answer scores.")
    )

    class Meta:
        icon = "radio-full"
        label = _("Answer option")


class BandBlock(blocks.StructBlock):
    lower = blocks.DecimalBlock(
        label=_("From"), decimal_places=2, help_text=_("Lowest score in this band (included).")
    )
    upper = blocks.DecimalBlock(
        label=_("To"), decimal_places=2, help_text=_("Highest score in this band (included).")
    )
    label = blocks.CharBlock(max_length=80, help_text=_("E.g. “Could be a problem”."))
    feedback = blocks.RichTextBlock(
        features=FEEDBACK_FEATURES,
        help_text=_("What a score in this band tends to mean and what to try next."),
    )
    suggested_module = blocks.PageChooserBlock(
        page_type="modules.ModulePage",
        required=False,
        help_text=_("Optional: a module to suggest to learners who score in this band."),
    )

    class Meta:
        icon = "table"
        label = _("Band")

    def clean(self, value):
        value = super().clean(value)
        if value["lower"] is not None and value["upper"] is not None:
            if value["lower"] > value["upper"]:
                raise StructBlockValidationError(
                    block_errors={
                        "upper": ErrorList([_("“To” must be at least as high as “From”.")])
                    }
                )
        return value


class DimensionBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=80)
    cluster = blocks.CharBlock(
        max_length=80,
        required=False,
        help_text=_("Optional: a group this dimension belongs to, e.g. “Relational”."),
    )
    description = blocks.TextBlock(required=False, help_text=_("Shown with the results."))
    rule = blocks.ChoiceBlock(
        label=_("Scoring"),
        choices=[("sum", _("Sum of its answers")), ("mean", _("Mean of its answers"))],
        default="mean",
    )
    scaled_min = blocks.DecimalBlock(
        label=_("Rescale from"),
        required=False,
        decimal_places=2,
        help_text=_("Optional: report scores on a range such as 0 to 10 instead."),
    )
    scaled_max = blocks.DecimalBlock(label=_("Rescale to"), required=False, decimal_places=2)
    bands = blocks.ListBlock(
        BandBlock(),
        default=[],
        help_text=_("Optional. If you add bands, every possible score must fall in exactly one."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Dimension")

    def clean(self, value):
        value = super().clean(value)
        if (value["scaled_min"] is None) != (value["scaled_max"] is None):
            missing = "scaled_max" if value["scaled_max"] is None else "scaled_min"
            raise StructBlockValidationError(
                block_errors={missing: ErrorList([_("Give both ends of the range, or neither.")])}
            )
        return value


class CompositeBlock(blocks.StructBlock):
    """A combined score, such as a total, over two or more dimensions, banded like one."""

    name = blocks.CharBlock(max_length=80, help_text=_("E.g. “Overall”. Not a dimension's name."))
    description = blocks.TextBlock(required=False, help_text=_("Shown with the results."))
    rule = blocks.ChoiceBlock(
        label=_("Combine by"),
        choices=[
            ("sum", _("Sum of the dimensions' scores")),
            ("mean", _("Mean of the dimensions' scores")),
        ],
        default="sum",
        help_text=_(
            "Combines the scores the dimensions report, after any rescaling. Sum adds them: "
            "five dimensions scored 3 to 9 make a total from 15 to 45. Mean averages them, "
            "so each dimension counts the same whatever its number of questions. Combined "
            "scores are not rescaled."
        ),
    )
    dimensions = blocks.ListBlock(
        blocks.CharBlock(max_length=80, label=_("Dimension")),
        min_num=2,
        label=_("Dimensions it combines"),
        help_text=_(
            "At least two dimensions' names, exactly as above. Dimensions only: a combined "
            "score cannot include another combined score."
        ),
    )
    bands = blocks.ListBlock(
        BandBlock(),
        default=[],
        help_text=_(
            "Optional. If you add bands, every score the combination can produce must fall "
            "in exactly one."
        ),
    )

    class Meta:
        icon = "plus"
        label = _("Combined score")


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Section (starts a new page)")


class ItemBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Question"), max_length=300)
    dimension = blocks.CharBlock(
        max_length=80, help_text=_("The name of the dimension it scores, exactly as above.")
    )
    reverse = blocks.BooleanBlock(
        label=_("Reverse-keyed"),
        required=False,
        help_text=_("Tick if agreeing with it means a lower score."),
    )

    class Meta:
        icon = "help"
        label = _("Question")
