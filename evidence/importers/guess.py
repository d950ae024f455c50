"""A first guess at a study's design and population from what the record says of itself.
Every guess is stored as a guess (Study.design_guessed, population_guessed) until a person
confirms it. Values are those of evidence.models.Design and Population."""

# Publication types (MEDLINE PT, PubMed XML, EndNote work type, Scopus document type), most
# specific first: the first that a record lists, by this order, sets the design. A type matches
# when it is this text or starts with it ("Randomized Controlled Trial, Veterinary").
DESIGN_BY_PUBLICATION_TYPE = (
    ("meta-analysis", "meta_analysis"),
    ("systematic review", "systematic_review"),
    ("randomized controlled trial", "rct"),
    ("randomised controlled trial", "rct"),
    ("case reports", "case_report"),
    ("case report", "case_report"),
    ("review", "narrative_review"),
    ("editorial", "expert_opinion"),
)
HUMANS = "humans"
ANIMALS = "animals"


def guess_design(publication_types, population=""):
    key = (*publication_types, population)
    design = _designs.get(key)
    if design is None:
        design = _designs[key] = _guess_design(publication_types, population)
    return design


# Designs guessed, by publication types and population: files repeat a few combinations.
# Bounded: a file of ever new types (a free-text type column) stops adding past the bound.
_designs = {}
DESIGNS_CACHED = 10_000


def _guess_design(publication_types, population):
    if len(_designs) >= DESIGNS_CACHED:
        _designs.clear()
    types = [t.strip().lower() for t in publication_types]
    for label, design in DESIGN_BY_PUBLICATION_TYPE:
        if any(t == label or t.startswith(f"{label},") for t in types):
            return design
    if population == "animal":
        return "animal"
    return ""


def guess_population(mesh_terms):
    """MeSH check tags: Animals without Humans -> animal, Humans without Animals -> human,
    both -> mixed, neither -> no guess."""
    terms = {t.strip().lower() for t in mesh_terms}
    humans, animals = HUMANS in terms, ANIMALS in terms
    if humans and animals:
        return "mixed"
    if animals:
        return "animal"
    if humans:
        return "human"
    return ""


def complete(record):
    """Fill the record's design and population with guesses where its format gave none."""
    if not record.population:
        record.population = guess_population(record.mesh_terms)
        record.population_guessed = bool(record.population)
    if not record.design:
        record.design = guess_design(record.publication_types, record.population)
        record.design_guessed = bool(record.design)
    record.design_guessed = bool(record.design_guessed)
    record.population_guessed = bool(record.population_guessed)
    return record
