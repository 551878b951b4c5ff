"""The shipped instruments: their files parse, define valid instruments, and point at demo
modules that exist. What seeding makes of them is tests/test_demo.py."""

from assessments import scoring
from assessments.demo_content import load_instruments
from assessments.models import Instrument
from modules.demo_content import load_programmes

SHIPPED = {
    "team-dysfunctions-check": ("team", 5, 15),
    "strengths-self-profile": ("individual", 12, 36),
    "compassionate-leadership-and-core-needs": ("individual", 7, 21),
    "team-psychological-safety": ("team", 1, 7),
    "partnership-health-check": ("individual", 6, 24),
}


def test_five_instruments_ship_with_the_structure_the_brief_gives():
    specs = {spec.slug: spec for spec in load_instruments()}
    assert set(specs) == set(SHIPPED)
    for slug, (kind, dimensions, items) in SHIPPED.items():
        questionnaire = Instrument(**specs[slug].fields).questionnaire()
        assert specs[slug].fields["kind"] == kind
        assert len(questionnaire.definition.dimensions) == dimensions, slug
        assert len(questionnaire.questions) == items, slug
        assert scoring.problems(questionnaire.definition) == [], slug
        assert questionnaire.unknown_dimensions == (), slug


def test_only_the_strengths_profile_is_ranked_and_unbanded():
    for spec in load_instruments():
        definition = Instrument(**spec.fields).questionnaire().definition
        ranked = spec.slug == "strengths-self-profile"
        assert spec.fields["show_ranking"] is ranked
        assert all(bool(dimension.bands) is not ranked for dimension in definition.dimensions)


def test_suggested_modules_are_demo_modules():
    module_slugs = {module.slug for programme in load_programmes() for module in programme.modules}
    suggested = {slug for spec in load_instruments() for slug in spec.suggested_modules.values()}
    assert suggested, "some bands should suggest a module"
    assert suggested <= module_slugs


def test_loading_twice_gives_the_same_block_ids():
    first = [spec.fields["items"] for spec in load_instruments()]
    second = [spec.fields["items"] for spec in load_instruments()]
    assert first == second
