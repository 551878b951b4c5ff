"""Read an instrument's StreamFields into what scoring and the pages need.

`Questionnaire` is the whole instrument as plain data: the scoring `Definition` plus the
words around it (question text, sections, dimension and combined score descriptions, band
feedback). A revision saved before combined scores existed has none, and scores as before. It is
built from a live instrument or from any of its revisions, and a revision never changes,
so questionnaires of revisions are cached by revision id.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import scoring


@dataclass(frozen=True)
class BandText:
    label: str
    feedback: SafeString
    suggested_module_id: int | None


@dataclass(frozen=True)
class DimensionText:
    key: str
    name: str
    cluster: str
    description: str
    bands: tuple[BandText, ...]
    # For a combined score: the names of the dimensions it combines, and how.
    parts: tuple[str, ...] = ()
    rule: str = ""

    @property
    def is_composite(self) -> bool:
        return bool(self.parts)

    @property
    def combines(self) -> str:
        """What a combined score combines, in words ("" for a dimension)."""
        if not self.parts:
            return ""
        names = list(self.parts)
        listed = (
            names[0]
            if len(names) == 1
            else _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
        )
        if self.rule == scoring.MEAN:
            return _("The mean of the scores for %(names)s.") % {"names": listed}
        return _("The sum of the scores for %(names)s.") % {"names": listed}


@dataclass(frozen=True)
class Question:
    key: str
    number: int
    text: str
    dimension_key: str


@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    definition: scoring.Definition
    dimensions: tuple[DimensionText, ...]
    sections: tuple[Section, ...]
    # Names that questions gave for a dimension this instrument lacks, with question numbers.
    unknown_dimensions: tuple[tuple[int, str], ...] = ()
    composites: tuple[DimensionText, ...] = ()
    # Names that combined scores gave for a dimension this instrument lacks: (composite, name).
    unknown_parts: tuple[tuple[str, str], ...] = ()

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for section in self.sections for question in section.questions)

    def dimension(self, key: str) -> DimensionText | None:
        """The words for a dimension or a combined score, by key."""
        return next((text for text in self.dimensions + self.composites if text.key == key), None)

    def section_of(self, item_key: str) -> int | None:
        for section in self.sections:
            if any(question.key == item_key for question in section.questions):
                return section.number
        return None


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _key(block, kind: str, index: int) -> str:
    """A block's stable id; blocks not yet saved have none, so number them for checking."""
    return str(block.id) if block.id else f"unsaved-{kind}-{index}"


def _page_id(value) -> int | None:
    if value is None:
        return None
    return value if isinstance(value, int) else value.pk


def _bands(value) -> list:
    return [band for band in value.get("bands") or () if None not in (band["lower"], band["upper"])]


def _band_texts(bands) -> tuple[BandText, ...]:
    return tuple(
        BandText(
            label=band["label"],
            # RichText renders to HTML that Wagtail has already sanitised.
            feedback=mark_safe(str(band.get("feedback") or "")),  # noqa: S308
            suggested_module_id=_page_id(band.get("suggested_module")),
        )
        for band in bands
    )


def _scoring_bands(bands) -> tuple[scoring.Band, ...]:
    return tuple(
        scoring.Band(lower=band["lower"], upper=band["upper"], label=band["label"])
        for band in bands
    )


def _composites(instrument, by_name: dict[str, str]):
    """Combined scores as scoring and the pages need them, and the names of parts that
    are not dimensions. A part naming another combined score gets that one's key, so that
    scoring can say a combined score combines dimensions only."""
    blocks = list(getattr(instrument, "composites", None) or ())
    keys = {
        _name_key(block.value["name"]): _key(block, "composite", index)
        for index, block in enumerate(blocks)
    }
    composites, texts, unknown = [], [], []
    for index, block in enumerate(blocks):
        value = block.value
        key = _key(block, "composite", index)
        parts = []
        for name in value.get("dimensions") or ():
            part = by_name.get(_name_key(name)) or keys.get(_name_key(name))
            if part is None:
                unknown.append((value["name"], name))
                part = ""
            parts.append(part)
        bands = _bands(value)
        rule = value.get("rule") or scoring.SUM
        composites.append(
            scoring.Composite(
                key=key,
                name=value["name"],
                parts=tuple(parts),
                rule=rule,
                bands=_scoring_bands(bands),
            )
        )
        texts.append(
            DimensionText(
                key=key,
                name=value["name"],
                cluster="",
                description=value.get("description") or "",
                bands=_band_texts(bands),
                parts=tuple(" ".join(name.split()) for name in value.get("dimensions") or ()),
                rule=rule,
            )
        )
    return tuple(composites), tuple(texts), tuple(unknown)


def build(instrument) -> Questionnaire:
    """The questionnaire of an instrument object (live, a draft form's, or a revision's)."""
    scale = tuple(
        scoring.ScaleOption(label=block.value["label"], value=block.value["value"])
        for block in instrument.scale
        if block.value["value"] is not None
    )
    dimensions = []
    texts = []
    by_name: dict[str, str] = {}
    for index, block in enumerate(instrument.dimensions):
        value = block.value
        key = _key(block, "dimension", index)
        by_name.setdefault(_name_key(value["name"]), key)
        low, high = value.get("scaled_min"), value.get("scaled_max")
        bands = _bands(value)
        dimensions.append(
            scoring.Dimension(
                key=key,
                name=value["name"],
                rule=value.get("rule") or scoring.MEAN,
                scaled_range=(low, high) if low is not None and high is not None else None,
                bands=_scoring_bands(bands),
            )
        )
        texts.append(
            DimensionText(
                key=key,
                name=value["name"],
                cluster=value.get("cluster") or "",
                description=value.get("description") or "",
                bands=_band_texts(bands),
            )
        )
    composites, composite_texts, unknown_parts = _composites(instrument, by_name)
    items: list[scoring.Item] = []
    sections: list[Section] = []
    unknown = []
    pending: list[Question] = []
    heading, intro = "", ""

    def close_section():
        if pending:
            sections.append(
                Section(
                    number=len(sections) + 1,
                    heading=heading,
                    intro=intro,
                    questions=tuple(pending),
                )
            )

    for index, block in enumerate(instrument.items):
        if block.block_type == "section":
            close_section()
            pending = []
            heading, intro = block.value["heading"], block.value.get("intro") or ""
            continue
        value = block.value
        name = value.get("dimension") or ""
        dimension_key = by_name.get(_name_key(name), "")
        number = len(items) + 1
        if name.strip() and not dimension_key:
            unknown.append((number, name))
        key = _key(block, "item", index)
        items.append(
            scoring.Item(key=key, dimension_key=dimension_key, reverse=bool(value.get("reverse")))
        )
        pending.append(
            Question(key=key, number=number, text=value["text"], dimension_key=dimension_key)
        )
    close_section()
    return Questionnaire(
        definition=scoring.Definition(
            scale=scale, dimensions=tuple(dimensions), items=tuple(items), composites=composites
        ),
        dimensions=tuple(texts),
        sections=tuple(sections),
        unknown_dimensions=tuple(unknown),
        composites=composite_texts,
        unknown_parts=unknown_parts,
    )


def for_live(instrument) -> Questionnaire:
    """The questionnaire learners answer now: its live revision's, from the cache.

    Publishing copies a revision's content into the instrument, so this is what `build`
    would make of the live instrument, without reading its StreamFields again on every
    request: only `live_revision_id` is read, and the revision itself (one query) only
    the first time in a process. An instrument never published has no live revision and
    is built as it stands.
    """
    if instrument.live_revision_id is None:
        return build(instrument)
    return for_revision_id(instrument.live_revision_id, type(instrument))


def for_revision_id(revision_id: int, model) -> Questionnaire:
    """`for_revision` by the revision's id: no query once cached, one before."""
    questionnaire = _revision_cache.get(revision_id)
    if questionnaire is None:
        from wagtail.models import Revision

        questionnaire = for_revision(Revision.objects.get(pk=revision_id), model)
    return questionnaire


def for_revision(revision, model) -> Questionnaire:
    """The questionnaire as it was in `revision` of an instrument of class `model`.

    Built from the revision's stored content without touching the database. A revision
    never changes, so the result is cached by revision id and creation time.
    """
    questionnaire = _revision_cache.get(revision.pk)
    if questionnaire is None:
        instrument = model.from_serializable_data(revision.content, check_fks=False)
        questionnaire = build(instrument)
        if len(_revision_cache) >= _REVISION_CACHE_SIZE:
            _revision_cache.pop(next(iter(_revision_cache)))
        _revision_cache[revision.pk] = questionnaire
    return questionnaire


def forget_revision(revision_id: int) -> None:
    """Drop any questionnaire cached for a revision with this id.

    Called whenever a revision row is saved. A stored revision never changes, but an id can
    come back after a rolled-back transaction (SQLite reuses it, as in tests), and then
    its content is new.
    """
    _revision_cache.pop(revision_id, None)


_REVISION_CACHE_SIZE = 256
_revision_cache: dict[int, Questionnaire] = {}
