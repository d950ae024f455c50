from django.db import migrations

from evidence import matching


def fill_match_keys(apps, schema_editor):
    Study = apps.get_model("evidence", "Study")
    studies = list(Study.objects.only("id", "title", "authors"))
    for study in studies:
        study.title_key = matching.title_key(study.title)
        study.author_key = matching.author_key(study.authors)
    Study.objects.bulk_update(studies, ["title_key", "author_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0005_import_fields_and_duplicates")]

    operations = [migrations.RunPython(fill_match_keys, migrations.RunPython.noop)]
