"""`dontpay report new FILE.json [--evidence PATH…]` and `dontpay report pack REF -o OUT.zip`.

A record is private until its author sends it, so its pack needs its passphrase (read from
standard input with `--passphrase-stdin`, never from the command line, where other users could
see it); a sent record's pack without the passphrase holds only what its author sent.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import Report
from dontpay.cases.pack import report_pack
from dontpay.cases.reports import add_item, create_report, open_report, save_section
from dontpay.cases.throttle import TooManyAttempts
from dontpay.cases.vault import holding_owner_key
from dontpay.domain.bounded_json import load_json
from dontpay.domain.evidence import EvidenceRejected
from dontpay.domain.guidance import available_jurisdictions
from dontpay.domain.reports import SECTIONS, InvalidRecord, normalise_reference, section
from dontpay.site.commands import BadInput, ProductCommand, output_file

#: Guessing from the command line counts as one client.
CLI_CLIENT = "cli"


class Command(ProductCommand):
    help = "Create a report from JSON (with evidence files), or write a report's pack."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        new = actions.add_parser("new", help="create a report from a JSON file")
        new.add_argument("file", metavar="FILE.json")
        new.add_argument("--evidence", nargs="*", default=[], metavar="PATH")
        new.add_argument("--json", action="store_true")
        pack = actions.add_parser("pack", help="write a report's signed pack")
        pack.add_argument("reference")
        pack.add_argument("-o", "--output", required=True, metavar="OUT.zip")
        pack.add_argument(
            "--passphrase-stdin",
            action="store_true",
            help="read the record's passphrase from standard input: the whole record is packed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "new":
            self._new(options)
        else:
            self._pack(options)

    def _new(self, options: dict[str, Any]) -> None:
        data = _read_report_json(options["file"])
        jurisdiction = data.get("jurisdiction")
        if jurisdiction is not None and jurisdiction not in available_jurisdictions():
            allowed = ", ".join(available_jurisdictions())
            raise BadInput(
                f"jurisdiction: {jurisdiction!r} has no guidance; allowed: {allowed}, null"
            )
        under_18 = data.get("under_18")
        if under_18 is not None and not isinstance(under_18, bool):
            raise BadInput(f"under_18: {under_18!r} is not true, false or null")
        evidence = [(Path(p).name, _read_file(p)) for p in options["evidence"]]
        created = create_report(jurisdiction=jurisdiction or "", under_18=under_18, actor="command")
        with holding_owner_key(created.report.pk, created.key):
            self._fill(created.report, data, evidence)
        result = {"reference": created.report.reference, "passphrase": created.passphrase}
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"reference: {result['reference']}\npassphrase: {result['passphrase']}"
            )

    def _fill(
        self, report: Report, data: dict[str, Any], evidence: list[tuple[str, bytes]]
    ) -> None:
        try:
            _fill_record(report, data.get("record", {}))
            for name, content in evidence:
                try:
                    add_evidence(report, name, content, actor="command")
                except EvidenceRejected as problem:
                    raise BadInput(f"--evidence {name}: {problem.reason}") from None
        except BadInput:
            report.delete()
            raise

    def _pack(self, options: dict[str, Any]) -> None:
        reference = normalise_reference(options["reference"])
        report = Report.objects.filter(reference=reference, deleted_at__isnull=True).first()
        if report is None:
            raise BadInput(f"reference: no report {options['reference']!r}")
        if not options["passphrase_stdin"] and not report.is_sent:
            raise BadInput(
                "this record is private: give its passphrase on standard input "
                "with --passphrase-stdin"
            )
        with output_file(Path(options["output"])) as out:
            if not options["passphrase_stdin"]:
                pack = report_pack(report, actor="command", sent_only=True)
            else:
                passphrase = (options.get("stdin") or sys.stdin).readline().strip()
                try:
                    opened = open_report(reference, passphrase, CLI_CLIENT)
                except TooManyAttempts as wait:
                    message = f"too many wrong passphrases; try again in {wait.minutes} min"
                    raise BadInput(message) from None
                if opened is None:
                    raise BadInput("passphrase: not the passphrase of this record")
                with holding_owner_key(report.pk, opened.key):
                    pack = report_pack(report, actor="command")
            out.write(pack)
        self.stdout.write(f"wrote {options['output']}")


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as problem:
        raise BadInput(f"cannot read {path}: {problem.strerror}") from None


def _read_report_json(path: str) -> dict[str, Any]:
    try:
        data = load_json(_read_file(path))
    except ValueError as problem:  # bad JSON, bad UTF-8, or nested too deep
        raise BadInput(f"{path}: not valid JSON ({problem})") from None
    if not isinstance(data, dict):
        raise BadInput(f"{path}: must be a JSON object with 'record'")
    return data


def _fill_record(report: Report, record: object) -> None:
    if not isinstance(record, dict):
        raise BadInput("record: must be an object of sections")
    known = [s.slug for s in SECTIONS]
    for slug, content in record.items():
        if slug not in known:
            raise BadInput(f"record.{slug}: not a section; allowed: {', '.join(known)}")
        target = section(slug)
        entries = content if target.repeatable else [content]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            shape = "a list of objects" if target.repeatable else "an object"
            raise BadInput(f"record.{slug}: must be {shape}")
        for index, entry in enumerate(entries):
            where = f"record.{slug}[{index}]" if target.repeatable else f"record.{slug}"
            unknown = set(entry) - {f.name for f in target.fields}
            if unknown:
                raise BadInput(f"{where}.{sorted(unknown)[0]}: not a field of this section")
            for name, value in entry.items():
                if not isinstance(value, str | int | float) or isinstance(value, bool):
                    raise BadInput(f"{where}.{name}: must be text (or a number), not {value!r}")
            try:
                if target.repeatable:
                    add_item(report, target, {k: str(v) for k, v in entry.items()}, "command")
                else:
                    save_section(report, target, {k: str(v) for k, v in entry.items()}, "command")
            except InvalidRecord as problem:
                name, message = next(iter(problem.errors.items()))
                raise BadInput(f"{where}.{name}: {message}") from None
