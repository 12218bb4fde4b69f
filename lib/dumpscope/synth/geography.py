"""Geography: residence and birth communes, postcodes and street addresses.

Everything is drawn from the reference commune table ``data/reference/communes.csv`` (INSEE COG
codes, names, départements, regions, populations, ``|``-joined postcodes), read as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

#: The six départements of the reference case, with their neighbours (for spill-over residence).
CASE_DEPS = ("56", "45", "27", "22", "35", "41")
NEIGHBOURS = {
    "56": ("29", "22", "35", "44"),
    "45": ("28", "91", "77", "89", "58", "18", "41"),
    "27": ("76", "60", "95", "78", "28", "61", "14"),
    "22": ("29", "56", "35"),
    "35": ("22", "56", "44", "49", "53", "50"),
    "41": ("28", "45", "18", "36", "37", "72"),
}


def group_indices(keys: np.ndarray) -> dict[str, np.ndarray]:
    """Positions of each distinct key (sorted keys; positions ascending), in one sort."""
    uniq, inv = np.unique(np.asarray(keys).astype(str), return_inverse=True)
    order = np.argsort(inv, kind="stable")
    bounds = np.searchsorted(inv[order], np.arange(len(uniq) + 1))
    return {str(u): order[bounds[k] : bounds[k + 1]] for k, u in enumerate(uniq)}


@dataclass(frozen=True)
class Geography:
    """Reference communes usable by the generator.

    ``communes``: polars frame with ``code_insee, nom, dep, reg, zone, population`` (Int64),
    ``postcodes`` (list[str]); row index = commune id used everywhere in the generator.
    ``by_dep``: département code -> (commune ids, population CDF).
    ``all_postcodes``: every postcode of the table (a Python set, for building invalid codes).
    """

    communes: pl.DataFrame
    by_dep: dict[str, tuple[np.ndarray, np.ndarray]]
    all_postcodes: frozenset[str]

    def pick_in_deps(self, rng: np.random.Generator, deps: np.ndarray) -> np.ndarray:
        """One population-weighted commune id per element of ``deps`` (array of dep codes)."""
        out = np.full(len(deps), -1, dtype=np.int64)
        u = rng.random(len(deps))
        for dep, where in group_indices(deps).items():
            ids, cdf = self.by_dep[dep]
            out[where] = ids[np.minimum(np.searchsorted(cdf, u[where]), len(ids) - 1)]
        return out

    def dep_population_cdf(self, deps: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Département codes and their population CDF (for population-weighted département picks)."""
        pop = self.communes.group_by("dep").agg(pl.col("population").sum())
        pop = pop.filter(pl.col("dep").is_in(deps)).sort("dep")
        c = np.cumsum(pop["population"].to_numpy().astype(np.float64))
        return pop["dep"].to_numpy(), c / c[-1]


def load_geography(path: Path) -> Geography:
    """Load ``communes.csv`` (metropolitan and DROM communes with a postcode and a population)."""
    c = pl.read_csv(path, infer_schema=False)
    c = (
        c.filter(
            pl.col("zone").is_in(["metro", "drom"])
            & pl.col("codes_postaux").is_not_null()
            & (pl.col("codes_postaux") != "")
            & pl.col("population").is_not_null()
        )
        .with_columns(
            pl.col("population").cast(pl.Int64).clip(lower_bound=1),
            pl.col("codes_postaux").str.split("|").alias("postcodes"),
        )
        .select("code_insee", "nom", "dep", "reg", "zone", "population", "postcodes")
        .sort("code_insee")
    )
    deps = c["dep"].to_numpy()
    pop = c["population"].to_numpy().astype(np.float64)
    by_dep = {}
    for dep in np.unique(deps):
        ids = np.flatnonzero(deps == dep)
        cdf = np.cumsum(pop[ids])
        by_dep[str(dep)] = (ids, cdf / cdf[-1])
    all_pc = frozenset(c["postcodes"].explode().to_list())
    return Geography(communes=c, by_dep=by_dep, all_postcodes=all_pc)


def residence_deps(
    geo: Geography,
    rng: np.random.Generator,
    lab_dep: np.ndarray,
    *,
    p_neighbour: float,
    p_far: float,
) -> np.ndarray:
    """Residence département per row: the lab's, a neighbour of it, or anywhere (population-weighted).

    Returns an array of département codes (str).
    """
    n = len(lab_dep)
    out = lab_dep.astype(object).copy()
    u = rng.random(n)
    neigh = u < p_neighbour
    far = (u >= p_neighbour) & (u < p_neighbour + p_far)
    for dep, nb in NEIGHBOURS.items():
        w = np.flatnonzero(neigh & (lab_dep == dep))
        out[w] = np.asarray(nb, dtype=object)[rng.integers(0, len(nb), len(w))]
    all_deps, cdf = geo.dep_population_cdf(sorted(geo.by_dep))
    w = np.flatnonzero(far)
    out[w] = all_deps[np.minimum(np.searchsorted(cdf, rng.random(len(w))), len(all_deps) - 1)]
    return out.astype(str)


def pick_postcode(geo: Geography, rng: np.random.Generator, commune_id: np.ndarray) -> pl.Series:
    """One of the commune's real postcodes, uniformly (String Series)."""
    pcs = geo.communes["postcodes"].gather(commune_id)
    k = pcs.list.len().to_numpy()
    j = np.floor(rng.random(len(commune_id)) * k).astype(np.int64)
    return pl.DataFrame({"p": pcs, "j": j}).select(pl.col("p").list.get(pl.col("j")))["p"]


def invalid_postcodes(geo: Geography, rng: np.random.Generator, deps: np.ndarray) -> pl.Series:
    """5-digit codes absent from the reference, starting like the département (String Series)."""
    out = []
    for dep in deps:
        prefix = dep[:2] if dep[:2].isdigit() else "20"
        while True:
            cand = f"{prefix}{int(rng.integers(0, 1000)):03d}"
            if cand not in geo.all_postcodes:
                out.append(cand)
                break
    return pl.Series(out, dtype=pl.String)


_STREET_TYPES = [
    ("rue", 40),
    ("avenue", 8),
    ("boulevard", 3),
    ("impasse", 8),
    ("allée", 6),
    ("chemin", 6),
    ("place", 3),
    ("route", 6),
    ("résidence", 3),
    ("lotissement", 3),
    ("square", 1),
    ("quai", 1),
    ("hameau", 2),
    ("lieu-dit", 4),
    ("venelle", 1),
]
_STREET_NAMES = [
    "de la Gare",
    "de l'Église",
    "du Moulin",
    "des Lilas",
    "des Écoles",
    "de la Mairie",
    "Victor Hugo",
    "Jean Jaurès",
    "du Général de Gaulle",
    "Pasteur",
    "de la République",
    "des Tilleuls",
    "du Stade",
    "de Verdun",
    "des Rosiers",
    "Anatole France",
    "de Bretagne",
    "du Port",
    "des Mimosas",
    "Saint-Michel",
    "de Kerlann",
    "de Kervénanec",
    "du Château",
    "des Acacias",
    "de la Fontaine",
    "des Peupliers",
    "Jules Ferry",
    "de la Libération",
    "du 8 Mai 1945",
    "Émile Zola",
    "des Bruyères",
    "de Beauséjour",
    "du Bois",
    "des Vignes",
    "de Kerbastard",
    "de la Croix",
    "du Presbytère",
    "des Chênes",
    "de l'Orme",
    "Louis Pasteur",
    "de Ker Anna",
    "des Hortensias",
    "du Lavoir",
    "de la Vallée",
    "des Prés",
    "Pierre Loti",
    "du Manoir",
    "de la Forge",
    "Charles de Gaulle",
    "des Camélias",
    "de la Loire",
    "du Val",
    "de Lorient",
    "d'Orléans",
    "d'Évreux",
    "de Rennes",
    "Saint-Exupéry",
]
_ADDR2 = [
    "Appt 12",
    "Appt 3",
    "Bât B",
    "Bât. A esc 2",
    "Résidence Les Tilleuls",
    "Résidence du Parc",
    "Chez Mme Le Goff",
    "BP 12",
    "Porte 4",
    "2ème étage",
    "Lieu-dit Kerhouarn",
    "Le Bourg",
    "EHPAD Les Jardins",
    "Foyer logement",
    "Appartement 21",
    "Bat C",
    "RDC",
]


def street_addresses(rng: np.random.Generator, n: int) -> tuple[pl.Series, pl.Series]:
    """``n`` street addresses: ADRESSE1 (number + street type + name, 35 % upper case) and
    ADRESSE2 (a sparse complement, 12 %), as String Series."""
    types = np.array([t for t, w in _STREET_TYPES for _ in range(w)], dtype=object)
    t = types[rng.integers(0, len(types), n)].astype(str)
    name = np.asarray(_STREET_NAMES)[rng.integers(0, len(_STREET_NAMES), n)]
    no_number = np.isin(t, ["lieu-dit", "hameau", "résidence", "lotissement"])
    has_num = ~no_number & (rng.random(n) < 0.93)
    number = np.char.add(
        rng.integers(1, 120, n).astype(str), np.where(rng.random(n) < 0.03, " bis ", " ")
    )
    df = pl.DataFrame(
        {"num": np.where(has_num, number, ""), "t": t, "name": name, "u": rng.random(n) < 0.35}
    )
    a1 = pl.concat_str("num", "t", pl.lit(" "), "name")
    a1 = df.select(pl.when("u").then(a1.str.to_uppercase()).otherwise(a1).alias("a"))["a"]
    a2 = pl.Series(_ADDR2, dtype=pl.String).gather(rng.integers(0, len(_ADDR2), n))
    a2 = pl.DataFrame({"a": a2, "k": rng.random(n) < 0.12}).select(
        pl.when("k").then("a").otherwise(None).alias("a")
    )["a"]
    return a1.rename("ADRESSE1"), a2.rename("ADRESSE2")
