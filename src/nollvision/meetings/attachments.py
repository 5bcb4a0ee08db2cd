"""Which files may be attached to a meeting: PDF and office documents, checked by their content
as well as their name, and no larger than NOLLVISION_ATTACHMENT_MAX_BYTES."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Attachment

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Word and Excel format

# extension → (content type, how the content must start, what a zip must hold)
ALLOWED = {
    "pdf": ("application/pdf", b"%PDF-", None),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
        "word/document.xml",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
        "xl/workbook.xml",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
        "ppt/presentation.xml",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04", "content.xml"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04", "content.xml"),
    "doc": ("application/msword", OLE, None),
    "xls": ("application/vnd.ms-excel", OLE, None),
}


class AttachmentRefused(ValueError):
    pass


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    size: int


def check_attachment(uploaded) -> Checked:
    """Raise AttachmentRefused with a message for the person, or say what the file is."""
    limit = settings.NOLLVISION_ATTACHMENT_MAX_BYTES
    name = (uploaded.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    try:  # a file name is shown to the group like any text: the same guards
        Attachment._meta.get_field("name").run_validators(name)
    except ValidationError as error:
        raise AttachmentRefused(
            _("The file's name: %(problem)s Rename the file and attach it again.")
            % {"problem": " ".join(error.messages)}
        ) from None
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise AttachmentRefused(
            _("%(name)s: only PDF and office files (%(types)s) can be attached.")
            % {"name": name, "types": ", ".join(sorted(ALLOWED))}
        )
    if uploaded.size > limit:
        raise AttachmentRefused(
            _("%(name)s is %(size)s; attachments may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )
    content_type, magic, member = ALLOWED[extension]
    uploaded.seek(0)
    head = uploaded.read(len(magic))
    uploaded.seek(0)
    valid = head == magic
    if valid and member:
        try:
            with zipfile.ZipFile(uploaded) as archive:
                valid = member in archive.namelist()
        except zipfile.BadZipFile:
            valid = False
        uploaded.seek(0)
    if not valid:
        raise AttachmentRefused(
            _("%(name)s is not a real .%(extension)s file.")
            % {"name": name, "extension": extension}
        )
    return Checked(name=name, content_type=content_type, size=uploaded.size)
