"""The helpers in tests/factories.py that other tests' verdicts rest on."""

from tests.factories import mentions


def test_mentions_finds_words_as_written_or_as_html_escapes_them():
    assert mentions("Dear Siobhan O'Brien,", "Siobhan O'Brien")
    assert mentions("<td>Siobhan O&#x27;Brien</td>", "Siobhan O'Brien")
    assert not mentions("<td>Siobhan Obrien</td>", "Siobhan O'Brien")
