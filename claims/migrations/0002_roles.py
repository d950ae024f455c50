"""The roles of DESIGN.md as groups with their permissions. The lists are frozen here, as a
migration's data must be; a later change of a role is a new migration."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    "evidence.view_study", "evidence.view_appraisal", "claims.view_article",
    "claims.view_statement", "claims.view_claim", "claims.view_finding",
    "claims.view_assessment",
]
RESEARCHER = VIEW_ALL + [
    "evidence.add_study", "evidence.change_study",
    "claims.add_finding", "claims.change_finding",
    "claims.add_statement", "claims.change_statement",
    "claims.add_claim", "claims.change_claim",
]
GRADER = RESEARCHER + [
    "evidence.add_appraisal", "evidence.change_appraisal",
    "claims.review_finding",
    "claims.add_assessment", "claims.change_assessment", "claims.publish_assessment",
    "claims.change_article",
]
ROLES = {
    "reader": [],
    "researcher": RESEARCHER,
    "grader": GRADER,
    "admin": None,  # every permission of the project's apps and of user accounts
}
ADMIN_APPS = ["evidence", "claims", "auth"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codenames is None:
            permissions = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        else:
            permissions = [
                Permission.objects.get(content_type__app_label=label, codename=codename)
                for label, codename in (entry.split(".") for entry in codenames)
            ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("evidence", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
