"""Demo data for `dontpay demo`: one staff account per role and a few example reports.

Everything here is invented. The demo staff passwords are public, which is why the demo
refuses to run in production mode.
"""

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from dontpay.accounts.enrolment import create_staff
from dontpay.accounts.roles import ROLES
from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import Case, Report
from dontpay.cases.reports import add_item, create_report, save_section
from dontpay.cases.statistics import import_cases
from dontpay.domain.reports import section
from dontpay.site.demo_rings import demo_rings, sent_with_consent

#: The published West Midlands Police figures as 29 records (kept with the tests, which check
#: them); present in a source checkout, absent from an installed wheel.
WEST_MIDLANDS_FOI = (
    Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "west_midlands_foi.csv"
)

DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105 - public by design, demo only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str
    totp_secret: str
    current_code: str


def demo_logins() -> list[DemoLogin]:
    """Create (once) and describe one staff account per role."""
    logins = []
    for role, _ in ROLES:
        username = f"demo-{role}"
        if not get_user_model().objects.filter(username=username).exists():
            create_staff(username, role, password=DEMO_PASSWORD)
        device = TOTPDevice.objects.get(user__username=username)
        secret = base64.b32encode(device.bin_key).decode()
        code = f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"
        logins.append(DemoLogin(username, role, DEMO_PASSWORD, secret, code))
    return logins


def _screenshot(text: str) -> bytes:
    image = Image.new("RGB", (360, 640), (236, 229, 221))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 40, 320, 120), 12, fill=(255, 255, 255))
    draw.text((28, 60), text, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def demo_reports() -> None:
    """Three invented reports of different urgency and the four rings of `demo_rings`, once,
    each sent by its author with every section and file and with consent to link (as people
    who asked for help would)."""
    if Case.objects.filter(imported=False).exists():
        return

    def urgent_record(report: Report) -> None:
        save_section(report, section("when"), {"threats_on": "2026-11-26"})
        add_item(report, section("who"), {"platform": "snapchat", "username": "jess.x.2009"})
        add_evidence(report, "threat.png", _screenshot("Send 100 GBP in gift cards tonight"))

    def paid_record(report: Report) -> None:
        add_item(report, section("payments"), {"amount": "250", "currency": "GBP"})
        add_item(
            report,
            section("payment-details"),
            {"kind": "crypto-wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
        )

    sent_with_consent(
        create_report("GB", under_18=True, answers={"self_harm": True, "images": "threatened"}),
        urgent_record,
    )
    sent_with_consent(
        create_report("GB", under_18=False, answers={"paid": True, "images": "shared"}),
        paid_record,
    )
    sent_with_consent(create_report("US", under_18=False), lambda report: None)
    demo_rings()


def demo_statistics() -> None:
    """Import the West Midlands records once, so the statistics page is not empty."""
    if WEST_MIDLANDS_FOI.is_file() and not Case.objects.filter(imported=True).exists():
        import_cases(WEST_MIDLANDS_FOI)
