"""Organiser-entered text in Swedish (required) and English (optional), stored as JSON.

The value is a `Translated` mapping `{"sv": ..., "en": ...}`; `str()` of it gives the text in the
active language, falling back to Swedish. Forms edit it as one text box per language.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .validators import guard_line, guard_text

PRIMARY_LANGUAGE = "sv"
# The longest text of one language, in characters: one line, or several (as core/fields.py).
LINE_MAX = 300
TEXT_MAX = 10_000


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class Translated(dict):
    """A mapping language code -> text whose string form follows the active language."""

    def get_text(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or PRIMARY_LANGUAGE).split("-")[0]
        return self.get(language) or self.get(PRIMARY_LANGUAGE) or ""

    def has_language(self, language: str) -> bool:
        return bool(self.get(language))

    @property
    def is_fallback(self) -> bool:
        """True when the active language has no text of its own and Swedish is shown."""
        language = (translation.get_language() or PRIMARY_LANGUAGE).split("-")[0]
        return not self.get(language) and bool(self.get(PRIMARY_LANGUAGE))

    def __str__(self) -> str:
        return self.get_text()

    def __html__(self) -> str:
        from django.utils.html import conditional_escape

        return str(conditional_escape(self.get_text()))


def to_translated(value: Any) -> Translated | None:
    """Accept a plain string (Swedish) or a mapping of language codes to strings."""
    if value is None:
        return None
    if isinstance(value, Translated):
        return value
    if isinstance(value, str):
        return Translated({PRIMARY_LANGUAGE: value}) if value else Translated()
    if isinstance(value, Mapping):
        return Translated({str(key): val for key, val in value.items() if val not in (None, "")})
    raise ValidationError(_("Expected text or a mapping of language codes to text."))


class TranslatedWidget(forms.MultiWidget):
    template_name = "core/widgets/translated.html"

    def __init__(self, multiline: bool = True, attrs=None):
        self.languages = language_codes()
        widgets = [
            forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput()
            for _code in self.languages
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = to_translated(value) or Translated()
        return [value.get(code, "") for code in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(self.languages, context["widget"]["subwidgets"], strict=True):
            sub["language_name"] = names[code]
            sub["language_code"] = code
        return context


class TranslatedFormField(forms.MultiValueField):
    def __init__(self, *, multiline: bool = True, required: bool = True, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        languages = language_codes()
        limit = TEXT_MAX if multiline else LINE_MAX
        guard = guard_text if multiline else guard_line
        fields = [
            forms.CharField(required=False, max_length=limit, validators=[guard], strip=False)
            for _code in languages
        ]
        super().__init__(
            fields=fields,
            widget=TranslatedWidget(multiline=multiline),
            require_all_fields=False,
            required=required,
            **kwargs,
        )
        self.languages = languages

    def compress(self, data_list):
        if not data_list:
            return Translated()
        return Translated(
            {
                code: text.strip()
                for code, text in zip(self.languages, data_list, strict=False)
                if text
            }
        )

    def validate(self, value):
        if self.required and not (value or {}).get(PRIMARY_LANGUAGE):
            raise ValidationError(_("Swedish text is required."), code="required")


class _TranslatedDescriptor:
    """Turns whatever is assigned (text or a mapping) into a `Translated` value."""

    def __init__(self, field_name: str):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__.get(self.field_name)

    def __set__(self, instance, value):
        instance.__dict__[self.field_name] = to_translated(value)


class TranslatedField(models.JSONField):
    """Text in Swedish (required unless blank=True) and English (optional)."""

    description = _("Text in Swedish and English")

    def __init__(self, *args, multiline: bool = True, **kwargs):
        self.multiline = multiline
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if not self.multiline:
            kwargs["multiline"] = False
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.attname, _TranslatedDescriptor(self.attname))

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return to_translated(value) if isinstance(value, dict | str) else value

    def to_python(self, value):
        return to_translated(value)

    def get_prep_value(self, value):
        if isinstance(value, Translated):
            value = dict(value)
        return super().get_prep_value(value)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        value = to_translated(value) or Translated()
        unknown = set(value) - set(language_codes())
        if unknown:
            raise ValidationError(
                _("Unknown language code: %(codes)s"), params={"codes": ", ".join(sorted(unknown))}
            )
        if any(not isinstance(text, str) for text in value.values()):
            raise ValidationError(_("Every translation must be text."))
        if not self.blank and not value.get(PRIMARY_LANGUAGE):
            raise ValidationError(_("Swedish text is required."), code="required")
        # Every language's text carries the guards of what people write (core/validators.py).
        limit = TEXT_MAX if self.multiline else LINE_MAX
        for text in value.values():
            (guard_text if self.multiline else guard_line)(text)
            MaxLengthValidator(limit)(text)

    def formfield(self, **kwargs):
        return TranslatedFormField(
            multiline=self.multiline,
            required=not self.blank,
            label=kwargs.get("label") or capfirst(self.verbose_name),
            help_text=self.help_text,
        )
