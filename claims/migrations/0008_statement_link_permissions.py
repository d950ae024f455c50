"""Researchers and graders link statements to claims (claims.StatementClaim): researchers
propose links, graders publish them; the admin group gets every permission of the new model.
Frozen lists, as in 0002."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LINKING = [
    "claims.add_statementclaim", "claims.change_statementclaim",
    "claims.delete_statementclaim", "claims.view_statementclaim",
]  # fmt: skip
GROUPS = {"researcher": LINKING, "grader": LINKING, "admin": LINKING}


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


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_statement_claims_through_links")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
