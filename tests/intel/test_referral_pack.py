"""The cluster referral pack and the GraphML export: signed and checkable offline like a report
pack, holding per report only what its author sent, audited, and only for those allowed."""

import io
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from pypdf import PdfReader

from dontpay.accounts.models import AuditEvent
from dontpay.cases.custody import chain_of
from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import Report
from dontpay.cases.reports import add_item, create_report, save_section
from dontpay.cases.sharing import consent_to_linking, send_report
from dontpay.cases.vault import organisation_keys
from dontpay.domain.custody import verify_pack
from dontpay.domain.reports import section
from dontpay.intel.models import ClusterMembership
from dontpay.intel.referral import referral_pack

from ..accounts.staff import signed_in
from ..cases.factories import held, screenshot
from ..processes import run_dontpay
from ..site.test_report_commands import run
from .test_views import WALLET, WALLET_AS_TYPED

pytestmark = pytest.mark.django_db

#: Written in sections and reports that were never sent: must be in no file of the pack.
NOT_SENT = (
    "Zqunsentsection",  # a section of a sent report that its author left unticked
    "Zqunsentreport",  # a report linked with consent, never sent
    "zq.private.person@example.org",  # its author's own contact details
    "zq-unticked-file",  # the name of a file its author did not send
    "zq.unsent9",  # an offender account only the unsent report names: it links nothing
)
#: Written in a section that was sent: must be in the pack (so the check above can fail).
SENT = "Zqsentwords"
OFFENDER_HANDLE = "offender.zq"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "report-pack.md"


@dataclass(frozen=True)
class Cluster:
    sent: Report
    other: Report
    private: Report
    unticked_file: bytes

    @property
    def id(self) -> int:
        return ClusterMembership.objects.get(report=self.sent).cluster

    @property
    def url(self) -> str:
        return f"/staff/intel/clusters/{self.id}/"


def seed() -> Cluster:
    """Three reports linked by one wallet: one sent with a section and a file left out, one
    sent whole, and one whose author agreed to linking but never sent it."""
    created = create_report("GB", under_18=False)
    unticked = screenshot("zq-unticked-file content")
    with held(created) as sent:
        add_item(sent, section("who"), {"platform": "instagram", "username": OFFENDER_HANDLE})
        add_item(sent, section("payment-details"), {"kind": "crypto-wallet", "value": WALLET})
        add_item(sent, section("demands"), {"amount": "500", "currency": "GBP"})
        save_section(sent, section("when"), {"started_on": "2026-10-01"})
        save_section(sent, section("messages"), {"text": f"{SENT}: pay or else"})
        save_section(sent, section("your-account"), {"text": f"{NOT_SENT[0]} my own words"})
        ticked = add_evidence(sent, "threat.png", screenshot())
        add_evidence(sent, f"{NOT_SENT[3]}.png", unticked)
        chosen = {"who", "payment-details", "demands", "when", "messages"}
        send_report(sent, chosen, [ticked.pk])
        consent_to_linking(sent)
    other_created = create_report("US", under_18=True)
    with held(other_created) as other:
        add_item(
            other, section("payment-details"), {"kind": "crypto-wallet", "value": WALLET_AS_TYPED}
        )
        send_report(other, {"payment-details"}, [])
        consent_to_linking(other)
    private_created = create_report("GB")
    with held(private_created) as private:
        add_item(private, section("payment-details"), {"kind": "crypto-wallet", "value": WALLET})
        add_item(private, section("who"), {"platform": "snapchat", "username": NOT_SENT[4]})
        save_section(private, section("your-account"), {"text": f"{NOT_SENT[1]} happened"})
        save_section(private, section("contact"), {"how": "email", "email": NOT_SENT[2]})
        consent_to_linking(private)
    for report in (sent, other, private):
        report.refresh_from_db()
    return Cluster(sent, other, private, unticked)


def members(pack: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pack_verifies_offline_by_dontpay_and_by_openssl_and_sha256sum(tmp_path: Path) -> None:
    cluster = seed()
    pack = referral_pack(cluster.id, actor="staff:analyst-1").data
    files = members(pack)
    assert sorted(files) == sorted(
        [
            "cluster.graphml",
            "manifest.json",
            "manifest.sig",
            "public_key.pem",
            "referral.json",
            "referral.pdf",
            f"reports/{cluster.other.reference}/custody.jsonl",
            f"reports/{cluster.sent.reference}/custody.jsonl",
        ]
    )
    trusted = organisation_keys().public_key_pem()
    assert verify_pack(pack, trusted).valid
    path = tmp_path / "referral.zip"
    path.write_bytes(pack)
    assert run("pack", "verify", str(path))[:3] == ("valid: 5 items\n", "", 0)
    for name in (
        "referral.json",
        "referral.pdf",
        f"reports/{cluster.sent.reference}/custody.jsonl",
    ):
        changed = dict(files)
        data = bytearray(changed[name])
        data[len(data) // 2] ^= 0x01
        changed[name] = bytes(data)
        tampered = io.BytesIO()
        with zipfile.ZipFile(tampered, "w") as archive:
            for member, content in changed.items():
                archive.writestr(member, content)
        result = verify_pack(tampered.getvalue(), trusted)
        assert result.problem == f"{name}: sha256 does not match the manifest"
        path.write_bytes(tampered.getvalue())
        assert run("pack", "verify", str(path))[2] == 1
    # The checks docs/report-pack.md gives, with unzip, openssl, jq and sha256sum alone.
    folder = tmp_path / "pack"
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        archive.extractall(folder)
    signature = [
        *("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public_key.pem", "-rawin"),
        *("-in", "manifest.json", "-sigfile", "manifest.sig"),
    ]
    hashes = (
        "jq -r '.files | to_entries[] | \"\\(.value)  \\(.key)\"' manifest.json | sha256sum -c -"
    )

    def sh(command: list[str] | str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=folder, shell=isinstance(command, str), capture_output=True, text=True
        )

    def chain_check(chain: Path) -> subprocess.CompletedProcess[str]:
        script = re.search(r"python3 - custody.jsonl <<'EOF'\n(.*?)\nEOF", DOCS.read_text(), re.S)
        assert script is not None
        return subprocess.run(
            ["python3", "-", str(chain)], input=script[1], capture_output=True, text=True
        )

    assert "Signature Verified Successfully" in sh(signature).stdout
    checked = sh(hashes)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.count(": OK") == 5
    chains = sorted(folder.glob("reports/*/custody.jsonl"))
    assert len(chains) == 2
    assert all(chain_check(chain).stdout.startswith("custody chain OK") for chain in chains)
    chain = folder / "reports" / cluster.sent.reference / "custody.jsonl"
    chain.write_bytes(chain.read_bytes().replace(b'"exported"', b'"viewed"'))
    assert sh(hashes).returncode == 1
    broken = chain_check(chain)
    assert (broken.returncode, broken.stderr) == (
        1,
        f"event {chain_of(cluster.sent)[-1].sequence}: hash does not match its contents\n",
    )
    manifest = folder / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b"sha256", b"SHA256", 1))
    assert "Signature Verification Failure" in sh(signature).stdout


def test_the_pack_holds_nothing_its_authors_did_not_send() -> None:
    cluster = seed()
    files = members(referral_pack(cluster.id, actor="staff:analyst-1").data)
    texts = {name: data.decode("utf-8", "replace") for name, data in files.items()}
    texts["referral.pdf (text)"] = pdf_text(files["referral.pdf"])
    texts["referral.pdf (bytes)"] = files["referral.pdf"].decode("latin-1")
    for name, text in texts.items():
        for secret in (*NOT_SENT, cluster.private.reference):
            assert secret.lower() not in text.lower(), (secret, name)
    assert all(cluster.unticked_file not in data for data in files.values())
    # What was sent is there, so the checks above could fail.
    assert SENT in texts["referral.pdf (text)"]
    assert OFFENDER_HANDLE in texts["referral.pdf (text)"]
    document = json.loads(files["referral.json"])
    assert document["format"] == "dontpay-cluster-referral/1"
    by_reference = {entry["reference"]: entry for entry in document["reports"]}
    label = cluster.private.staff_label
    assert label.startswith("unsent-")
    assert by_reference[label] == {"reference": label, "sent": False}
    assert label in texts["referral.pdf (text)"]
    sent = by_reference[cluster.sent.reference]
    assert sent["sections_sent"] == ["when", "who", "demands", "payment-details", "messages"]
    assert sent["record"]["messages"] == {"text": f"{SENT}: pay or else"}
    assert [item["sha256"] for item in sent["evidence"]] == [
        cluster.sent.evidence.get(shared=True).sha256
    ]
    assert by_reference[cluster.other.reference]["under_18"] is True
    wallet = next(i for i in document["indicators"] if i["value"] == WALLET)
    assert sorted(wallet["seen_in"]) == sorted(
        [cluster.sent.reference, cluster.other.reference, label]
    )
    assert wallet["details"] == {"kind": "P2WPKH (native SegWit, bech32)", "network": "Bitcoin"}
    assert "network: Bitcoin" in texts["referral.pdf (text)"]
    assert document["summary"]["demanded"] == {"GBP": "500.00"}
    assert document["summary"]["platforms"] == ["instagram"]  # not the unsent one's snapchat
    whens = [entry["when"] for entry in document["timeline"]]
    assert whens == sorted(whens)
    assert {"when": "2026-10-01", "report": cluster.sent.reference, "what": "First contact"} in (
        document["timeline"]
    )


@pytest.mark.django_db(transaction=True)
def test_only_intel_refer_may_make_a_pack_and_each_one_is_audited_and_chained() -> None:
    cluster = seed()
    caseworker = signed_in("caseworker")
    assert caseworker.post(f"{cluster.url}referral/").status_code == 403
    analyst = signed_in("analyst")
    assert analyst.get(f"{cluster.url}referral/").status_code == 405
    assert analyst.post("/staff/intel/clusters/999999/referral/").status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="cluster.export")
    page = analyst.get(cluster.url).text
    assert f'action="{cluster.url}referral/"' in page
    assert "Prepare the referral pack" in page

    # The request only asks: nothing is built or recorded as exported until a worker runs.
    asked = analyst.post(f"{cluster.url}referral/")
    assert asked.status_code == 302
    assert asked["Location"].startswith(f"{cluster.url}referral/")
    assert chain_of(cluster.sent)[-1].kind != "exported"
    (requested,) = AuditEvent.objects.filter(action="cluster.export-requested")
    assert (requested.actor, requested.target, requested.detail, requested.address) == (
        "analyst-1",
        f"cluster {cluster.id}",
        {"format": "referral-pack"},
        "127.0.0.1",
    )
    assert not AuditEvent.objects.filter(action__in=("cluster.exported", "case.referred"))
    worker = run_dontpay("worker", "--batch")
    assert worker.returncode == 0, worker.stderr

    (exported,) = AuditEvent.objects.filter(action="cluster.exported")
    assert (exported.actor, exported.role, exported.target, exported.detail) == (
        "analyst-1",
        "analyst",
        f"cluster {cluster.id}",
        {"format": "referral-pack", "reports_sent": 2},
    )
    referred = AuditEvent.objects.filter(action="case.referred")
    assert sorted(referred.values_list("actor", "target")) == sorted(
        [("analyst-1", cluster.sent.reference), ("analyst-1", cluster.other.reference)]
    )
    for report in (cluster.sent, cluster.other):
        last = chain_of(report)[-1]
        assert (last.kind, last.actor) == ("exported", "staff:analyst-1")
        assert last.detail == {"as": "cluster-referral", "cluster": cluster.id}
    assert chain_of(cluster.private)[-1].kind != "exported"

    # Only who asked may download it.
    other = signed_in("analyst", "analyst-2")
    assert other.get(asked["Location"]).status_code == 404
    assert other.post(f"{asked['Location']}download/").status_code == 302
    assert not AuditEvent.objects.filter(action="cluster.downloaded")
    response = analyst.post(f"{asked['Location']}download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"dontpay-cluster-{cluster.id}-referral.zip" in response["Content-Disposition"]
    assert verify_pack(response.content).valid
    (downloaded,) = AuditEvent.objects.filter(action="cluster.downloaded")
    assert (downloaded.actor, downloaded.target, downloaded.detail) == (
        "analyst-1",
        f"cluster {cluster.id}",
        {"format": "referral-pack", "reports_sent": 2},
    )


def test_the_graphml_export_parses_back_with_every_report_indicator_and_mention() -> None:
    cluster = seed()
    response = signed_in("analyst").get(f"{cluster.url}export.graphml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/graphml+xml"
    graph = nx.read_graphml(io.BytesIO(response.content))
    reports = {n: a for n, a in graph.nodes(data=True) if a["kind"] == "report"}
    indicators = {a["value"]: n for n, a in graph.nodes(data=True) if a["kind"] == "indicator"}
    # The wallet joins all three; each handle was entered by one author as the offender's (the
    # analyst's export, like STIX, holds the unsent report's too; the referral pack does not).
    assert sorted(a["label"] for a in reports.values()) == sorted(
        [cluster.sent.reference, cluster.other.reference, cluster.private.staff_label]
    )
    assert sorted(indicators) == sorted([OFFENDER_HANDLE, WALLET, NOT_SENT[4]])
    assert graph.number_of_nodes() == 6
    assert graph.number_of_edges() == 5
    assert graph.degree(indicators[WALLET]) == 3
    wallet = graph.nodes[indicators[WALLET]]
    assert (wallet["indicator_type"], wallet["platform_or_network"]) == ("crypto_address", "btc")
    assert wallet["report_count"] == 3
    private = next(a for a in reports.values() if a["label"] == cluster.private.staff_label)
    assert private == {"label": cluster.private.staff_label, "kind": "report", "sent": False}
    assert cluster.private.reference not in response.text
    (event,) = AuditEvent.objects.filter(action="cluster.exported")
    assert event.detail == {"format": "graphml"}


def test_the_cluster_command_writes_the_pack_and_the_graph(tmp_path: Path) -> None:
    cluster = seed()
    pack, graphml = tmp_path / "referral.zip", tmp_path / "cluster.graphml"
    assert run("cluster", "pack", str(cluster.id), "-o", str(pack))[2] == 0
    assert verify_pack(pack.read_bytes()).valid
    assert run("cluster", "graphml", str(cluster.id), "-o", str(graphml))[2] == 0
    assert nx.read_graphml(graphml).number_of_edges() == 5
    # The export chained in each sent report keeps every chain and its signed head sound.
    assert run("verify")[2] == 0
    actions = AuditEvent.objects.filter(actor="command").values_list("action", "target")
    assert sorted(actions) == sorted(
        [
            ("cluster.exported", f"cluster {cluster.id}"),
            ("cluster.exported", f"cluster {cluster.id}"),
            ("case.referred", cluster.sent.reference),
            ("case.referred", cluster.other.reference),
        ]
    )


def test_no_cluster_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run("cluster", "pack", "999999", "-o", str(tmp_path / "x.zip"))[2] == 2
    assert capsys.readouterr().err == "dontpay cluster: cluster: no cluster 999999\n"
    assert not (tmp_path / "x.zip").exists()


def test_a_pack_that_cannot_be_written_is_not_recorded_as_exported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cluster = seed()
    before = chain_of(cluster.sent)[-1]
    assert run("cluster", "pack", str(cluster.id), "-o", str(tmp_path / "no" / "x.zip"))[2] == 2
    assert "--output: cannot write" in capsys.readouterr().err
    assert chain_of(cluster.sent)[-1] == before
    assert not AuditEvent.objects.filter(action__in=("cluster.exported", "case.referred"))
