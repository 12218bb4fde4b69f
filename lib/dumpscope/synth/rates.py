"""Every rate and value list of the generator, in one place (documented in
data/synthetic/README.md). Row rates apply per data row, person rates per person."""

from __future__ import annotations

# --- persons -----------------------------------------------------------------------------------
#: Civility (press counts of the Feb 2021 file, share of rows); the rest is empty.
CIVILITY_P = {"Mme": 0.547, "M.": 0.398, "Enfant": 0.027, "Bébé": 0.0009, "Sœur": 0.0005}
#: At least this many persons of the rare civilities, so that small samples show them.
CIVILITY_MIN = {"Bébé": 2, "Sœur": 2}
P_FEMALE_UNKNOWN_CIVILITY = 0.579
#: Age bands (years at the first sample, weight) when the civility says nothing about age.
AGE_BANDS = [
    (12, 20, 5.0), (20, 30, 10.0), (30, 40, 12.5), (40, 50, 12.5), (50, 60, 14.5),
    (60, 70, 16.5), (70, 80, 13.5), (80, 90, 8.5), (90, 101, 2.0),
]  # fmt: skip
#: Birth place; the rest: elsewhere in metropolitan France (population-weighted).
P_BORN = {"abroad": 0.065, "overseas": 0.012, "corsica": 0.006, "same_dep": 0.55}
P_RESIDENCE_NEIGHBOUR = 0.09
P_RESIDENCE_FAR = 0.03
P_MARRIED_NAME = 0.55  # women 25+ whose usage name is a spouse's
P_BIRTH_NAME_SHOWN = 0.75  # ... whose birth name is filled
P_BIRTH_NAME_SAME = 0.05  # others whose birth name repeats the usage name
P_LANDLINE_YOUNG, P_LANDLINE_OLD = 0.42, 0.70  # under / over 50
P_MOBILE_YOUNG, P_MOBILE_OLD = 0.42, 0.22
P_EMAIL = 0.113
P_WORK_PHONE = 0.015
P_TREATING_DOCTOR = 0.82
P_MUTUELLE = 0.6
P_LOGIN = 0.031
P_PASSWORD_GIVEN_LOGIN = 0.97
P_FICTITIOUS_MONTH = 0.003
BLOOD_P = {"A+": 0.38, "O+": 0.36, "B+": 0.08, "A-": 0.07, "O-": 0.06, "AB+": 0.03, "B-": 0.01,
           "AB-": 0.01}  # fmt: skip

# --- rows ----------------------------------------------------------------------------------------
P_OTHER_LAB = 0.08  # later visits of a person at another lab (rows_per_person > 1)
P_PRESCRIBER = 0.97
P_BLOOD_FILLED = 0.22
P_SEX_MISSING = 0.03
P_SEX_FLIPPED = 0.002  # among rows with a valid NIR and a declared sex
P_USAGE_NAME_MISSING = 0.026
P_FIRST_NAME_MISSING = 0.004
P_FIRST_NAME_UPPER = 0.35
P_MOJIBAKE = 0.12  # among rows whose first name has a lower-case accented letter
P_STRAY_SPACES = 0.015
NIR_RATES = {"invalid_key": 0.004, "key_missing": 0.003, "malformed": 0.004, "missing": 0.004}
P_NIR_SPACED = 0.18
BIRTH_DATE_RATES = {"invalid": 0.002, "missing": 0.004}
POSTCODE_RATES = {"invalid": 0.005, "missing": 0.01}
P_POSTCODE_SPACES = 0.005
P_CITY_UPPER = 0.7
P_COUNTRY = 0.9
P_PHONE_INVALID = 0.008
P_EMAIL_INVALID = 0.03
SAMPLE_DATE_RATES = {"invalid": 0.001, "missing": 0.003}
P_LAST_VISIT = 0.85
P_SAMPLER = 0.7
P_EXAMS = 0.92
P_DOCTOR_EMAIL = 0.0007
P_DUPLICATE = 0.003
HOSTILE_PER_MILLION = 4  # of each hostile value (at least one each)

INVALID_DATES = ("31/02/1985", "00/00/0000", "32/01/1970", "15/13/1990", "?", "29/02/2019",
                 "31/04/2017")  # fmt: skip
MUTUELLES = (
    "MGEN", "Harmonie Mutuelle", "MAAF Santé", "AG2R La Mondiale", "Malakoff Humanis", "MNH",
    "Groupama", "CMU-C", "Ociane", "Mutuelle de Bretagne", "MACIF", "Mutuelle Générale",
    "Swiss Life", "Axa", "Pro BTP", "MSA", "Apréva", "Mutuelle des Pays de Vilaine", "CSS",
)  # fmt: skip
SAMPLERS = ("IDE", "IDE à domicile", "Laboratoire", "Préleveur labo", "Mme Le Gall IDE",
            "Cabinet infirmier", "Dr", "Biologiste", "Technicien", "AS", "MLC", "JPB", "CHR")  # fmt: skip
EXAMS = (
    "1104 NFS", "0996 EAL", "1139 Vitamine D", "0552 Glycémie", "0592 Créatinine", "Ionogramme",
    "TSH", "CRP", "Ferritine", "TP/INR", "ASAT/ALAT", "Gamma GT", "Bilan martial", "VS",
    "Acide urique", "Calcémie", "Magnésium", "Phosphatases alcalines", "Bilirubine", "Urée",
)  # fmt: skip
