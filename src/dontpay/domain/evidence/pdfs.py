"""PDF evidence: it must open, be readable without a password and be of a sensible length."""

from io import BytesIO

from dontpay.domain.words import words

from .checked import PDF, CheckedEvidence
from .errors import DamagedFile, EvidenceTooLarge

PDF_SIGNATURE = b"%PDF-"
MAX_PDF_PAGES = 500
_DAMAGED = words("This PDF is damaged, so we cannot open it.")


def looks_like_pdf(data: bytes) -> bool:
    """Whether the content starts with the PDF signature; we refuse junk in front of it."""
    return data.startswith(PDF_SIGNATURE)


def check_pdf(data: bytes) -> CheckedEvidence:
    """Parse the PDF's structure and count its pages; page content is not rendered here.

    pypdf is imported at the first PDF: most processes never check one."""
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise DamagedFile(
                words(
                    "This PDF is protected by a password, so we cannot open it. "
                    "Please save a copy without the password and upload that."
                )
            )
        pages = len(reader.pages)
    except DamagedFile:
        raise
    except Exception as error:  # pypdf raises many types on hostile input; all mean damaged.
        raise DamagedFile(_DAMAGED) from error
    if pages == 0:
        raise DamagedFile(words("This PDF has no pages."))
    if pages > MAX_PDF_PAGES:
        raise EvidenceTooLarge(words("This PDF has more than {count} pages.", count=MAX_PDF_PAGES))
    return CheckedEvidence(PDF, "application/pdf", ".pdf", None, None)
