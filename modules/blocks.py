"""The StreamField block library for lessons.

Content blocks reuse the NHS.UK components from `wagtail-nhsuk-frontend` where one fits.
Interactive blocks (reflection prompt, action commitment, checklist, knowledge check,
learning cycle) are answered by learners; answers are stored against the block's
StreamField id, which Wagtail keeps when the rest of the page is edited, so what a learner
saved survives edits elsewhere on the page.
"""

from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtailnhsukfrontend.blocks import (
    DetailsBlock,
    DoBlock,
    DontBlock,
    InsetTextBlock,
    WarningCalloutBlock,
)

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading (h2)")), ("h3", _("Sub-heading (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "modules/blocks/heading.html"


class AccessibleImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        required=False,
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        label=_("This image is decorative"),
        required=False,
        help_text=_("Tick only if the image adds nothing to the text around it."),
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "modules/blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if not value["decorative"] and not value["alt_text"].strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList(
                        [_("Give a text alternative, or tick 'This image is decorative'.")]
                    )
                }
            )
        if value["decorative"] and value["alt_text"].strip():
            raise StructBlockValidationError(
                block_errors={
                    "decorative": ErrorList(
                        [_("A decorative image has no text alternative: clear one of them.")]
                    )
                }
            )
        return value


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    video = EmbedBlock(help_text=_("A link to the video, for example on YouTube or Vimeo."))
    transcript = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        help_text=_("Everything said and shown in the video, for people who cannot watch it."),
    )

    class Meta:
        icon = "media"
        template = "modules/blocks/video.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "modules/blocks/quote.html"


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "modules/blocks/resource.html"


# Interactive blocks -----------------------------------------------------------------


class ReflectionPromptBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(help_text=_("The question the learner reflects on."))
    hint = blocks.TextBlock(required=False)

    class Meta:
        icon = "edit"
        label = _("Reflection prompt")
        template = "modules/blocks/reflection.html"


class ActionCommitmentBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(
        default="What will you do differently, and by when?",
        help_text=_("Invites the learner to commit to an action and a date."),
    )
    hint = blocks.TextBlock(required=False)

    class Meta:
        icon = "date"
        label = _("Action commitment")
        template = "modules/blocks/action_commitment.html"


class ChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=200)
    introduction = blocks.TextBlock(required=False)
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "modules/blocks/checklist.html"


class KnowledgeCheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    is_correct = blocks.BooleanBlock(label=_("This is a right answer"), required=False)
    feedback = blocks.TextBlock(
        required=False, help_text=_("Shown after the learner answers with this option.")
    )


class KnowledgeCheckBlock(blocks.StructBlock):
    question = blocks.TextBlock()
    options = blocks.ListBlock(KnowledgeCheckOptionBlock(), min_num=2)

    class Meta:
        icon = "help"
        label = _("Knowledge check")
        template = "modules/blocks/knowledge_check.html"

    def clean(self, value):
        value = super().clean(value)
        if not any(option["is_correct"] for option in value["options"]):
            raise StructBlockValidationError(
                non_block_errors=ErrorList([_("Mark at least one option as a right answer.")])
            )
        return value


class LearningCycleBlock(blocks.StructBlock):
    introduction = blocks.TextBlock(required=False)
    plan_prompt = blocks.TextBlock(default="Plan: what will you try, with whom, and why?")
    act_prompt = blocks.TextBlock(default="Act: what did you actually do?")
    observe_prompt = blocks.TextBlock(default="Observe: what happened, and what did you notice?")
    reflect_prompt = blocks.TextBlock(
        default="Reflect: what have you learned, and what will you try next?"
    )

    class Meta:
        icon = "repeat"
        label = _("Learning cycle (Plan, Act, Observe, Reflect)")
        template = "modules/blocks/learning_cycle.html"


class SelfAssessmentBlock(blocks.StructBlock):
    """A link from a lesson to a self-assessment, with a line on why to take it now."""

    instrument = SnippetChooserBlock("assessments.Instrument", label=_("Self-assessment"))
    introduction = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text=_("Optional: why taking it at this point in the lesson helps."),
    )

    class Meta:
        icon = "tasks"
        label = _("Self-assessment")
        template = "modules/blocks/self_assessment.html"


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    heading = HeadingBlock()
    image = AccessibleImageBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    inset_text = InsetTextBlock()
    callout = WarningCalloutBlock(label=_("Callout"))
    details = DetailsBlock(label=_("Expander"))
    do_list = DoBlock(label=_("Do list"))
    dont_list = DontBlock(label=_("Don't list"))
    resource = ResourceBlock(label=_("Downloadable resource"))
    reflection = ReflectionPromptBlock()
    action_commitment = ActionCommitmentBlock()
    checklist = ChecklistBlock()
    knowledge_check = KnowledgeCheckBlock()
    learning_cycle = LearningCycleBlock()
    self_assessment = SelfAssessmentBlock()
