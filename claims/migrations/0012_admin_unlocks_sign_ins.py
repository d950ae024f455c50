"""The admin group unlocks sign-ins locked after repeated failures: every permission on
django-axes' records (unlocking is deleting the access attempt). Frozen lists, as in 0002."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_MODELS = {"axes": ["accessattempt", "accesslog", "accessfailurelog"]}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin = Group.objects.get(name="admin")
    for label, models in ADMIN_MODELS.items():
        admin.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=label, content_type__model__in=models
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_claim_edit_proposals"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
