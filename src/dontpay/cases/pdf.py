"""Every PDF the product makes (the report in a pack, the FOI statistics), made one way.

* Tagged PDF/UA-1, so screen readers can read the headings, tables and reading order and
  the document carries its title and language.
* Fonts from Debian's Noto families (``fonts-noto-core``, ``fonts-noto-color-emoji``), so a
  display name with an emoji or in Greek, Arabic or Devanagari prints as written instead of
  as missing-glyph boxes; DejaVu is the fallback where Noto is not installed.
* Nothing is fetched: images arrive as ``data:`` URIs.
"""

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from PIL import ImageFile

if TYPE_CHECKING:
    import weasyprint

#: The PDF variant WeasyPrint writes: tagged, with structure for assistive technology.
PDF_VARIANT = "pdf/ua-1"


def laid_out(template: str, context: dict[str, Any]) -> "weasyprint.Document":
    """The template laid out in pages, without any network access.

    WeasyPrint is imported here, at the first PDF, because it costs more than a second of start-up
    that most processes (the worker, every command) never need."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Importing WeasyPrint switches on Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would
    # make every later evidence check accept truncated images. Our PDFs embed complete thumbnails.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    html = render_to_string(template, context)
    data_only = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=data_only).render(pdf_variant=PDF_VARIANT)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template rendered as a tagged PDF."""
    pdf: bytes = laid_out(template, context).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
