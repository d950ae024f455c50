# The claims list's text search on PostgreSQL's own indexes (config.search), none on SQLite;
# the API's findings of one review status in their order.
# (Numbered 0016 beside the grade columns' 0015, made in parallel: renumber at merge.)

from django.db import migrations, models

from config.search import index_operations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_claim_grade_columns"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["status", "id"], name="finding_status_order"),
        ),
        *index_operations("claims.Claim", fields=["text", "subject", "outcome"], partial="text"),
    ]
