"""Model fields for what people write. The guards (core/validators.py) and the length limit sit
on the field, so every form, the admin, the Excel and CSV uploads, the plan importer and every
service that calls `full_clean()` inherit them. `src/tests/test_text_guards.py` walks every
field of every model and fails on a text field without them."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _

from .translated import LINE_MAX, TEXT_MAX

__all__ = ["LINE_MAX", "TEXT_MAX", "FreeTextField", "GuardedJSONField", "LineField", "length_hint"]
from .validators import guard_line, guard_text


def _length_hint(limit: int) -> str:
    return _("At most %(limit)s characters.") % {"limit": f"{limit:,}".replace(",", "\u00a0")}


# Said in the language of the page that shows it, not of the moment the form was defined.
length_hint = lazy(_length_hint, str)


class LineField(models.CharField):
    """One line of text people write (a title, a name, a place): guarded, no line breaks."""

    default_validators = [guard_line]

    def __init__(self, *args, max_length: int = LINE_MAX, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)


class FreeTextField(models.TextField):
    """Text of several lines people write (an answer, minutes, a decision): guarded and limited
    in length (in the model's validation, not only in the form's `maxlength`)."""

    default_validators = [guard_text]

    def __init__(self, *args, max_length: int = TEXT_MAX, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length)]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


class GuardedJSONField(models.JSONField):
    """JSON whose strings people wrote (the options of a question, a text answer, the analysis
    per goal): every string inside is guarded and limited in length."""

    def __init__(self, *args, multiline: bool = True, max_length: int | None = None, **kwargs):
        self.multiline = multiline
        self.text_max = max_length or (TEXT_MAX if multiline else LINE_MAX)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if not self.multiline:
            kwargs["multiline"] = False
        if self.text_max != (TEXT_MAX if self.multiline else LINE_MAX):
            kwargs["max_length"] = self.text_max
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        guard = guard_text if self.multiline else guard_line
        for text in _strings(value):
            guard(text)
            MaxLengthValidator(self.text_max)(text)
