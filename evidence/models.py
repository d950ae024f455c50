from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Length, Lower, Upper
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config import search
from config.versions import Versioned, version_positive
from evidence import matching
from evidence.citations import short_label
from evidence.identifiers import (
    DOI_PREFIXES,
    PMCID_PATTERN,
    PMID_PATTERN,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)
from evidence.importers import FORMAT_CHOICES


class Design(models.TextChoices):
    RCT = "rct", "Randomised controlled trial"
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
    META_ANALYSIS = "meta_analysis", "Meta-analysis"
    COHORT = "cohort", "Cohort study"
    CASE_CONTROL = "case_control", "Case-control study"
    CROSS_SECTIONAL = "cross_sectional", "Cross-sectional study"
    CASE_SERIES = "case_series", "Case series"
    CASE_REPORT = "case_report", "Case report"
    NARRATIVE_REVIEW = "narrative_review", "Narrative review"
    EXPERT_OPINION = "expert_opinion", "Expert opinion"
    ANIMAL = "animal", "Animal experiment"
    IN_VITRO = "in_vitro", "In-vitro experiment"


class Population(models.TextChoices):
    HUMAN = "human", "Humans"
    ANIMAL = "animal", "Animals"
    IN_VITRO = "in_vitro", "In vitro"
    MIXED = "mixed", "Mixed (humans and laboratory)"


def high_risk_of_bias(appraisals):
    """Whether the latest complete one of a study's appraisals (with complete_details()) judges
    it at high risk of bias overall; None when none is complete."""
    complete = [a for a in appraisals if a.is_complete]
    latest = max(complete, key=lambda a: a.updated_at, default=None)
    return latest.overall.high_risk if latest else None


def _count(queryset):
    """A correlated COUNT(*) subquery, 0 when there is no row."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))


def complete_appraisals_of(study):
    """The appraisals of the study `study` names (an OuterRef) that judge every domain of their
    tool (Appraisal.is_complete, in the database)."""
    return (
        Appraisal.objects.filter(study=study)
        .annotate(
            judged=_count(DomainJudgement.objects.filter(appraisal=OuterRef("pk"))),
            domains=_count(ToolDomain.objects.filter(tool=OuterRef("tool_id"))),
        )
        .filter(judged=F("domains"), domains__gt=0)
    )


def high_risk_of_bias_of(study):
    """high_risk_of_bias() as an expression, for the study `study` names (an OuterRef): whether
    its latest complete appraisal judges it at high risk of bias overall (the override, else the
    most severe domain judgement), null when none is complete. For reading many studies' risk
    of bias in the query that reads them, without loading their appraisals."""
    worst = (
        DomainJudgement.objects.filter(appraisal=OuterRef("pk"))
        .order_by("-judgement__severity")
        .values("judgement__high_risk")[:1]
    )
    latest_complete = (
        complete_appraisals_of(study)
        .order_by("-updated_at")
        .annotate(high_risk=Coalesce("overall_override__high_risk", Subquery(worst)))
        .values("high_risk")[:1]
    )
    return Subquery(latest_complete, output_field=models.BooleanField(null=True))


# What the text search reads (config.search): the index of migration 0009 is built from it.
STUDY_SEARCH = {"fields": ["title", "journal"], "partial": "title", "document": "search_document"}


class StudyQuerySet(models.QuerySet):
    def with_appraisals(self):
        """Studies with what at_high_risk_of_bias() and the traffic light need."""
        return self.prefetch_related(
            models.Prefetch("appraisals", queryset=Appraisal.objects.complete_details())
        )

    def for_list(self):
        return self.only(
            "id",
            "title",
            "authors",
            "journal",
            "year",
            "design",
            "design_guessed",
            "population",
            "population_guessed",
            "participants",
            "doi",
            "pmid",
            "pmcid",
            "retracted",
        ).order_by("-year", "title", "id")

    def search(self, text):
        """Studies with the words in their title or journal (part of a word: in the title), the
        most relevant first (config.search)."""
        return search.ranked(self, text, **STUDY_SEARCH)

    def matching(self, text):
        """As search(), in the queryset's own order."""
        return search.matching(self, text, **STUDY_SEARCH)

    def found_by(self, text):
        """The admin's search: a DOI (a link to one too), a PMID or a PMCID finds its study by
        its unique index; other text as matching(). `icontains` over the title, journal and
        identifiers read every study (133 ms at a million, docs/benchmarks.md)."""
        text = text.strip()
        if text.lower().startswith(("10.", *DOI_PREFIXES)):
            return self.filter(doi=normalize_doi(text))
        if PMID_PATTERN.match(normalize_pmid(text)):
            by_pmid = self.filter(pmid=normalize_pmid(text))
            return by_pmid if by_pmid.exists() else self.matching(text)
        if PMCID_PATTERN.match(text.upper()):
            return self.filter(pmcid=normalize_pmcid(text))
        return self.matching(text)

    def for_api(self):
        """Every field the API shows, in the order they were added (the API pages through
        them by id)."""
        return self.defer("title_key", "author_key", "search_document").order_by("id")

    def for_export(self):
        """Every field an export writes, in the order of the list."""
        return self.defer("title_key", "author_key", "search_document").order_by(
            "-year", "title", "id"
        )


# The longest title a study may have. The list's orders are indexed on the title, and an entry
# of a PostgreSQL B-tree index holds at most about 2,700 bytes: 800 characters of up to 3 bytes
# each fit; a longer "title" is another field (an abstract) read into the wrong one.
TITLE_MAX_LENGTH = 800


class Study(Versioned):
    title = models.TextField(
        validators=[
            MaxLengthValidator(
                TITLE_MAX_LENGTH,
                message="A title has at most %(limit_value)d characters (this one has "
                "%(show_value)d): is another field, such as the abstract, in the title?",
            )
        ]
    )
    authors = models.JSONField(
        default=list, blank=True, help_text="Author names in order, e.g. “de Vries F”."
    )
    authors_incomplete = models.BooleanField(
        default=False, help_text="The list stops short of the full author list."
    )
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    doi = models.CharField(
        "DOI",
        max_length=255,
        blank=True,
        help_text="Stored without https://doi.org/, in lower case.",
    )
    pmid = models.CharField(
        "PMID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(PMID_PATTERN, "A PMID is digits only.")],
    )
    pmcid = models.CharField(
        "PMCID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(PMCID_PATTERN, "A PMCID looks like PMC1234567.")],
    )
    abstract = models.TextField(blank=True)
    keywords = models.JSONField(
        default=list, blank=True, help_text="Keywords and MeSH headings, as the source gave them."
    )
    language = models.CharField(max_length=100, blank=True, help_text="e.g. eng, English")
    url = models.URLField(blank=True, max_length=500)
    publication_types = models.JSONField(
        default=list,
        blank=True,
        help_text="As the source listed them (e.g. “Randomized Controlled Trial”); an import "
        "guesses the design from them.",
    )
    design = models.CharField(
        max_length=30, choices=Design, blank=True, help_text="Empty: not yet classified."
    )
    design_guessed = models.BooleanField(
        "design is a guess",
        default=False,
        help_text="Guessed by an import from the publication types; untick once a person has "
        "checked it.",
    )
    pools_randomised = models.BooleanField(
        "pools randomised trials",
        null=True,
        blank=True,
        help_text="Systematic reviews and meta-analyses only: whether the pooled studies are "
        "randomised trials. Unknown counts as observational.",
    )
    population = models.CharField(
        max_length=20, choices=Population, blank=True, help_text="Empty: not yet classified."
    )
    population_guessed = models.BooleanField(
        "population is a guess",
        default=False,
        help_text="Guessed by an import from MeSH (Humans, Animals); untick once a person has "
        "checked it.",
    )
    participants = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of participants (human studies), when stated."
    )
    retracted = models.BooleanField(default=False)
    retracted_on = models.DateField(null=True, blank=True)
    retraction_notice_url = models.URLField(blank=True, max_length=500)
    # Match keys for finding probable duplicates (evidence.matching), kept by set_match_keys.
    title_key = models.CharField(max_length=matching.TITLE_KEY_LENGTH, blank=True, editable=False)
    author_key = models.CharField(max_length=matching.AUTHOR_KEY_LENGTH, blank=True, editable=False)
    # The text search's words of the title and journal, computed by the database (config.search).
    search_document = models.GeneratedField(
        expression=search.StoredDocument(*STUDY_SEARCH["fields"]),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["title_key", "author_key", "search_document"])

    objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "studies"
        constraints = [
            version_positive("study"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("title"), TITLE_MAX_LENGTH),
                name="study_title_max_length",
            ),
            models.UniqueConstraint(fields=["doi"], condition=~Q(doi=""), name="study_doi_unique"),
            models.UniqueConstraint(
                fields=["pmid"], condition=~Q(pmid=""), name="study_pmid_unique"
            ),
            models.UniqueConstraint(
                fields=["pmcid"], condition=~Q(pmcid=""), name="study_pmcid_unique"
            ),
            models.CheckConstraint(
                condition=Q(doi="") | (Q(doi__startswith="10.") & Q(doi=Lower("doi"))),
                name="study_doi_normalized",
                violation_error_message="A DOI is stored as 10.xxxx/... in lower case.",
            ),
            models.CheckConstraint(
                condition=Q(pmcid="") | (Q(pmcid__startswith="PMC") & Q(pmcid=Upper("pmcid"))),
                name="study_pmcid_normalized",
            ),
            models.CheckConstraint(
                condition=Q(pools_randomised__isnull=True)
                | Q(design__in=["systematic_review", "meta_analysis"]),
                name="study_pools_randomised_only_for_reviews",
                violation_error_message="Only systematic reviews and meta-analyses pool trials.",
            ),
            models.CheckConstraint(
                condition=Q(retracted=True)
                | (Q(retracted_on__isnull=True) & Q(retraction_notice_url="")),
                name="study_retraction_details_only_when_retracted",
            ),
        ]
        # Every order of the study list (StudyFilter's sort, ties broken by id in the same
        # direction) read from an index, forwards or backwards, so a page never sorts the whole
        # library; one index an order, since each is kept up on every import. The text search's indexes are
        # PostgreSQL's own, created by migration 0009 (config.search).
        indexes = [
            models.Index(fields=["-year", "title", "id"], name="study_list_order"),
            models.Index(fields=["year", "id"], name="study_year_order"),
            models.Index(fields=["title", "id"], name="study_title_order"),
            models.Index(fields=["participants", "id"], name="study_participants_order"),
            models.Index(fields=["design"]),
            models.Index(fields=["title_key"]),
            models.Index(fields=["author_key"]),
        ]

    def __str__(self):
        return f"{self.short_label}: {self.title[:80]}"

    def save(self, *args, **kwargs):
        self.set_match_keys()
        super().save(*args, **kwargs)

    def set_match_keys(self):
        self.title_key = matching.title_key(self.title)
        self.author_key = matching.author_key(self.authors)

    def clean_fields(self, exclude=None):
        # Identifiers are normalized before they are validated: any accepted spelling of one
        # DOI is stored one way.
        self.doi = normalize_doi(self.doi)
        self.pmid = normalize_pmid(self.pmid)
        self.pmcid = normalize_pmcid(self.pmcid)
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.doi and not self.doi.startswith("10."):
            raise ValidationError({"doi": "A DOI starts with 10. (e.g. 10.1210/clinem/dgz022)."})
        if self.pools_randomised is not None and self.design not in (
            Design.SYSTEMATIC_REVIEW,
            Design.META_ANALYSIS,
        ):
            raise ValidationError(
                {"pools_randomised": "Only for systematic reviews and meta-analyses."}
            )
        if not self.retracted and (self.retracted_on or self.retraction_notice_url):
            raise ValidationError({"retracted": "Tick “retracted” to record a retraction."})
        if self.retracted and not (self.retracted_on and self.retraction_notice_url):
            raise ValidationError(
                {
                    "retracted_on": "A retraction is recorded with its date and the address of "
                    "its notice, so readers can check it.",
                }
            )

    @property
    def is_classified(self):
        """Its design and population are known: until then the grading rules cannot place a
        finding on it, so it does not count (claims.grading, SetAside.UNCLASSIFIED)."""
        return bool(self.design and self.population)

    @property
    def short_label(self):
        """'de Vries 2020' for a reference in running text."""
        return short_label(self.authors, self.journal, self.year)

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def pmc_url(self):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/" if self.pmcid else ""

    def at_high_risk_of_bias(self):
        """Whether the latest complete appraisal judges the study at high risk of bias overall;
        None when nobody has appraised it yet. Needs StudyQuerySet.with_appraisals()."""
        return high_risk_of_bias(self.appraisals.all())


class AppraisalToolQuerySet(models.QuerySet):
    def for_design(self, design):
        """The tools that appraise studies of this design, each with its domains and judgements.
        A JSON list is searched in Python: there are a handful of tools."""
        tools = self.prefetch_related("domains", "judgements").order_by("name")
        return [tool for tool in tools if design in tool.designs]


class AppraisalTool(models.Model):
    """A risk-of-bias tool as data: its domains, its allowed judgements, their order. A new tool
    is a new record (RoB 2, ROBINS-I and a generic laboratory tool come with migrations)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    designs = models.JSONField(
        default=list, help_text='The study designs it appraises, e.g. ["rct"].'
    )
    history = HistoricalRecords()

    objects = AppraisalToolQuerySet.as_manager()

    def __str__(self):
        return self.name


class ToolDomain(models.Model):
    tool = models.ForeignKey(AppraisalTool, on_delete=models.CASCADE, related_name="domains")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["tool", "order"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "order"], name="tool_domain_order_unique"),
        ]

    def __str__(self):
        return self.name


class ToolJudgement(models.Model):
    """An allowed judgement of a tool. Severity orders them (0 is the best); the overall
    judgement of an appraisal is its most severe domain."""

    tool = models.ForeignKey(AppraisalTool, on_delete=models.CASCADE, related_name="judgements")
    value = models.SlugField(max_length=30)
    label = models.CharField(max_length=50)
    severity = models.PositiveSmallIntegerField()
    high_risk = models.BooleanField(
        default=False, help_text="Counts as high risk of bias in the grading rules."
    )

    class Meta:
        ordering = ["tool", "severity"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "value"], name="tool_judgement_value_unique"),
            models.UniqueConstraint(
                fields=["tool", "severity"], name="tool_judgement_severity_unique"
            ),
        ]

    def __str__(self):
        return self.label


class AppraisalQuerySet(models.QuerySet):
    def complete_details(self):
        return self.select_related("tool", "appraiser", "overall_override").prefetch_related(
            "tool__domains",
            "tool__judgements",
            models.Prefetch(
                "domain_judgements",
                queryset=DomainJudgement.objects.select_related("domain", "judgement"),
            ),
        )


class Appraisal(Versioned):
    """A grader's risk-of-bias appraisal of a study with the tool for its design: a judgement
    and its support for every domain. The overall judgement is the worst domain unless the
    grader overrides it, with a justification."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="appraisals")
    tool = models.ForeignKey(AppraisalTool, on_delete=models.PROTECT, related_name="appraisals")
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appraisals"
    )
    overall_override = models.ForeignKey(
        ToolJudgement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only to depart from the worst domain, with a justification.",
    )
    override_justification = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        # The admin's list of appraisals, the latest first (AppraisalAdmin.ordering).
        indexes = [models.Index(fields=["updated_at", "id"], name="appraisal_updated_order")]
        constraints = [
            version_positive("appraisal"),
            models.UniqueConstraint(
                fields=["study", "appraiser"], name="appraisal_one_per_study_and_appraiser"
            ),
            models.CheckConstraint(
                condition=Q(overall_override__isnull=True) | ~Q(override_justification=""),
                name="appraisal_override_justified",
                violation_error_message="Overriding the overall judgement needs a justification.",
            ),
        ]

    def __str__(self):
        return f"{self.study.short_label}: {self.tool.name} by {self.appraiser}"

    def clean(self):
        if self.study_id and self.tool_id and self.study.design not in self.tool.designs:
            raise ValidationError(
                {"tool": f"{self.tool.name} does not appraise {self.study.get_design_display()}."}
            )
        if self.overall_override_id and self.overall_override.tool_id != self.tool_id:
            raise ValidationError({"overall_override": "A judgement of another tool."})

    # These read the prefetched rows of AppraisalQuerySet.complete_details().

    def judgement_for(self, domain):
        return next((j for j in self.domain_judgements.all() if j.domain_id == domain.pk), None)

    @property
    def is_complete(self):
        return len(self.domain_judgements.all()) == len(self.tool.domains.all()) > 0

    @property
    def derived_overall(self):
        """The worst domain judgement, or None until every domain is judged."""
        if not self.is_complete:
            return None
        return max((j.judgement for j in self.domain_judgements.all()), key=lambda j: j.severity)

    @property
    def overall(self):
        return self.overall_override or self.derived_overall


class DomainJudgement(models.Model):
    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="domain_judgements"
    )
    domain = models.ForeignKey(ToolDomain, on_delete=models.PROTECT, related_name="+")
    judgement = models.ForeignKey(ToolJudgement, on_delete=models.PROTECT, related_name="+")
    support = models.TextField(help_text="What in the study supports the judgement.")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "domain"], name="domain_judgement_one_per_domain"
            ),
            models.CheckConstraint(condition=~Q(support=""), name="domain_judgement_supported"),
        ]

    def __str__(self):
        return f"{self.domain}: {self.judgement}"

    def clean(self):
        tool_id = self.appraisal.tool_id
        if self.domain.tool_id != tool_id or self.judgement.tool_id != tool_id:
            raise ValidationError(
                "The domain and the judgement must belong to the appraisal's tool."
            )


class PossibleDuplicate(models.Model):
    """An imported study that may be another record of a stored one, flagged for a person to
    merge or keep. Never merged silently."""

    class Resolution(models.TextChoices):
        OPEN = "open", "Open: a person has to decide"
        KEPT = "kept", "Kept both: different studies"

    study = models.ForeignKey(
        Study,
        on_delete=models.CASCADE,
        related_name="duplicate_flags",
        help_text="The imported study.",
    )
    duplicate_of = models.ForeignKey(
        Study,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The study it may duplicate.",
    )
    reason = models.CharField(max_length=200)
    resolution = models.CharField(
        max_length=10, choices=Resolution, default=Resolution.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "possible duplicate"
        constraints = [
            models.UniqueConstraint(
                fields=["study", "duplicate_of"], name="possible_duplicate_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(study=F("duplicate_of")), name="possible_duplicate_not_itself"
            ),
        ]

    def __str__(self):
        return f"#{self.study_id} may duplicate #{self.duplicate_of_id}: {self.reason}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded: preview, then confirm"
    QUEUED = "queued", "Waiting for the task worker"
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Stopped by an error"


IMPORT_IN_PROGRESS = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class StudyImport(models.Model):
    """A file uploaded in the admin or the API: previewed, then imported when a person confirms,
    at once when small, else by a task that records its progress here (evidence.services)."""

    file_name = models.CharField(max_length=255)
    format = models.CharField(max_length=20, choices=FORMAT_CHOICES)
    content = models.TextField(help_text="The file, decoded.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    records_total = models.PositiveIntegerField(default=0)
    records_done = models.PositiveIntegerField(
        default=0, help_text="Records imported and committed so far, from the file's first."
    )
    failure = models.TextField(blank=True, help_text="Why the import stopped, if it did.")
    progressed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the task worker began the import or last committed records of it.",
    )
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    possible_duplicates = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0, help_text="Entries of the file that are no record (a @comment, an empty row)."
    )
    left_out = models.PositiveIntegerField(
        default=0, help_text="Records a person chose in the preview not to import."
    )
    outcomes = models.JSONField(default=list, blank=True, help_text="One row per record.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(records_done__lte=F("records_total")),
                name="study_import_done_within_total",
            ),
            models.CheckConstraint(
                condition=Q(status=ImportStatus.IMPORTED, imported_at__isnull=False)
                | (~Q(status=ImportStatus.IMPORTED) & Q(imported_at__isnull=True)),
                name="study_import_imported_at_iff_imported",
            ),
        ]

    def __str__(self):
        return self.file_name

    @property
    def summary(self):
        return self.summary_of(
            self.created,
            self.duplicates,
            self.possible_duplicates,
            self.errors,
            self.skipped,
            self.left_out,
        )

    @staticmethod
    def summary_of(created, duplicates, possible_duplicates, errors, skipped, left_out=0):
        """ "N created, M duplicates, K possible duplicates, E errors", then ", S skipped" when
        entries of the file were no records (a skip is no error) and ", L left out" when a
        person chose in the preview not to import some."""
        summary = (
            f"{created} created, {duplicates} duplicates, "
            f"{possible_duplicates} possible duplicates, {errors} errors"
        )
        if skipped:
            summary += f", {skipped} skipped"
        return f"{summary}, {left_out} left out" if left_out else summary

    @property
    def in_progress(self):
        return self.status in IMPORT_IN_PROGRESS

    @staticmethod
    def stalled_after():
        return timedelta(minutes=settings.IMPORT_STALLED_AFTER_MINUTES)

    @property
    def is_stalled(self):
        """Running, and nothing committed for IMPORT_STALLED_AFTER_MINUTES: its worker stopped
        without saying so (killed, the machine restarted); it may be tried again."""
        return self.status == ImportStatus.RUNNING and (
            self.progressed_at is None or timezone.now() - self.progressed_at > self.stalled_after()
        )

    @property
    def percent_done(self):
        return round(100 * self.records_done / self.records_total) if self.records_total else 0

    def add_result(self, result):
        """Count in what one chunk of records became (an evidence.services.ImportResult)."""
        self.created += result.created
        self.duplicates += result.duplicates
        self.possible_duplicates += result.possible_duplicates
        self.errors += result.errors
        self.skipped += result.skipped
        self.left_out += result.left_out
        self.outcomes += [outcome.as_dict() for outcome in result.outcomes]
        self.records_done += len(result.outcomes)
