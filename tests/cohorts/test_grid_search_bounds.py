"""A search of the learner grid too long to be real is refused, never a server error."""


def test_a_cohort_search_of_100_kb_is_refused_not_a_server_error(client, lead, cohort):
    """SQLite refused the search as "LIKE or GLOB pattern too complex"."""
    client.force_login(lead)

    response = client.get(f"/admin/cohorts/{cohort.pk}/learners/", {"q": "x" * 100_000})

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
