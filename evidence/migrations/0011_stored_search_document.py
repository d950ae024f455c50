# The text search's vector stored in a generated column and GIN-indexed on PostgreSQL (the
# index moves from the expression to the column: config.search); a NULL column on SQLite.

import config.search
from config.search import document_index_operations
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0010_title_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="study",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=config.search.StoredDocument("title", "journal"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        *document_index_operations(
            "evidence.Study", fields=["title", "journal"], column="search_document"
        ),
    ]
