"""What every Word file the platform writes carries, whichever app writes it."""

from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt


def new_document(title: str):
    """A Word document with its title (shown and read out before the text), the language of the
    active translation on the file and on every style, and the platform's body font."""
    document = Document()
    language = translation.get_language()
    document.core_properties.title = title
    document.core_properties.language = language
    for tag in document.styles.element.iter(qn("w:lang")):  # the default of every style
        tag.set(qn("w:val"), language)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    return document
