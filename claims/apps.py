from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and grades"

    def ready(self):
        # evidence/ knows nothing of claims: an import tells whoever registered here which
        # studies it created, and claims embeds them for the candidate studies of a claim; and
        # which stored studies it found retracted, and claims regrades their claims and flags
        # their published grades for review.
        from claims.intake.candidates import study_vectors_refresh_on_commit
        from claims.services import claims_flag_for_review
        from evidence.services import studies_imported_hooks, studies_retracted_hooks

        if study_vectors_refresh_on_commit not in studies_imported_hooks:
            studies_imported_hooks.append(study_vectors_refresh_on_commit)
        if claims_flag_for_review not in studies_retracted_hooks:
            studies_retracted_hooks.append(claims_flag_for_review)
