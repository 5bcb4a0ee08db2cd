"""Every county and municipality of Sweden (and the nation) as an area, from the official list
shipped in accounts/data/sweden.yaml: the support finder and the counties' set-up need them all."""

from django.db import migrations


def load_areas(apps, schema_editor):
    from nollvision.accounts import geography

    Area = apps.get_model("indicators", "Area")
    wanted = {"0000": ("Riket", "nation")}
    for county in geography.counties():
        wanted[county.area_code] = (county.name, "county")
        for municipality in county.municipalities:
            wanted[municipality.code] = (municipality.name, "municipality")
    existing = set(Area.objects.filter(code__in=wanted).values_list("code", flat=True))
    Area.objects.bulk_create(
        [
            Area(code=code, name=name, level=level)
            for code, (name, level) in wanted.items()
            if code not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_counts_people")]

    operations = [migrations.RunPython(load_areas, migrations.RunPython.noop)]
