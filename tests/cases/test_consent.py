"""A record is the person's until they send it: staff see nothing of a private record, sending
shares exactly what was chosen, withdrawing takes it back, and linking needs its own consent.
Driven through the real web pages, as the person and as signed-in staff."""

import io
import json
import re
import secrets
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http.response import HttpResponseBase
from django.test import Client

from dontpay.accounts.models import AuditEvent
from dontpay.bank.models import Submission
from dontpay.cases.models import Case, EvidenceItem, Report
from dontpay.cases.reports import read_record
from dontpay.cases.vault import RecordNotShared, data_key, organisation_keys, vault
from dontpay.domain.custody import DecryptionFailed, unwrap_data_key
from dontpay.intel.models import ReportIndicator

from ..accounts.staff import signed_in
from .factories import screenshot

# Saving a record indexes it once committed, as in production: these tests need real commits.
pytestmark = pytest.mark.django_db(transaction=True)

WALLET = "bc1qygeveepctc2fs4w3w3tpevazqkytarc2388l77"
OWN_WORDS = "I met her on a dating app and she asked me to go on camera"
MY_EMAIL = "frightened.person@example.org"


def start_record(client: Client, under_18: str = "no") -> tuple[Report, str]:
    client.post("/report/", {"under_18": under_18})
    page = client.get("/report/saved/").content.decode()
    reference = re.search(r'data-testid="reference">([^<]+)<', page)[1]  # type: ignore[index]
    passphrase = re.search(r'data-testid="passphrase">([^<]+)<', page)[1]  # type: ignore[index]
    client.post("/report/saved/")
    return Report.objects.get(reference=reference), passphrase


def fill_record(client: Client, names: tuple[str, ...] = ("first.png", "second.png")) -> None:
    client.post("/report/record/who/", {"platform": "instagram", "username": "@lena.x93"})
    client.post(
        "/report/record/payment-details/",
        {"kind": "crypto-wallet", "value": WALLET, "action": "continue"},
    )
    client.post("/report/record/your-account/", {"text": OWN_WORDS, "action": "continue"})
    client.post("/report/record/contact/", {"email": MY_EMAIL, "action": "continue"})
    files = [SimpleUploadedFile(name, screenshot(name)) for name in names]
    if files:
        assert client.post("/report/evidence/", {"files": files})["Location"] == "/report/evidence/"


def everything_staff_can_see(reference: str) -> str:
    """Every staff page and export that lists, counts or finds reports, as one text."""
    caseworker, analyst, admin = signed_in("caseworker"), signed_in("analyst"), signed_in("admin")
    pages = [
        caseworker.get("/staff/"),
        caseworker.get("/staff/?status=withdrawn"),
        caseworker.get(f"/staff/cases/{reference}/"),
        caseworker.get("/staff/statistics/"),
        caseworker.get("/staff/statistics/export.csv"),
        analyst.get("/staff/intel/"),
        admin.get("/staff/audit/?format=csv"),
    ]
    for query in (WALLET, "lena.x93"):  # the search page repeats the query, so check results
        assert analyst.get("/staff/intel/search/", {"q": query}).context["results"] == []
    return "\n".join(_text(page) for page in pages)


def _text(page: HttpResponseBase) -> str:
    body = b"".join(page.streaming_content) if page.streaming else page.content  # type: ignore[attr-defined]
    return body.decode(errors="replace")


def test_staff_see_nothing_of_a_record_that_was_not_sent() -> None:
    person = Client()
    report, _ = start_record(person)
    fill_record(person)
    seen = everything_staff_can_see(report.reference)
    for secret in (report.reference, WALLET, "lena.x93", OWN_WORDS, MY_EMAIL, "first.png"):
        assert secret not in seen, secret
    assert not Case.objects.exists()
    assert not ReportIndicator.objects.exists()
    caseworker = signed_in("caseworker", "caseworker-2")
    item = report.evidence.first()
    assert caseworker.get(f"/staff/cases/{report.reference}/").status_code == 404
    assert caseworker.get(f"/staff/cases/{report.reference}/evidence/{item.pk}/").status_code == 404
    assert caseworker.post(f"/staff/cases/{report.reference}/pack/").status_code == 404


def test_the_database_and_the_master_key_cannot_read_a_record_until_it_is_sent() -> None:
    person = Client()
    report, _ = start_record(person)
    fill_record(person, names=("only.png",))
    stolen = Report.objects.get(pk=report.pk)  # what a copy of the database holds
    master = organisation_keys().encryption_key  # and the organisation's key
    with pytest.raises(RecordNotShared):
        read_record(stolen)
    with pytest.raises(DecryptionFailed):  # the person's wrapping does not open with it
        unwrap_data_key(master, bytes(stolen.owner_wrapped_key)[16:], stolen.reference)
    item = EvidenceItem.objects.get()
    with pytest.raises(DecryptionFailed):
        vault().open(master, item.blob_id)
    with connection.cursor() as cursor:  # and no session row holds the key in clear
        cursor.execute("SELECT session_data FROM django_session")
        assert all(OWN_WORDS not in row[0] for row in cursor.fetchall())

    person.post("/report/send/", {"sections": ["your-account"], "items": [str(item.pk)]})
    sent = Report.objects.get(pk=report.pk)
    assert read_record(sent)["your-account"]["text"] == OWN_WORDS
    assert vault().open(data_key(sent), item.blob_id) == screenshot("only.png")


def test_sending_shares_exactly_the_chosen_sections_and_files() -> None:
    person = Client()
    report, _ = start_record(person)
    fill_record(person)
    first, second = EvidenceItem.objects.order_by("pk")
    form = person.get("/report/send/").content.decode()
    assert "Send to the helpline" in form
    assert all(f'value="{s}" checked' in form for s in ("who", "your-account", "contact"))
    sent = person.post("/report/send/", {"sections": ["who"], "items": [str(first.pk)]})
    assert sent["Location"] == "/report/record/?done=sent"
    assert "Your record has been sent to the helpline" in person.get(sent["Location"]).text

    caseworker = signed_in("caseworker")
    assert report.reference in caseworker.get("/staff/").content.decode()
    page = caseworker.get(f"/staff/cases/{report.reference}/").content.decode()
    assert "lena.x93" in page
    assert "first.png" in page
    for private in (OWN_WORDS, MY_EMAIL, WALLET, "second.png"):
        assert private not in page, private
    evidence = f"/staff/cases/{report.reference}/evidence/"
    assert caseworker.get(f"{evidence}{first.pk}/").content == screenshot("first.png")
    assert caseworker.get(f"{evidence}{second.pk}/").status_code == 404
    pack = caseworker.post(f"/staff/cases/{report.reference}/pack/").content
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        document = json.loads(archive.read("report.json"))
        files = [n for n in archive.namelist() if n.startswith("evidence/")]
    assert document["record"]["who"] == [{"platform": "instagram", "username": "@lena.x93"}]
    assert document["record"]["your-account"] == {}
    assert document["record"]["contact"] == {}
    assert files == ["evidence/01-first.png"]
    assert ("report.sent", report.reference) in AuditEvent.objects.values_list("action", "target")


def test_sending_nothing_is_refused_with_a_clear_error() -> None:
    person = Client()
    start_record(person)
    person.post("/report/record/who/", {"platform": "instagram", "username": "@lena.x93"})
    refused = person.post("/report/send/", {})
    assert refused.status_code == 400
    assert 'href="#sections">Select at least one part' in refused.text
    assert not Case.objects.exists()


def test_withdrawing_closes_the_case_and_takes_its_content_away() -> None:
    person = Client()
    report, _ = start_record(person)
    fill_record(person)
    item = EvidenceItem.objects.order_by("pk").first()
    person.post("/report/send/", {"sections": ["who", "your-account"], "items": [str(item.pk)]})
    caseworker = signed_in("caseworker")
    assert OWN_WORDS in caseworker.get(f"/staff/cases/{report.reference}/").text

    assert "Withdraw my record" in person.get("/report/withdraw/").text
    done = person.post("/report/withdraw/")
    assert "Your record has been withdrawn" in person.get(done["Location"]).text
    case = Case.objects.get(reference=report.reference)
    assert case.status == Case.WITHDRAWN
    page = caseworker.get(f"/staff/cases/{report.reference}/").text
    assert "The person withdrew this record" in page
    assert OWN_WORDS not in page
    assert "lena.x93" not in page
    assert report.reference not in caseworker.get("/staff/").text
    assert caseworker.get(f"/staff/cases/{report.reference}/evidence/{item.pk}/").status_code == 404
    assert caseworker.post(f"/staff/cases/{report.reference}/pack/").status_code == 404
    with pytest.raises(RecordNotShared):
        read_record(Report.objects.get(pk=report.pk))
    actions = AuditEvent.objects.values_list("action", "target")
    assert ("report.withdrawn", report.reference) in actions
    # The person still has everything, privately, and can send it again.
    assert OWN_WORDS in person.get("/report/record/your-account/").text
    person.post("/report/send/", {"sections": ["your-account"]})
    assert Case.objects.get(reference=report.reference).status == Case.NEW
    assert OWN_WORDS in caseworker.get(f"/staff/cases/{report.reference}/").text


def test_only_consenting_records_link_and_taking_consent_back_unlinks() -> None:
    first, second = Client(), Client()
    one, _ = start_record(first)
    two, _ = start_record(second)
    fill_record(first)
    fill_record(second)
    assert not ReportIndicator.objects.exists()  # nothing is linked without consent
    for person in (first, second):
        assert person.post("/report/linking/", {"linking": "yes"})["Location"].endswith(
            "done=linking-on"
        )
    linked = set(ReportIndicator.objects.values_list("report_id", "indicator__value"))
    assert (one.pk, WALLET) in linked
    assert (two.pk, WALLET) in linked
    assert all(value != MY_EMAIL for _, value in linked)  # never the person's own details
    analyst = signed_in("analyst")
    clusters = analyst.get("/staff/intel/").text
    assert "1 cluster," in clusters
    cluster = re.search(r'href="(/staff/intel/clusters/\d+/)"', clusters)[1]  # type: ignore[index]
    page = analyst.get(cluster).text
    assert one.staff_label in page
    assert one.staff_label.startswith("unsent-")
    assert WALLET in page
    for private in (one.reference, two.reference, OWN_WORDS, MY_EMAIL):
        assert private not in page  # a private record is never named by its reference
    stix = analyst.get(f"{cluster}export.stix")
    assert one.reference not in _text(stix)

    second.post("/report/linking/", {"linking": "no"})
    assert not ReportIndicator.objects.filter(report=two).exists()
    assert "Their details are no longer used" in second.get("/report/record/?done=linking-off").text
    assert Report.objects.get(pk=two.pk).link_consent_at is None


def test_a_linking_answer_is_required() -> None:
    person = Client()
    start_record(person)
    refused = person.post("/report/linking/", {})
    assert refused.status_code == 400
    assert 'href="#linking">Select yes or no' in refused.text


def test_a_child_is_never_led_to_fingerprinting_and_staff_see_their_images_blurred() -> None:
    child = Client()
    child.post("/questions/where/", {"answer": "GB"})
    report, _ = start_record(child, under_18="yes")
    child.post("/questions/images/", {"answer": "shared"})
    plan = child.get("/plan/").text
    assert "/protect/" not in plan.split("<main")[1]
    assert child.get("/protect/")["Location"] == "/protect/under-18/"
    child.post("/protect/", {"age": "adult"})  # a later "18 or over" does not undo it
    assert child.get("/protect/choose/")["Location"] == "/protect/"
    assert '/protect/"' not in child.get("/report/record/").text

    shot = screenshot("their profile")
    child.post("/report/evidence/", {"files": [SimpleUploadedFile("profile.png", shot)]})
    item = EvidenceItem.objects.get()
    child.post("/report/send/", {"items": [str(item.pk)]})
    caseworker = signed_in("caseworker")
    page = caseworker.get(f"/staff/cases/{report.reference}/").text
    assert "Blurred preview of profile.png" in page
    url = f"/staff/cases/{report.reference}/evidence/{item.pk}/?thumbnail=1"
    blurred = caseworker.get(url).content
    clear = caseworker.get(url + "&reveal=1").content
    assert blurred != clear
    assert len(blurred) < len(clear)
    revealed = AuditEvent.objects.filter(action="evidence.revealed", target=report.reference)
    assert revealed.count() == 1
    assert (
        "Preview of profile.png"
        in caseworker.get(f"/staff/cases/{report.reference}/?reveal={item.pk}").text
    )


def test_fingerprints_made_inside_a_record_are_kept_in_it_without_a_pin() -> None:
    person = Client()
    report, passphrase = start_record(person)
    person.post("/protect/", {"age": "adult"})
    signals = json.dumps([{"type": "pdq", "value": secrets.token_hex(32), "quality": 90}])
    assert person.post("/protect/choose/", {"signals": signals})["Location"] == "/protect/done/"
    done = person.get("/protect/done/").text
    assert "Kept in your record" in done
    assert 'data-testid="pin"' not in done
    submission = Submission.objects.get()
    assert submission.report_id == report.pk

    again = Client()  # a later visit: the record's reference and passphrase reach it
    again.post("/report/sign-in/", {"reference": report.reference, "passphrase": passphrase})
    overview = again.get("/report/record/").text
    assert "Blocking copies" in overview
    withdraw = f"/report/fingerprints/{submission.pk}/withdraw/"
    assert "Withdraw these fingerprints?" in again.get(withdraw).text
    again.post(withdraw)
    submission.refresh_from_db()
    assert submission.withdrawn


def test_deleting_a_record_leaves_its_fingerprints_blocking_copies() -> None:
    person = Client()
    start_record(person)
    person.post("/protect/", {"age": "adult"})
    signals = json.dumps([{"type": "pdq", "value": secrets.token_hex(32), "quality": 90}])
    person.post("/protect/choose/", {"signals": signals})
    assert "stay in the bank" in person.get("/report/delete/").text
    person.post("/report/delete/")
    submission = Submission.objects.get()
    assert not submission.withdrawn
    assert submission.entries.filter(live=True).count() == 1


def test_a_record_made_before_consent_existed_opens_and_moves_to_passphrase_wrapping() -> None:
    from django.contrib.auth.hashers import make_password

    from dontpay.cases.vault import organisation_wrapping, seal_json
    from dontpay.domain.custody import new_data_key
    from dontpay.domain.reports import empty_record

    key = new_data_key()
    legacy = Report.objects.create(
        reference="DP-AAAA-BBBB",
        passphrase_hash=make_password("K7QF2MXA93TDPW4R"),
        wrapped_key=organisation_wrapping(key, "DP-AAAA-BBBB"),
        record=seal_json(key, "DP-AAAA-BBBB", empty_record()),
        sent_at="2026-11-01T00:00:00Z",
    )
    person = Client()
    opened = person.post(
        "/report/sign-in/", {"reference": "DP-AAAA-BBBB", "passphrase": "K7QF-2MXA-93TD-PW4R"}
    )
    assert opened["Location"] == "/report/record/"
    legacy.refresh_from_db()
    assert legacy.passphrase_hash == ""
    assert bytes(legacy.owner_wrapped_key)
    again = Client().post(
        "/report/sign-in/", {"reference": "DP-AAAA-BBBB", "passphrase": "K7QF-2MXA-93TD-PW4R"}
    )
    assert again["Location"] == "/report/record/"


def test_a_file_added_after_sending_stays_private_until_it_is_ticked() -> None:
    person = Client()
    report, _ = start_record(person)
    fill_record(person, names=("before.png",))
    person.post(
        "/report/send/", {"sections": ["who"], "items": [str(EvidenceItem.objects.get().pk)]}
    )
    later = SimpleUploadedFile("after.png", screenshot("after"))
    person.post("/report/evidence/", {"files": [later]})
    after = EvidenceItem.objects.get(shared=False)
    caseworker = signed_in("caseworker")
    case_url = f"/staff/cases/{report.reference}/"
    assert "after.png" not in caseworker.get(case_url).text
    assert caseworker.get(f"{case_url}evidence/{after.pk}/").status_code == 404
    form = person.get("/report/send/").text
    assert f'value="{after.pk}">' in form  # offered, not ticked
    person.post(
        "/report/send/",
        {"sections": ["who"], "items": [str(i.pk) for i in EvidenceItem.objects.all()]},
    )
    assert "after.png" in caseworker.get(case_url).text


def test_an_earlier_under_18_answer_carries_through_the_visit() -> None:
    child = Client()
    child.post("/questions/where/", {"answer": "GB"})
    child.post("/questions/age/", {"answer": "yes"})
    report, _ = start_record(child, under_18="no")  # a later "no" does not undo it
    assert report.under_18 is True
    assert child.get("/protect/")["Location"] == "/protect/under-18/"


def test_the_queue_shows_when_each_record_was_sent_and_last_active_and_filters_by_them() -> None:
    person = Client()
    report, _ = start_record(person)
    fill_record(person, names=("a.png",))
    person.post("/report/send/", {"sections": ["who"]})
    Report.objects.filter(pk=report.pk).update(
        sent_at="2026-10-01T10:00:00Z", updated_at="2026-10-02T10:00:00Z"
    )
    caseworker = signed_in("caseworker")
    page = caseworker.get("/staff/").text
    assert "1 Oct 2026" in page
    assert "2 Oct 2026" in page
    assert report.reference in caseworker.get("/staff/", {"sent_since": "2026-09-30"}).text
    assert report.reference not in caseworker.get("/staff/", {"sent_since": "2026-10-02"}).text
    assert report.reference in caseworker.get("/staff/", {"active_since": "2026-10-02"}).text
    caseworker.post(f"/staff/cases/{report.reference}/notes/", {"text": "Called back"})
    assert report.reference in caseworker.get("/staff/", {"active_since": "2026-11-30"}).text
    bad = caseworker.get("/staff/", {"sent_since": "2026-02-30"})
    assert bad.status_code == 400
    assert 'href="#sent_since">Sent on or after must be a real date' in bad.text


def test_what_was_not_sent_sets_no_flag_and_adds_to_no_cluster_total() -> None:
    first, second = Client(), Client()
    one, _ = start_record(first)
    start_record(second)
    for person in (first, second):
        fill_record(person, names=())
        person.post(
            "/report/record/demands/",
            {"amount": "4321", "currency": "GBP", "deadline": "2030-05-01T21:30", "action": "add"},
        )
        person.post("/report/record/payments/", {"amount": "8765", "currency": "GBP"})
        person.post("/report/linking/", {"linking": "yes"})
        person.post("/report/send/", {"sections": ["your-account"]})
    case = Case.objects.get(reference=one.reference)
    assert (case.paid, case.next_deadline) == (False, None)
    analyst = signed_in("analyst")
    cluster = re.search(r'href="(/staff/intel/clusters/\d+/)"', analyst.get("/staff/intel/").text)
    page = analyst.get(cluster[1]).text  # type: ignore[index]
    for unsent in ("4,321", "8,765"):  # the platform of a linked handle may show: it was agreed
        assert unsent not in page.split("What links them")[0], unsent
    first.post("/report/send/", {"sections": ["your-account", "payments"]})
    assert Case.objects.get(reference=one.reference).paid is True
    first.post("/report/withdraw/")
    withdrawn = Case.objects.get(reference=one.reference)
    assert (withdrawn.paid, withdrawn.self_harm, withdrawn.under_18) == (False, False, False)
    caseworker = signed_in("caseworker")
    assert one.reference in caseworker.get("/staff/", {"status": "withdrawn"}).text
    assert one.reference not in caseworker.get("/staff/").text


def test_opening_a_childs_original_is_recorded_as_choosing_to_see_it() -> None:
    child = Client()
    report, _ = start_record(child, under_18="yes")
    shot = screenshot("profile")
    child.post("/report/evidence/", {"files": [SimpleUploadedFile("profile.png", shot)]})
    item = EvidenceItem.objects.get()
    child.post("/report/send/", {"items": [str(item.pk)]})
    caseworker = signed_in("caseworker")
    assert caseworker.get(f"/staff/cases/{report.reference}/evidence/{item.pk}/").content == shot
    assert AuditEvent.objects.filter(action="evidence.revealed").count() == 1


def test_odd_item_ids_are_ignored_not_a_crash() -> None:
    person = Client()
    start_record(person)
    person.post("/report/record/who/", {"platform": "instagram", "username": "@lena.x93"})
    for odd in ("9" * 30, "²", "-1", "١٢", "0x10"):
        response = person.post("/report/send/", {"sections": ["who"], "items": [odd]})
        assert response.status_code == 302, odd
    assert not EvidenceItem.objects.filter(shared=True).exists()
