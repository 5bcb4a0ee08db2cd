"""Three municipalities' social services were named without the genitive the official names
have (Härnösands, Sundsvalls, Örnsköldsviks kommun); installed databases get the names the
shipped entries now carry, whether or not they reload them."""

from django.db import migrations

NAMES = {
    "socialtjansten-harnosand": "Socialtjänsten, Härnösands kommun",
    "socialtjansten-sundsvall": "Socialtjänsten, Sundsvalls kommun",
    "socialtjansten-ornskoldsvik": "Socialtjänsten, Örnsköldsviks kommun",
}


def forwards(apps, schema_editor):
    Service = apps.get_model("support", "SupportService")
    for service in Service.objects.filter(key__in=NAMES):
        service.name = {**(service.name or {}), "sv": NAMES[service.key]}
        service.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("support", "0004_hours_as_data")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
