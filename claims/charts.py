"""Pictures drawn on the server as SVG: the risk-of-bias traffic light (studies x domains).

Each function returns plain data (positions, colours, labels); the templates draw it."""

import math
from dataclasses import dataclass

from claims import grading
from evidence.models import Design, Population

# From the best judgement to the worst; a tool with fewer levels spreads over the whole scale.
# Every colour carries a letter too, so colour is never the only signal. The legend's swatches
# take them from claims/static/claims/site.css (.swatch[data-fill=...]): change both together.
SCALE = ["#1a7f37", "#8a6d00", "#b35c00", "#b42318", "#6b1010"]
CELL = 34
LABEL_WIDTH = 190
HEADER_HEIGHT = 28


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    fill: str
    letter: str
    title: str


@dataclass(frozen=True)
class TrafficLight:
    tool: object
    width: int
    height: int
    columns: list  # (x, header text, full domain name)
    rows: list  # (y, study label, study)
    cells: list
    legend: list  # (fill, letter, label)


def colour(judgement, judgements):
    """A judgement's colour on SCALE, by its rank among its tool's judgements."""
    top = max(len(judgements) - 1, 1)
    rank = [j.pk for j in judgements].index(judgement.pk)
    return SCALE[round(rank * (len(SCALE) - 1) / top)]


def letter(judgement):
    return "".join(word[0] for word in judgement.label.split()).upper()[:2]


def traffic_lights(appraisals):
    """One traffic light per tool, a row per appraisal (its study and appraiser), a column per
    domain and one for the overall judgement. Needs Appraisal.objects.complete_details()."""
    by_tool = {}
    for appraisal in appraisals:
        if appraisal.is_complete:
            by_tool.setdefault(appraisal.tool_id, []).append(appraisal)
    return [_traffic_light(group) for group in by_tool.values()]


def _traffic_light(appraisals):
    tool = appraisals[0].tool
    domains = list(tool.domains.all())
    judgements = list(tool.judgements.all())
    columns = [
        (LABEL_WIDTH + i * CELL + CELL // 2, f"D{i + 1}", domain.name)
        for i, domain in enumerate(domains)
    ]
    columns.append((LABEL_WIDTH + len(domains) * CELL + CELL // 2, "All", "Overall"))
    rows, cells = [], []
    for r, appraisal in enumerate(appraisals):
        y = HEADER_HEIGHT + r * CELL + CELL // 2
        label = f"{appraisal.study.short_label} ({appraisal.appraiser.get_username()})"
        rows.append((y, label, appraisal.study))
        values = [appraisal.judgement_for(d).judgement for d in domains] + [appraisal.overall]
        for (x, _, name), judgement in zip(columns, values, strict=True):
            cells.append(
                Cell(
                    x,
                    y,
                    colour(judgement, judgements),
                    letter(judgement),
                    f"{label}, {name}: {judgement.label}",
                )
            )
    return TrafficLight(
        tool=tool,
        width=LABEL_WIDTH + (len(domains) + 1) * CELL + 8,
        height=HEADER_HEIGHT + len(appraisals) * CELL + 4,
        columns=columns,
        rows=rows,
        cells=cells,
        legend=[(colour(j, judgements), letter(j), j.label) for j in judgements],
    )


# --- The evidence map of a claim ------------------------------------------------------------

MAP_COLUMNS = (  # direction, heading, colour (the support colours of the stylesheet)
    ("supports", "Supports", "#1e6b34"),
    ("mixed", "Mixed", "#7a5200"),
    ("no-effect", "No effect", "#4b3f8f"),
    ("contradicts", "Contradicts", "#a11d1d"),
    ("context", "Context", "#4d5661"),
)
MAP_LABEL_WIDTH = 250
MAP_COLUMN_WIDTH = 120
MAP_ROW_HEIGHT = 46
MAP_TOP = 34
MAP_SPREAD = 26  # horizontal distance between marks sharing a cell
SHAPES = {"human": "circle", "animal": "square", "in_vitro": "triangle", "mixed": "diamond"}
SHAPE_LABELS = (
    ("circle", "Humans"),
    ("square", "Animals"),
    ("triangle", "In vitro"),
    ("diamond", "Humans and laboratory"),
)


MAP_CELL_MARKS = 4  # a cell with more studies draws one numbered mark for them all


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    r: float
    shape: str
    colour: str
    filled: bool
    title: str
    url: str
    points: str  # for triangles and diamonds
    count: int = 1  # more than 1: a numbered mark standing for that many studies


@dataclass(frozen=True)
class EvidenceMap:
    width: int
    height: int
    columns: list  # (x, heading)
    rows: list  # (y, level name)
    marks: list
    description: str


def mark_radius(participants):
    """Area grows with the number of participants (log scale); unknown: the smallest."""
    if not participants:
        return 6
    return min(18, 6 + 3 * math.log10(participants))


def _points(shape, x, y, r):
    if shape == "square":
        r = r * 0.85  # a square of the same size looks bigger than the circle
        return f"{x - r},{y - r} {x + r},{y - r} {x + r},{y + r} {x - r},{y + r}"
    if shape == "triangle":
        return f"{x},{y - r} {x + r},{y + r * 0.8} {x - r},{y + r * 0.8}"
    if shape == "diamond":
        return f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"
    return ""


def evidence_map(findings, sets_grade, url_for, more_url):
    """Each finding (a grading.FindingInput) a mark: its column the direction, its row the
    level of evidence, its size the participants, its shape the population; filled when it is
    in the body of evidence the grade rests on (`sets_grade`, one boolean a finding). Where
    more than MAP_CELL_MARKS studies share a cell, one numbered mark stands for them, linked to
    `more_url(direction)`, so that the map's size is bounded whatever the number of findings.
    `url_for(i)` is the address of the i-th finding's study."""
    levels = [name for name, _ in grading.EVIDENCE_LEVELS] + ["Not classified"]
    cells = {}
    for i, finding in enumerate(findings):
        row = grading.evidence_level(finding.design)
        cells.setdefault((row, finding.direction), []).append(i)
    widest = max((len(g) for g in cells.values() if len(g) <= MAP_CELL_MARKS), default=1)
    column_width = max(MAP_COLUMN_WIDTH, widest * MAP_SPREAD + 20)
    x_of = {
        d: MAP_LABEL_WIDTH + i * column_width + column_width / 2
        for i, (d, _, _) in enumerate(MAP_COLUMNS)
    }
    colour_of = {d: colour for d, _, colour in MAP_COLUMNS}
    heading_of = {d: heading for d, heading, _ in MAP_COLUMNS}
    marks = []
    for (row, direction), group in cells.items():
        y = MAP_TOP + row * MAP_ROW_HEIGHT + MAP_ROW_HEIGHT / 2
        if len(group) > MAP_CELL_MARKS:
            setting = sum(sets_grade[i] for i in group)
            marks.append(
                Mark(
                    x=x_of[direction],
                    y=y,
                    r=round(min(21, 12 + 2 * math.log2(len(group) / MAP_CELL_MARKS)), 1),
                    shape="circle",
                    colour=colour_of[direction],
                    filled=bool(setting),
                    title=f"{len(group)} studies: {levels[row].lower()}, "
                    f"{heading_of[direction].lower()}; {setting} set the grade",
                    url=more_url(direction),
                    points="",
                    count=len(group),
                )
            )
            continue
        first = x_of[direction] - (len(group) - 1) * MAP_SPREAD / 2
        for n, i in enumerate(group):
            finding, counts = findings[i], sets_grade[i]
            x, r = first + n * MAP_SPREAD, mark_radius(finding.participants)
            shape = SHAPES.get(finding.population, "ring")
            size = (
                f"{finding.participants:,} participants"
                if finding.participants
                else "size not stated"
            )
            sets = "sets the grade" if counts else "does not set the grade"
            design = Design(finding.design).label if finding.design else "not classified"
            population = (
                Population(finding.population).label
                if finding.population
                else "population not classified"
            )
            marks.append(
                Mark(
                    x=round(x, 1),
                    y=y,
                    r=round(r, 1),
                    shape=shape,
                    colour=colour_of[direction],
                    filled=counts,
                    title=f"{finding.label}: {design}, {population.lower()}, {size}, "
                    f"{heading_of[direction].lower()}; {sets}",
                    url=url_for(i),
                    points=_points(shape, round(x, 1), y, round(r, 1)),
                )
            )
    used_rows = sorted({row for row, _ in cells})
    grouped = sum(m.count > 1 for m in marks)
    return EvidenceMap(
        width=int(MAP_LABEL_WIDTH + len(MAP_COLUMNS) * column_width + 10),
        height=MAP_TOP + len(levels) * MAP_ROW_HEIGHT + 8,
        columns=[(x_of[d], heading) for d, heading, _ in MAP_COLUMNS],
        rows=[
            (MAP_TOP + i * MAP_ROW_HEIGHT + MAP_ROW_HEIGHT / 2, name)
            for i, name in enumerate(levels)
        ],
        marks=marks,
        description=(
            f"{len(findings)} studies by direction and level of evidence; {sum(sets_grade)} set "
            f"the grade. Levels present: "
            f"{', '.join(levels[r] for r in used_rows) or 'none'}."
            + (
                f" A numbered mark stands for the studies of a cell holding more than "
                f"{MAP_CELL_MARKS}."
                if grouped
                else ""
            )
        ),
    )
