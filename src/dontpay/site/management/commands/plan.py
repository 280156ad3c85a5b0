"""`dontpay plan --answers FILE|- [--json]`: the action plan for a set of answers."""

import json
import sys
from argparse import ArgumentParser
from typing import Any

from dontpay.domain.bounded_json import JsonTooDeep, load_json
from dontpay.domain.guidance import InvalidAnswer, build_plan, parse_answers, plan_as_dict
from dontpay.site.commands import BadInput, ProductCommand


class Command(ProductCommand):
    help = "Print the ordered action plan for answers given as JSON (a file, or - for stdin)."
    requires_system_checks = ()  # needs no database

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--answers", required=True, metavar="FILE|-")
        parser.add_argument("--json", action="store_true", help="print the plan as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            answers = parse_answers(_read_json(options["answers"]))
        except InvalidAnswer as problem:
            raise BadInput(problem) from None
        plan = build_plan(answers)
        if options["json"]:
            self.stdout.write(json.dumps(plan_as_dict(plan), indent=2, ensure_ascii=False))
            return
        for number, step in enumerate(plan.steps, start=1):
            self.stdout.write(f"{number}. {step.title}  [{step.urgency.label}]")
            for paragraph in step.body.split("\n\n"):
                self.stdout.write(f"   {paragraph}")
            for contact in step.contacts:
                reach = ", ".join(
                    value
                    for value in (contact.phone, contact.sms, contact.email, contact.url)
                    if value
                )
                self.stdout.write(f"   - {contact.name}: {reach}")
            self.stdout.write("")


def _read_json(path: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
    except OSError as problem:
        raise BadInput(f"answers: cannot read {path}: {problem.strerror}") from None
    try:
        return load_json(text)
    except json.JSONDecodeError as problem:
        raise BadInput(
            f"answers: not valid JSON (line {problem.lineno}, column {problem.colno}: "
            f"{problem.msg})"
        ) from None
    except JsonTooDeep as problem:
        raise BadInput(f"answers: not valid JSON ({problem})") from None
