# The text search's vector stored in a generated column and GIN-indexed on PostgreSQL (the
# index moves from the expression to the column: config.search); a NULL column on SQLite.

import config.search
from config.search import document_index_operations
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_claim_text_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=config.search.StoredDocument("text", "subject", "outcome"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        *document_index_operations(
            "claims.Claim", fields=["text", "subject", "outcome"], column="search_document"
        ),
    ]
