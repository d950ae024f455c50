"""Researchers and graders import studies (evidence.StudyImport) and resolve possible
duplicates (evidence.PossibleDuplicate); the admin group gets every permission of the new
models. Frozen lists, as in 0002."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

IMPORTING = [
    "evidence.add_studyimport", "evidence.view_studyimport",
    "evidence.view_possibleduplicate", "evidence.change_possibleduplicate",
]  # fmt: skip
GROUPS = {"researcher": IMPORTING, "grader": IMPORTING}
ADMIN_MODELS = ["studyimport", "possibleduplicate"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group = Group.objects.get(name=name)
        for entry in codenames:
            label, codename = entry.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=label, codename=codename)
            )
    Group.objects.get(name="admin").permissions.add(
        *Permission.objects.filter(
            content_type__app_label="evidence", content_type__model__in=ADMIN_MODELS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_review_workflow"),
        ("evidence", "0006_fill_match_keys"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
