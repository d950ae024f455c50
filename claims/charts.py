"""Pictures drawn on the server as SVG: the risk-of-bias traffic light (studies x domains).

Each function returns plain data (positions, colours, labels); the templates draw it."""

from dataclasses import dataclass

# From the best judgement to the worst; a tool with fewer levels spreads over the whole scale.
# Every colour carries a letter too, so colour is never the only signal.
SCALE = ["#1a7f37", "#b58900", "#d46b08", "#c0392b", "#7a1616"]
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
