"""The survey file's columns, derived from the configured domain, and the vocabularies of its coded cells.

One definition serves the template writer (``xbsim-survey-template``), the loader and the documentation,
so the three never disagree. Column headers are matched after :func:`key` (case, accents, spaces and
punctuation do not matter: ``Company ID`` is ``company_id``); coded cells (territory, area, segment, size
class, languages, yes/no) likewise.

Scores (capabilities, needs, openness) use one scale: 1 to 5, decimals allowed (e.g. the mean of several
Likert items), mapped linearly to the model's [0, 1] by ``(score - 1) / 4``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from xbsim.core.config.schema import EMPLOYEE_RANGES, SIZE_CLASSES
from xbsim.core.domain import Domain

SCORE_MIN, SCORE_MAX = 1.0, 5.0
LIST_SEPARATORS = r"[|,;/\s]+"

YES = ("yes", "y", "true", "1", "x", "oui", "o", "si", "s", "bai")
NO = ("no", "n", "false", "0", "non", "ez")

# Language names accepted besides ISO 639-1 codes (a cell may say "Français, English").
LANGUAGE_NAMES = {
    "fr": ("french", "francais", "frances", "frantsesa"),
    "es": ("spanish", "espagnol", "espanol", "castellano", "gaztelania", "castilian"),
    "eu": ("basque", "euskara", "euskera", "vasco"),
    "en": ("english", "anglais", "ingles", "ingelesa"),
    "de": ("german", "allemand", "aleman", "deutsch"),
    "it": ("italian", "italien", "italiano"),
    "pt": ("portuguese", "portugais", "portugues"),
    "ca": ("catalan", "catala"),
    "oc": ("occitan", "occitano"),
}


def key(text: str) -> str:
    """Comparison key of a header or code: accents removed, lower case, runs of other characters -> '_'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def score_to_unit(score: float) -> float:
    """A survey score (1-5) on the model's [0, 1] scale."""
    return (score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)


def size_class_text(size: int) -> str:
    low, high = EMPLOYEE_RANGES[SIZE_CLASSES[size]]
    bounds = f"{low}-{high}" if size < len(SIZE_CLASSES) - 1 else f">= {low}"
    return f"{SIZE_CLASSES[size]} ({bounds} persons)"


@dataclass(frozen=True)
class Column:
    """One column of the survey: header, whether required, unit, allowed values, description, example."""

    name: str
    kind: str  # id, name, territory, area, segment, employees, size_class, score, languages, yesno, text
    required: str  # "yes", "no" or "employees or size_class"
    unit: str
    allowed: str
    description: str
    example: str


@dataclass(frozen=True)
class Vocabulary:
    """Accepted spellings of coded cells, keyed by :func:`key`, for one domain."""

    territories: dict[str, int]
    areas: dict[str, int]
    segments: tuple[dict[str, int], ...]
    sizes: dict[str, int]
    languages: dict[str, int]
    yes_no: dict[str, bool]

    @classmethod
    def for_domain(cls, domain: Domain) -> Vocabulary:
        terr = domain.territories
        territories = {key(n): t for t, n in enumerate(terr.names)}
        territories |= {key(c): t for t, c in enumerate(terr.codes)}
        areas = {key(label): a for a, label in enumerate(domain.areas.labels)}
        areas |= {key(name): a for a, name in enumerate(domain.areas.names)}
        segments = tuple({key(s): i for i, s in enumerate(segs)} for segs in domain.areas.segments)
        sizes = {key(s): i for i, s in enumerate(SIZE_CLASSES)}
        langs = domain.languages()
        languages = {key(n): j for j, code in enumerate(langs) for n in LANGUAGE_NAMES.get(code, ())}
        languages |= {key(code): j for j, code in enumerate(langs)}
        yes_no = {k: True for k in YES} | {k: False for k in NO}
        return cls(territories, areas, segments, sizes, languages, yes_no)


def territory_allowed(domain: Domain) -> str:
    terr = domain.territories
    return ", ".join(f"{c} ({n})" for c, n in zip(terr.codes, terr.names, strict=True))


def segment_allowed(domain: Domain, area: int) -> str:
    return f"a segment of {domain.areas.names[area]}: {', '.join(domain.areas.segments[area])}"


def columns(domain: Domain) -> list[Column]:
    """Every column of the survey for ``domain``, in template order."""
    areas, dims, terr = domain.areas, domain.dimensions, domain.territories
    a0 = 0
    seg0 = min(2, len(areas.segments[a0]) - 1)
    score_allowed = "a number from 1 to 5 (decimals allowed, decimal point or comma); blank = not answered"
    cols = [
        Column("company_id", "id", "yes", "text", "any text, unique in the file (case-insensitive)",
               "Identifier of the company in your survey (kept in companies.csv).", "R0001"),
        Column("name", "name", "yes", "text", "any text",
               "Company name, exactly as it should appear in the outputs (accents and punctuation kept).",
               "Établissements Exemple & Fils, S.A.S."),
        Column("territory", "territory", "yes", "code",
               f"{territory_allowed(domain)}; code or name, any case",
               "Territory (NUTS 2 region) where the company is located.", terr.codes[0]),
        Column("area", "area", "yes", "code",
               ", ".join(areas.names) + "; code or label, any case",
               "Specialisation area (S3 priority) of the company's main activity.", areas.names[a0]),
        Column("segment", "segment", "yes", "code",
               "; ".join(f"{a}: {', '.join(s)}" for a, s in zip(areas.names, areas.segments, strict=True)),
               "Value-chain segment of the company within its area (upstream first).",
               areas.segments[a0][seg0]),
        Column("employees", "employees", "employees or size_class", "persons employed (head count)",
               "a whole number from 0 to 10,000,000 (0 counts as micro); blank if size_class is given",
               "Persons employed, owners included. Gives the size class when size_class is blank.", "35"),
        Column("size_class", "size_class", "employees or size_class", "class",
               "; ".join(size_class_text(s) for s in range(len(SIZE_CLASSES)))
               + "; blank if employees is given (must agree with it otherwise)",
               "EU size class. When employees is blank, a head count is drawn inside the class.", "small"),
    ]
    for d, name in enumerate(dims.names):
        cols.append(Column(f"cap_{name}", "score", "yes (cells may be blank)",
                           "score 1-5 (1 = very weak, 5 = excellent)", score_allowed,
                           f"Capability: {dims.labels[d]}. Blank cells are filled with a synthetic draw.",
                           "3,5" if d == 0 else str(3 + d % 2)))
    for d, name in enumerate(dims.names):
        cols.append(Column(f"need_{name}", "score", "yes (cells may be blank)",
                           "score 1-5 (1 = no need, 5 = critical need)", score_allowed,
                           f"Innovation need: {dims.labels[d]}. Blank cells are filled with a synthetic "
                           "draw.",
                           str(2 + (d + 1) % 3)))
    langs = domain.languages()
    cols += [
        Column("languages", "languages", "no", "language codes",
               f"{', '.join(langs)} (ISO 639-1 codes or names), separated by | , ; / or spaces; "
               "blank = drawn as for non-respondents",
               "Working languages of the company.", f"{terr.languages[0][0]}|en"),
        Column("openness", "score", "no", "score 1-5 (1 = not open, 5 = very open)",
               score_allowed + " (drawn as for non-respondents)",
               "Openness to cross-border cooperation.", "4"),
        Column("products_services", "text", "no", "free text", "any text",
               "Main products and services, free text for the planners (xbsim does not use it).",
               "Usinage de précision; pièces en composite pour l'aéronautique"),
        Column("interviewed", "yesno", "no", "yes/no",
               "yes/no (also y/n, true/false, 1/0, x, oui/non, sí/no, bai/ez); blank = no",
               "Whether the company was interviewed (its profile is then known with interview precision).",
               "yes"),
    ]
    return cols
