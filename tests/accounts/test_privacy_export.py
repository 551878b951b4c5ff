"""The export holds everything the site keeps about a person, and never a secret."""

import json

import pytest

from accounts.privacy import registry

from . import privacy_world as world_module
from .privacy_world import build_world


@pytest.fixture
def world(home_page):
    return build_world(home_page)


@pytest.mark.django_db
def test_the_export_holds_one_of_every_kind_of_record(world):
    data = registry.export(world.learner)
    text = json.dumps(data)  # serialisable, or this fails

    account = data["account"]
    assert account["profile"]["email"] == world_module.EMAIL
    assert account["profile"]["first_name"] == world_module.FIRST_NAME
    assert account["profile"]["job_role"] == "Quill ward sister"
    assert account["profile"]["organisation"]["name"] == world.learner.organisation.name
    assert {
        (address["email"], address["verified"], address["primary"])
        for address in account["email_addresses"]
    } == {(world_module.EMAIL, True, True), (world_module.OTHER_EMAIL, False, False)}
    assert account["sessions"][0]["browser"] == "QuillBrowser/1.0"
    assert {entry["type"] for entry in account["two_step_sign_in"]} == {
        "TOTP Authenticator",
        "Recovery codes",
    }
    [download] = account["data_downloads"]
    assert (download["asked_for_by"], download["reason"]) == ("a site admin", "Asked for by letter")
    audit = account["audit_entries"]
    assert sum(entry["about_you"] for entry in audit) == 2
    assert sum(entry["by_you"] for entry in audit) == 1

    learning = data["learning"]
    assert learning["enrolments"][0]["seconds_on_lessons"] == 1234
    assert learning["lesson_completions"][0]["lesson"] == "Listening first"
    journal = {entry["kind"]: entry for entry in learning["journal"]}
    assert journal["Reflection"]["text"] == world_module.REFLECTION
    assert journal["Action commitment"]["text"] == world_module.COMMITMENT
    assert journal["Learning cycle"]["plan"] == world_module.CYCLE_PLAN
    assert learning["checklists"][0]["ticked_items"] == ["item-quill"]
    assert learning["knowledge_check_attempts"][0]["selected_options"] == ["option-quill"]
    assert learning["certificates"][0]["code"] == "ABCDE-FGHJK-MNPQR-S2345"

    assessments = data["self_assessments"]
    statuses = [response["status"] for response in assessments["responses"]]
    assert statuses.count("Submitted") == 3 and statuses.count("In progress") == 1
    shared = [
        response for response in assessments["responses"] if response["shared_with_cohort_leads"]
    ]
    assert len(shared) == 1 and shared[0]["scores"] and shared[0]["answers"]
    assert {team["team"] for team in assessments["team_memberships"]} == {
        "Ward 7",
        world_module.TEAM_NAME,
    }
    assert assessments["teams_created"][0]["name"] == world_module.TEAM_NAME

    cohorts = data["cohorts"]
    assert cohorts["memberships"][0]["cohort"] == "Northfield cohort"
    assert cohorts["invitations_to_you"][0]["sent_to"] == world_module.OTHER_EMAIL

    for secret in (
        world_module.TOTP_SECRET,
        world_module.RECOVERY_SEED,
        world.session_key,
        world.learner.password,
        "quill-invitation-token",
    ):
        assert secret not in text


@pytest.mark.django_db
def test_a_lead_export_names_their_cohorts_and_their_own_audit_entries(world):
    data = registry.export(world.lead)

    assert data["cohorts"]["cohorts_led"][0]["cohort"] == "Northfield cohort"
    assert data["cohorts"]["invitations_you_sent"][0]["cohort"] == "Northfield cohort"
    assert world_module.OTHER_EMAIL not in json.dumps(data)  # someone else's address
    assert any(entry["action"] == "cohorts.view" for entry in data["account"]["audit_entries"])


@pytest.mark.django_db
def test_the_files_are_the_journal_and_the_pdfs(world):
    files = {file.path: file.content for file in registry.files(world.learner)}

    assert world_module.REFLECTION.encode() in files["journal.md"]
    certificates = [path for path in files if path.startswith("certificates/")]
    results = [path for path in files if path.startswith("self-assessments/")]
    assert len(certificates) == 1 and files[certificates[0]].startswith(b"%PDF")
    assert len(results) == 3 and len(set(results)) == 3
    assert all(files[path].startswith(b"%PDF") for path in results)
