from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and grades"

    def ready(self):
        # evidence/ knows nothing of claims: an import tells whoever registered here which
        # studies it created, and claims embeds them for the candidate studies of a claim.
        from claims.intake.candidates import study_vectors_refresh_on_commit
        from evidence.services import studies_imported_hooks

        if study_vectors_refresh_on_commit not in studies_imported_hooks:
            studies_imported_hooks.append(study_vectors_refresh_on_commit)
