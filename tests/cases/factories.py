"""Small, real evidence files made on the fly (no binary fixtures in the repository), and
reports as their owners, staff and analysts meet them."""

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PIL import Image, ImageDraw

from dontpay.cases.models import Report
from dontpay.cases.reports import NewReport, OpenedReport, create_report
from dontpay.cases.sharing import consent_to_linking, send_report
from dontpay.cases.vault import holding_owner_key
from dontpay.domain.reports import SECTIONS


def screenshot(text: str = "Pay 500 GBP by Friday or everyone sees it", size=(360, 640)) -> bytes:  # type: ignore[no-untyped-def]
    """A PNG that looks like a chat screenshot with one message bubble."""
    image = Image.new("RGB", size, (236, 229, 221))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 40, size[0] - 40, 120), 12, fill=(255, 255, 255))
    draw.text((28, 60), text, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def camera_photo() -> bytes:
    """A JPEG whose EXIF says a camera took it (make, model and exposure time)."""
    image = Image.new("RGB", (64, 48), (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS 2000D"
    exif.get_ifd(0x8769)[0x829A] = 0.008
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@contextmanager
def held(created: NewReport | OpenedReport) -> Iterator[Report]:
    """Run the block as the report's owner would: holding its data key, as their requests do."""
    with holding_owner_key(created.report.pk, created.key):
        yield created.report


def sent_report(
    jurisdiction: str = "GB",
    under_18: bool | None = None,
    *,
    linked: bool = True,
    fill: Callable[[Report], object] | None = None,
    answers: dict[str, object] | None = None,
) -> Report:
    """A report as staff and analysts meet it: filled in by `fill` (holding the owner's key),
    then sent with every section and file, and, if `linked`, with consent to link it."""
    created = create_report(jurisdiction, under_18, answers=answers)
    with held(created) as report:
        if fill is not None:
            fill(report)
        send_report(
            report, {s.slug for s in SECTIONS}, report.evidence.values_list("pk", flat=True)
        )
        if linked:
            consent_to_linking(report)
    report.refresh_from_db()
    return report
