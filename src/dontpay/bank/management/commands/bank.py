"""`dontpay bank …`: platform tokens, adding and withdrawing hashes, and bank files.

dontpay bank token create --name NAME --scope match [--scope signals] [--json]
dontpay bank token list [--json]
dontpay bank token revoke PREFIX
dontpay bank add FILE… | --hash HEX… [--quality N] [--json]
dontpay bank withdraw CASE --pin PIN
dontpay bank export FILE|-
dontpay bank import FILE|- [--json]
"""

import json
import sys
from argparse import ArgumentParser
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, Any

from dontpay.bank.models import PlatformToken, Submission
from dontpay.bank.submissions import (
    SubmissionRefused,
    check_submission,
    submit_signals,
    withdraw_submission,
)
from dontpay.bank.threatexchange import (
    InvalidSignalFile,
    export_lines,
    import_signal_file,
    live_entries,
)
from dontpay.bank.tokens import InvalidScope, create_token, revoke_token
from dontpay.cases.throttle import TooManyAttempts
from dontpay.domain.signals import InvalidMedia, PdqHash, features_to_lines
from dontpay.domain.signals.media import hash_media
from dontpay.site.commands import BadInput, ProductCommand

#: Throttling counts the command line as one client.
CLI_CLIENT = "cli"


class Command(ProductCommand):
    help = "Manage platform tokens, add or withdraw hashes, and export or import the bank."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        token = actions.add_parser("token", help="platform API tokens")
        token_actions = token.add_subparsers(dest="token_action", required=True, metavar="ACTION")
        create = token_actions.add_parser("create", help="create a token, shown once")
        create.add_argument(
            "--name",
            required=True,
            help="the platform it is for: tokens of one name are one platform",
        )
        create.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=PlatformToken.SCOPES,
            help="what the token may do; repeat for several",
        )
        _json_option(create)
        _json_option(token_actions.add_parser("list", help="list tokens"))
        revoke = token_actions.add_parser("revoke", help="revoke a token at once")
        revoke.add_argument("prefix", help="the token's prefix, such as dpt_Ab3dE5fG")

        add = actions.add_parser("add", help="add images, videos or hashes as one submission")
        add.add_argument("files", nargs="*", metavar="FILE", help="images or videos to hash")
        add.add_argument("--hash", nargs="+", default=[], metavar="HEX", help="PDQ hashes")
        add.add_argument(
            "--quality", type=int, default=100, help="the quality of --hash hashes (0-100)"
        )
        _json_option(add)

        withdraw = actions.add_parser("withdraw", help="withdraw a submission")
        withdraw.add_argument("case_number", metavar="CASE")
        withdraw.add_argument("--pin", required=True)

        export = actions.add_parser("export", help="write the live bank as a threatexchange file")
        export.add_argument("file", metavar="FILE|-")

        import_ = actions.add_parser("import", help="add a threatexchange signal file")
        import_.add_argument("file", metavar="FILE|-")
        _json_option(import_)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "token":
            {"create": self.create_token, "list": self.list_tokens, "revoke": self.revoke}[
                options["token_action"]
            ](options)
        else:
            {
                "add": self.add,
                "withdraw": self.withdraw,
                "export": self.export,
                "import": self.import_file,
            }[action](options)

    def create_token(self, options: dict[str, Any]) -> None:
        try:
            new = create_token(options["name"], options["scope"])
        except (InvalidScope, ValueError) as problem:
            raise BadInput(problem) from None
        if options["json"]:
            self._json({**_token_dict(new.token), "token": new.secret})
            return
        self.stdout.write(f"Token for {new.token.name} ({', '.join(new.token.scopes)}):")
        self.stdout.write(new.secret)
        self.stdout.write("It is shown only now: give it to the platform over a safe channel.")

    def list_tokens(self, options: dict[str, Any]) -> None:
        tokens = [_token_dict(token) for token in PlatformToken.objects.order_by("created_at")]
        if options["json"]:
            self._json(tokens)
            return
        for token in tokens:
            state = f"revoked {token['revoked_at']}" if token["revoked_at"] else "live"
            used = token["last_used_at"] or "never"
            self.stdout.write(
                f"{token['prefix']}  {token['name']}  [{', '.join(token['scopes'])}]  "
                f"{state}, last used {used}"
            )

    def revoke(self, options: dict[str, Any]) -> None:
        token = revoke_token(options["prefix"])
        if token is None:
            raise BadInput(f"prefix: no live token {options['prefix']!r} (see bank token list)")
        self.stdout.write(f"Revoked {token.prefix} ({token.name}).")

    def add(self, options: dict[str, Any]) -> None:
        if bool(options["files"]) == bool(options["hash"]):
            raise BadInput("give either image or video files, or --hash with PDQ hashes")
        signals = [("pdq", value, options["quality"]) for value in options["hash"]]
        signals += [_hash_file(Path(name)) for name in options["files"]]
        try:
            new = submit_signals(signals, Submission.CLI)
        except SubmissionRefused as problem:
            raise BadInput(problem) from None
        if options["json"]:
            self._json({"case_number": new.case_number, "pin": new.pin, "signals": len(signals)})
            return
        self.stdout.write(f"Added {len(signals)} hash(es).")
        self.stdout.write(f"Case number: {new.case_number}")
        self.stdout.write(f"PIN: {new.pin}  (shown only now; needed to withdraw)")

    def withdraw(self, options: dict[str, Any]) -> None:
        try:
            submission = check_submission(options["case_number"], options["pin"], CLI_CLIENT)
        except TooManyAttempts:
            raise BadInput("too many wrong PINs recently; try again in 15 minutes") from None
        if submission is None:
            raise BadInput("no submission with this case number and PIN")
        already = submission.withdrawn
        withdraw_submission(submission)
        state = "was already withdrawn" if already else "is withdrawn"
        self.stdout.write(f"Submission {submission.case_number} {state}.")

    def export(self, options: dict[str, Any]) -> None:
        lines = (f"{line}\n" for line in export_lines(live_entries()))
        if options["file"] == "-":
            for line in lines:
                self.stdout.write(line, ending="")
            return
        try:
            with open(options["file"], "w", encoding="utf-8") as file:
                count = sum(1 for line in lines if file.write(line))
        except OSError as problem:
            raise BadInput(f"file: cannot write {options['file']}: {problem.strerror}") from None
        self.stdout.write(f"Wrote {count} signal(s) to {options['file']}.")

    def import_file(self, options: dict[str, Any]) -> None:
        name = options["file"]
        try:
            # Read as it is stored, line by line: a file of any size fits in bounded memory.
            with _text_lines(name) as lines:
                imported = import_signal_file(lines)
        except OSError as problem:
            raise BadInput(f"file: cannot read {name}: {problem.strerror}") from None
        except UnicodeDecodeError:
            raise BadInput(f"file: {name} is not UTF-8 text") from None
        except InvalidSignalFile as problem:
            raise BadInput(f"file: {problem}") from None
        result = {
            "case_number": imported.submission.case_number,
            "pin": imported.submission.pin,
            "imported": imported.imported,
            "skipped": imported.skipped,
        }
        if options["json"]:
            self._json(result)
            return
        skipped = ", ".join(f"{count} {kind}" for kind, count in imported.skipped.items())
        self.stdout.write(
            f"Imported {imported.imported} signal(s)"
            + (f"; skipped {skipped}." if skipped else ".")
        )
        self.stdout.write(f"Case number: {result['case_number']}")
        self.stdout.write(f"PIN: {result['pin']}  (shown only now; needed to withdraw)")

    def _json(self, value: object) -> None:
        self.stdout.write(json.dumps(value, indent=2, ensure_ascii=False))


def _json_option(parser: ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def _token_dict(token: PlatformToken) -> dict[str, Any]:
    return {
        "prefix": token.prefix,
        "name": token.name,
        "scopes": token.scopes,
        "created_at": token.created_at.isoformat(),
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
    }


def _text_lines(name: str) -> AbstractContextManager[IO[str]]:
    """The file as UTF-8 text, or standard input for "-", to read line by line."""
    return nullcontext(sys.stdin) if name == "-" else open(name, encoding="utf-8")


def _hash_file(path: Path) -> tuple[str, str, int]:
    """("pdq", hash, quality) for an image, ("vpdq", feature lines, mean quality) for a video."""
    try:
        found = hash_media(path)
    except OSError as problem:
        raise BadInput(f"{path}: cannot read: {problem.strerror}") from None
    except InvalidMedia as problem:
        raise BadInput(f"{path}: {problem}") from None
    if isinstance(found, PdqHash):
        return "pdq", found.hex, found.quality
    quality = round(sum(feature.quality for feature in found) / len(found)) if found else 0
    return "vpdq", "\n".join(features_to_lines(found)), quality
