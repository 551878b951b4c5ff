from wagtail import blocks
from wagtailnhsukfrontend.blocks import (
    ActionLinkBlock,
    CardBasicBlock,
    CardClickableBlock,
    CardGroupBlock,
    InsetTextBlock,
    WarningCalloutBlock,
)


class HomeBodyBlock(blocks.StreamBlock):
    """Blocks an editor may use on the home page, from the NHS.UK design system."""

    rich_text = blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    action_link = ActionLinkBlock()
    inset_text = InsetTextBlock()
    warning_callout = WarningCalloutBlock()
    card = CardBasicBlock()
    card_link = CardClickableBlock()
    card_group = CardGroupBlock()
