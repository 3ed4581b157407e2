"""Make ``example_survey.csv``: a realistic identification survey of 360 companies in FR61, ES21 and ES22.

Provenance only: xbsim never imports or runs this script, and nothing reads the source file at run time.

Names are real organisation names (accents, quotes, apostrophes and punctuation kept as published) from
the partners of Interreg 2014-2020 projects in keep.eu (the Interreg projects database), 8,621 partner rows
of 1,852 projects; we keep French organisations for FR61 (Aquitaine) and Spanish ones for ES21 (País Vasco)
and ES22 (Navarra): those located in the territory first, then private ones from elsewhere in the country,
then public ones; public administrations, schools, associations and chambers are dropped by keywords.
Everything else is made up: the area comes from keywords in the name (else drawn in proportion to the
territory's persons employed per area), the segment is ``rnd`` for research organisations (else drawn by the
area's segment shares), sizes, scores, languages and openness are drawn by xbsim's own synthetic generator
(seed 2024) and written as a planner's Excel export would give them: ``;`` separator, UTF-8 with BOM, Likert
scores 1-5 rounded to halves with a decimal comma, a few lower-case codes, area labels instead of codes,
surrounding spaces, unanswered (blank) scores, and yes/no in three languages.

    python xbsim/data/make_example_survey.py PATH_TO/keep_interreg_2014_2020_partners.csv
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import numpy as np
from omegaconf import OmegaConf

from xbsim.core.config import compose
from xbsim.core.config.schema import SIZE_CLASSES
from xbsim.core.domain import Domain
from xbsim.core.population.survey_schema import columns, key
from xbsim.core.population.synthetic import draw_attributes, employees_for

OUT = Path(__file__).with_name("example_survey.csv")
SEED = 2024
TARGETS = {"FR61": 140, "ES21": 130, "ES22": 90}
COUNTRY = {"FR61": "FR", "ES21": "ES", "ES22": "ES"}

EXCLUDE = re.compile(
    r"ayuntamiento|commune|mairie|ville_de|gobierno|government|departement|diputacion|region|conseil|council"
    r"|municipal|junta|concello|ministr|comarca|mancomunidad|parc_naturel|parque_natural|gobernua|jaurlaritza"
    r"|udala|prefecture|communaute|syndicat|agglomeration|provincia|prefectura|city_of|town|metropol"
    r"|generalitat|xunta|cabildo|lycee|college|ecole|school|colegio|ikastola|hospital|chu_|ligue|federation"
    r"|association|asociacion|elkartea|touris|turismo|natura|oiseaux|fondation|museum|museo|patrimoine"
    r"|patrimonio|confederacion|chambre|chamber|camara|cci|agence|agencia|office_national|comite|consorcio"
    r"|consortium|until|ciudad|ville|cite_de")
AREA_WORDS = {
    "agri_food": r"agro|alimen|food|vin|wine|vino|lait|leche|ovin|elevage|ganad|agri|farm|pesca|peche|fish"
                 r"|bodega",
    "energy": r"energ|solar|eolic|wind|hidrog|hydrog|electri|power|biomas|renovab|renouvel",
    "health": r"salud|sante|health|biomed|sanitar|clinic|pharma|farma|medic|bio_?tech|cancer|biocruces",
    "digital": r"digital|numeri|software|informat|data|datos|telecom|tic_|_ict|web|cyber|computing|smart",
    "advanced_manufacturing": r"industr|aero|metal|composit|mecan|manufactur|automo|machin|fabrica|material"
                              r"|ingenier|engineer|robot|laser|plast|tecnalia|ikerlan|leartiker",
}
RESEARCH = re.compile(r"universi|research|investigacion|recherche|instituto|institut|centro_tecnolog"
                      r"|centre_tech|laborator|tecnalia|ikerlan|cnrs|inra|csic|fundacion_tecn|technology_cent")
PRODUCTS = {
    "fr": {
        "advanced_manufacturing": ["Usinage de précision, pièces aéronautiques",
                                   "Pièces en composite « sur mesure »",
                                   "Maintenance d'équipements industriels",
                                   "Bureau d'études mécaniques; essais"],
        "agri_food": ["Conserves de canard et foie gras", "Fromages au lait de brebis (AOP Ossau-Iraty)",
                      "Emballages alimentaires recyclables", "Logistique du froid, entrepôts"],
        "health": ["Dispositifs médicaux de classe II", "Principes actifs d'origine marine",
                   "Services d'aide à domicile, télé-assistance", "Essais cliniques; biostatistique"],
        "energy": ["Installation photovoltaïque et bornes de recharge", "Équipements pour l'éolien en mer",
                   "Audit énergétique des bâtiments", "Méthanisation agricole"],
        "digital": ["Logiciels de gestion (ERP) pour PME", "Intégration de systèmes, cybersécurité",
                    "Traitement de données satellitaires", "Capteurs connectés (IoT)"],
    },
    "es": {
        "advanced_manufacturing": ["Mecanizado de precisión para aeronáutica", "Fundición y forja de piezas",
                                   "Mantenimiento industrial, \"llave en mano\"", "Ingeniería de utillajes"],
        "agri_food": ["Conservas vegetales (espárrago, pimiento del piquillo)", "Queso Idiazabal D.O.",
                      "Envases y embalajes alimentarios", "Distribución de producto fresco"],
        "health": ["Dispositivos médicos y ortopedia", "Fabricación de genéricos",
                   "Servicios de teleasistencia", "I+D en oncología; biobanco"],
        "energy": ["Componentes para aerogeneradores", "Instalación de autoconsumo solar",
                   "Servicios de eficiencia energética (ESE)", "Redes inteligentes, subestaciones"],
        "digital": ["Desarrollo de software a medida", "Integración de sistemas, ciberseguridad",
                    "Análisis de datos e IA", "Electrónica embebida"],
    },
}
YES_NO = {"FR": ("oui", "non"), "ES": ("sí", "no")}


EXAMPLE_SIZE_SHARES = (0.55, 0.30, 0.12, 0.03)  # micro, small, medium, large: respondents are larger than average


def candidates(source: Path) -> dict[str, list[str]]:
    """Organisation names per territory, local ones first, deduplicated by their comparison key."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    local: dict[str, list[str]] = {t: [] for t in TARGETS}
    other: dict[str, list[str]] = {"FR": [], "ES": []}
    public: dict[str, list[str]] = {"FR": [], "ES": []}
    seen: set[str] = set()
    for r in rows:
        name, cc = r["Project Partner"].strip(), r["Country code"][:2]
        nuts2 = r["NUTS2 (or equivalent)"].split("/")[0].strip()
        k = key(name)
        if cc not in other or not k or k in seen or EXCLUDE.search(k):
            continue
        seen.add(k)
        if nuts2 in local:
            local[nuts2].append(name)
        else:
            (other if r["Legal Status"].strip().lower() == "private" else public)[cc].append(name)
    other = {cc: other[cc] + public[cc] for cc in other}
    out = {}
    for t, n in TARGETS.items():
        pool = local[t] + other[COUNTRY[t]]
        out[t] = pool[:n]
        other[COUNTRY[t]] = [x for x in other[COUNTRY[t]] if x not in set(pool[:n])]
    return out


def likert(x: np.ndarray) -> np.ndarray:
    """[0, 1] -> Likert 1-5 rounded to halves."""
    return np.round((1.0 + 4.0 * x) * 2.0) / 2.0


def fmt(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def make(source: Path) -> str:
    cfg = compose()
    c = OmegaConf.to_container(cfg, resolve=True)
    domain = Domain.from_config(c)
    pop_cfg = c["population"]
    rng = np.random.default_rng(SEED)
    names, terr = [], []
    for t, pool in candidates(source).items():
        names += pool
        terr += [domain.territories.codes.index(t)] * len(pool)
    n = len(names)
    territory = np.array(terr)
    area = np.zeros(n, dtype=int)
    research = np.array([bool(RESEARCH.search(key(nm))) for nm in names])
    for i, nm in enumerate(names):
        hits = [a for a, pat in AREA_WORDS.items() if re.search(pat, key(nm))]
        if hits:
            area[i] = domain.areas.names.index(hits[0])
        else:
            p = domain.employment[territory[i]] / domain.employment[territory[i]].sum()
            area[i] = rng.choice(len(p), p=p)
    segment = np.array([0 if research[i] else rng.choice(len(domain.areas.segments[area[i]]),
                                                         p=domain.areas.segment_shares[area[i]])
                        for i in range(n)])
    shares = np.array(EXAMPLE_SIZE_SHARES)  # the respondents' size mix (fixed: the file was made with it)
    size = rng.choice(len(SIZE_CLASSES), size=n, p=shares / shares.sum())
    size[research] = np.maximum(size[research], 2)
    attrs = draw_attributes(domain, pop_cfg, territory, area, segment, size, rng)
    employees = employees_for(size, rng)
    cap, need = likert(attrs["capability"]), likert(attrs["need"])
    openness = np.clip(np.round(1.0 + 4.0 * attrs["openness"]), 1, 5)
    langs = np.array(domain.languages())
    order = rng.permutation(n)

    cols = [col.name for col in columns(domain)]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(cols)
    dims = domain.dimensions.names
    for rank, i in enumerate(order):
        code = domain.territories.codes[territory[i]]
        lang = "fr" if COUNTRY[code] == "FR" else "es"
        a = domain.areas.names[area[i]]
        u = rng.random(8)
        row = {
            "company_id": f"R{rank + 1:04d}",
            "name": names[i],
            "territory": code.lower() if u[0] < 0.06 else code,
            "area": domain.areas.labels[area[i]] if u[1] < 0.1 else a,
            "segment": domain.areas.segments[area[i]][segment[i]],
            "employees": "" if u[2] < 0.15 else str(employees[i]),
            "size_class": SIZE_CLASSES[size[i]] if (u[2] < 0.15 or u[3] < 0.6) else "",
            "languages": ", ".join(langs[attrs["languages"][i]]),
            "openness": fmt(openness[i]),
            "products_services": PRODUCTS[lang][a][rng.integers(4)],
            "interviewed": (YES_NO[COUNTRY[code]] if u[4] < 0.3 else ("yes", "no"))[0 if u[5] < 0.25 else 1],
        }
        blank = rng.random(2 * len(dims)) < 0.02
        for d, dim in enumerate(dims):
            row[f"cap_{dim}"] = "" if blank[d] else fmt(cap[i, d])
            row[f"need_{dim}"] = "" if blank[len(dims) + d] else fmt(need[i, d])
        if u[6] < 0.05:
            row["name"] = f" {row['name']} "
        if u[7] < 0.05:
            row["segment"] = f"{row['segment'].upper()} "
        w.writerow([row[col] for col in cols])
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit(__doc__)
    text = make(Path(args[0]))
    OUT.write_text("\ufeff" + text, encoding="utf-8", newline="")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} companies)")


if __name__ == "__main__":
    main()
