# The claims list's text search on PostgreSQL's own indexes (config.search); none on SQLite.
# (Numbered 0016 beside the grade columns' 0015, made in parallel: renumber at merge.)

from django.db import migrations

from config.search import index_operations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_versions"),
    ]

    operations = [
        *index_operations("claims.Claim", fields=["text", "subject", "outcome"], partial="text"),
    ]
