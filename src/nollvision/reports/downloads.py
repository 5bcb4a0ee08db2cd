"""A published report's frozen file as a response, the same bytes for the back office and the
public record: HTML shown in the browser (with its inline styles allowed by hash), the other
formats as downloads under the name they were published with."""

from django.http import FileResponse, Http404, HttpResponse

from .documents import FORMATS, style_hashes


def published_file_response(publication, fmt: str, *, public: bool = False):
    """The full edition's file (the back office), or with `public` the public edition's: a
    publication whose public edition is not built yet has no public files."""
    kind = FORMATS.get(fmt)
    if publication is None or kind is None:
        raise Http404
    stored = getattr(publication, kind.field_of(public=public))
    if not stored:
        raise Http404  # published before the format (or the public edition) existed
    if kind.is_html:
        with stored.open("rb") as file:
            data = file.read()
        response = HttpResponse(data, content_type=kind.content_type)
        response._csp_update = {"style-src": style_hashes(data)}
        return response
    return FileResponse(
        stored.open("rb"),
        content_type=kind.content_type,
        as_attachment=True,
        filename=stored.name.rsplit("/", 1)[-1],
    )
