"""Study vectors (claims.intake.study_vectors). On PostgreSQL: the pgvector extension first (the
column's type is `vector(N)`), and an HNSW index for the cosine distance after; SQLite stores
blobs and needs neither, so both steps are skipped there."""

import claims.intake.study_vectors
import django.db.models.deletion
from django.db import migrations, models


HNSW_INDEX = "claims_studyvector_vector_hnsw"


def _on_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def create_extension(apps, schema_editor):
    if not _on_postgresql(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone() is None:
            raise RuntimeError(
                "This PostgreSQL server has no pgvector extension ('vector'), which the study "
                "vectors need. Install it on the server: scripts/install_pgvector.sh (Debian's "
                "postgresql-<version>-pgvector, or built from Debian's pgvector source)."
            )
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS vector")


def create_index(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute(
            f"CREATE INDEX {HNSW_INDEX} ON claims_studyvector "
            "USING hnsw (vector vector_cosine_ops)"
        )


def drop_index(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {HNSW_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0009_intake_dismissals'),
        ('evidence', '0006_fill_match_keys'),
    ]

    operations = [
        # The extension stays when the migration is reversed: other database objects may use it.
        migrations.RunPython(create_extension, migrations.RunPython.noop, elidable=False),
        migrations.CreateModel(
            name='StudyVector',
            fields=[
                ('study', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='vector', serialize=False, to='evidence.study')),
                ('vector', claims.intake.study_vectors.VectorField(dimensions=256)),
                ('model_name', models.CharField(help_text="The encoder that made the vector; another model's is stale.", max_length=200)),
                ('text_hash', models.CharField(help_text='SHA-256 of the text embedded (title and abstract).', max_length=64)),
                ('embedded_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'study vector',
            },
        ),
        migrations.RunPython(create_index, drop_index),
    ]
