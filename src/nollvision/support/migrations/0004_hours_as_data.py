"""Opening hours become data (an OpenStreetMap-style spec), the old free text stays as a note;
every fact a person in need reads gets its own source and checked date; and the national
support line on honour-related violence is corrected (its hours and who runs it were wrong)."""

import nollvision.core.fields
import nollvision.core.translated
import nollvision.support.hours
from django.db import migrations, models

HONOUR_SOURCE = "https://www.hedersfortryck.se/om-oss/stodtelefonen/"
AROUND_THE_CLOCK = {"dygnet runt", "around the clock"}


def forwards(apps, schema_editor):
    Service = apps.get_model("support", "SupportService")
    for service in Service.objects.all():
        note = service.hours_note or {}
        if note and {str(v).strip().lower() for v in note.values() if v} <= AROUND_THE_CLOCK:
            service.hours = "24/7"
            service.hours_note = {}
            service.save(update_fields=["hours", "hours_note"])
    # The honour line as shipped before: "Weekdays 9-16", run by "Nationella kompetensteamet".
    # Its source says Monday, Wednesday and Friday 09:00-12:00, run by Nationellt centrum mot
    # hedersrelaterat våld och förtryck. Corrected here so that no installation keeps sending a
    # professional to a closed line, whether or not it reloads the shipped entries.
    old = Service.objects.filter(key="kompetensteamet-heder").first()
    if old is not None and not Service.objects.filter(key="stodtelefon-heder").exists():
        old.key = "stodtelefon-heder"
        old.name = {
            "sv": "Stödtelefonen om hedersrelaterat våld och förtryck",
            "en": "National support line on honour-related violence and oppression",
        }
        old.hours = "Mo,We,Fr 09:00-12:00"
        old.hours_note = {}
        old.hours_source = HONOUR_SOURCE
        old.hours_checked = "2026-12-05"
        old.operator = {
            "sv": "Nationellt centrum mot hedersrelaterat våld och förtryck",
            "en": "National centre against honour-related violence and oppression",
        }
        old.operator_source = HONOUR_SOURCE
        old.operator_checked = "2026-12-05"
        old.phone_source = HONOUR_SOURCE
        old.phone_checked = "2026-12-05"
        old.source = HONOUR_SOURCE
        old.last_verified = "2026-12-05"
        old.permanent = True
        old.save()


class Migration(migrations.Migration):
    dependencies = [("support", "0003_permanent_numbers")]

    operations = [
        migrations.RenameField("supportservice", "opening_hours", "hours_note"),
        migrations.RenameField("historicalsupportservice", "opening_hours", "hours_note"),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='hours',
            field=nollvision.core.fields.LineField(blank=True, help_text='Days and times, for example “Mo-Fr 09:00-16:00; Sa 10:00-14:00”, “Mo,We,Fr 09:00-12:00” or “24/7”; add “; PH off” when the line is closed on public holidays. Empty: the hours are not known, and the page says nothing about them.', max_length=200, validators=[nollvision.support.hours.validate_hours], verbose_name='opening hours'),
        ),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='hours_as_of',
            field=models.DateField(blank=True, help_text='The date the source itself gives for the hours, where it is older news.', null=True, verbose_name='opening hours as of'),
        ),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='hours_checked',
            field=models.DateField(blank=True, null=True, verbose_name='opening hours checked on'),
        ),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='hours_source',
            field=models.URLField(blank=True, max_length=500, verbose_name='source of the opening hours'),
        ),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='operator',
            field=nollvision.core.translated.TranslatedField(blank=True, default=dict, help_text='Who answers the line.', multiline=False, verbose_name='run by'),
        ),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='operator_checked',
            field=models.DateField(blank=True, null=True, verbose_name='who runs it checked on'),
        ),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='operator_source',
            field=models.URLField(blank=True, max_length=500, verbose_name='source of who runs it'),
        ),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='phone_checked',
            field=models.DateField(blank=True, help_text='The day someone compared the number with its source or the service.', null=True, verbose_name='number checked on'),
        ),
        migrations.AddField(
            model_name='historicalsupportservice',
            name='phone_source',
            field=models.URLField(blank=True, max_length=500, verbose_name='source of the number'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='hours',
            field=nollvision.core.fields.LineField(blank=True, help_text='Days and times, for example “Mo-Fr 09:00-16:00; Sa 10:00-14:00”, “Mo,We,Fr 09:00-12:00” or “24/7”; add “; PH off” when the line is closed on public holidays. Empty: the hours are not known, and the page says nothing about them.', max_length=200, validators=[nollvision.support.hours.validate_hours], verbose_name='opening hours'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='hours_as_of',
            field=models.DateField(blank=True, help_text='The date the source itself gives for the hours, where it is older news.', null=True, verbose_name='opening hours as of'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='hours_checked',
            field=models.DateField(blank=True, null=True, verbose_name='opening hours checked on'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='hours_source',
            field=models.URLField(blank=True, max_length=500, verbose_name='source of the opening hours'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='operator',
            field=nollvision.core.translated.TranslatedField(blank=True, default=dict, help_text='Who answers the line.', multiline=False, verbose_name='run by'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='operator_checked',
            field=models.DateField(blank=True, null=True, verbose_name='who runs it checked on'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='operator_source',
            field=models.URLField(blank=True, max_length=500, verbose_name='source of who runs it'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='phone_checked',
            field=models.DateField(blank=True, help_text='The day someone compared the number with its source or the service.', null=True, verbose_name='number checked on'),
        ),
        migrations.AddField(
            model_name='supportservice',
            name='phone_source',
            field=models.URLField(blank=True, max_length=500, verbose_name='source of the number'),
        ),
        migrations.AlterField(
            model_name='historicalsupportservice',
            name='hours_note',
            field=nollvision.core.translated.TranslatedField(blank=True, default=dict, help_text='Shown beside the hours, for what days and times cannot say.', multiline=False, verbose_name='about the opening hours'),
        ),
        migrations.AlterField(
            model_name='historicalsupportservice',
            name='last_verified',
            field=models.DateField(blank=True, help_text='The day someone checked the entry (name, web address, who it is for) with the service or its source. Empty: not verified.', null=True, verbose_name='last verified'),
        ),
        migrations.AlterField(
            model_name='historicalsupportservice',
            name='permanent',
            field=models.BooleanField(default=False, help_text='A number set nationally and long-standing (112, 114 14, 1177, the national helplines). It is checked every year like every other entry.', verbose_name='permanent national number'),
        ),
        migrations.AlterField(
            model_name='supportservice',
            name='hours_note',
            field=nollvision.core.translated.TranslatedField(blank=True, default=dict, help_text='Shown beside the hours, for what days and times cannot say.', multiline=False, verbose_name='about the opening hours'),
        ),
        migrations.AlterField(
            model_name='supportservice',
            name='last_verified',
            field=models.DateField(blank=True, help_text='The day someone checked the entry (name, web address, who it is for) with the service or its source. Empty: not verified.', null=True, verbose_name='last verified'),
        ),
        migrations.AlterField(
            model_name='supportservice',
            name='permanent',
            field=models.BooleanField(default=False, help_text='A number set nationally and long-standing (112, 114 14, 1177, the national helplines). It is checked every year like every other entry.', verbose_name='permanent national number'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
