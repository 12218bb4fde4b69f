"""Header evidence: what a column's name says about its role.

Headers are folded (camelCase split, accents removed, lower case, every non-alphanumeric run
-> ``_``) and matched against patterns covering French and English variants and the usual LIS
abbreviations (``NUM_SS``, ``DATE_NAISS``, ``CP``, ``GRP_SANG``, ``TEL_PORT``...). Specific
patterns score 0.9, generic ones (``NOM``, ``TEL``, ``PHONE1``, ``DATE``) less; ``other`` patterns
(``PAYS``, ``PRELEVEUR``, ``EMAIL_MEDECIN``...) say explicitly that the column is none of the
personal roles.
"""

from __future__ import annotations

import re
import unicodedata

#: Roles of docs/contracts.md §3.
ROLES = (
    "usage_name",
    "birth_name",
    "first_name",
    "civility",
    "sex",
    "birth_date",
    "address",
    "postcode",
    "city",
    "landline",
    "mobile",
    "email",
    "nir",
    "blood_group",
    "rhesus",
    "lab_code",
    "lab_name",
    "sample_date",
    "last_visit_date",
    "doctor_name",
    "doctor_postcode",
    "mutuelle",
    "login",
    "password",
    "comment",
    "exam_list",
    "dossier",
    "other",
)

_B = r"(?:^|_)"  # token start
_E = r"(?:_|$)"  # token end
_N = r"(?:_?\d+)?"  # optional trailing number (ADRESSE1, PHONE_2)
_DOC = (
    r"(?:medecin|med|medic|prescripteur|presc|prescr|traitant|trait|doctor|doc|dr|physician|gp|mt)"
)
_PC = (
    r"(?:cp|code_postal|codepostal|code_post|zip|zip_code|zipcode|postcode|postal_code|post_code)"
)

#: (role, pattern on the folded header, score, words for the evidence). First match per role
#: counts; order matters only for the wording.
PATTERNS: tuple[tuple[str, str, float, str], ...] = (
    # --- explicit "other" columns that look personal but are not the patient's
    ("other", rf"{_B}e?mail{_E}.*{_DOC}|{_DOC}.*{_B}e?mail{_E}", 0.9, "doctor's e-mail"),
    ("other", rf"^(?:pays|country|nationalite|nationality){_N}$", 0.9, "country"),
    (
        "other",
        rf"{_B}(?:num|n|no|numero)_?adh(?:erent)?{_E}|{_B}adherent{_E}|member_id",
        0.9,
        "insurance member number",
    ),
    (
        "other",
        rf"{_B}(?:preleveur|prel_par|prelev_par|sampler|collector|infirmier|ide){_E}",
        0.9,
        "sampler",
    ),
    ("other", rf"{_B}(?:fax|telecopie){_E}", 0.85, "fax"),
    # technical vocabulary of LIS exports; a specific pattern below (score > 0.8) still wins
    (
        "other",
        r"^(?:id|flag|statut|status|type|nb|montant|taux|util|version|source|reserve|"
        r"zone_libre|checksum|heure|code|num|date|dt|lieu|mode|motif|priorite|copie|centre|"
        r"nature|tiers_payant|cotation|position)_"
        r"|^(?:flag|statut|status|checksum|priorite|reserve|version)$",
        0.8,
        "a technical field",
    ),
    # --- identity
    (
        "nir",
        r"^(?:cle|key|nir_cle|cle_nir|cle_ss|cle_secu|ss_cle|ssn_key|nir_key|key_nir)$",
        0.85,
        "NIR key (split from the number)",
    ),
    (
        "nir",
        rf"{_B}(?:nir|nirpp|ssn|nss|insee|num_?ss|n_?ss|no_?ss|numero_?ss|num_?secu|n_?secu|"
        rf"no_?secu|secu|securite_sociale|secu_sociale|social_security|social_security_number|"
        rf"matricule|immatriculation){_E}",
        0.9,
        "social-security number",
    ),
    (
        "birth_name",
        rf"{_B}(?:nom_(?:de_)?naiss(?:ance)?|nom_nais|nomnaiss|nom_jeune_fille|nomjf|"
        rf"nom_jf|nom_de_jeune_fille|nom_patronymique|nom_patro|patronyme|maiden_name|birth_name|"
        rf"birthname|nom_de_famille|family_name_at_birth){_E}",
        0.9,
        "birth name",
    ),
    (
        "usage_name",
        r"^(?:nom_prenom|nom_et_prenom|nomprenom|nom_prenoms|patient|full_name|"
        r"fullname|identite|name)$",
        0.9,
        "full name (surname and first name in one column)",
    ),
    (
        "first_name",
        rf"{_B}(?:prenom|prenoms|pnom|first_name|firstname|given_name|givenname|"
        rf"forename|fname){_N}{_E}",
        0.9,
        "first name",
    ),
    (
        "usage_name",
        rf"{_B}(?:nom_usage|nom_d_usage|nom_usuel|nom_marital|nom_epouse|usage_name|"
        rf"last_name|lastname|surname|family_name|familyname|lname|nom_patient|patient_nom){_E}",
        0.9,
        "surname",
    ),
    ("usage_name", r"^(?:nom|noms|nom_1)$", 0.75, "surname (generic 'nom')"),
    (
        "civility",
        r"^(?:civilite|civ|civil|titre|title|salutation|qualite|prefix|honorific)"
        r"(?:_patient)?$",
        0.9,
        "civility",
    ),
    ("sex", r"^(?:sexe|sex|gender|genre|sx)(?:_patient)?$", 0.9, "sex"),
    (
        "birth_date",
        rf"{_B}(?:date_(?:de_)?naiss(?:ance)?|dt_naiss(?:ance)?|date_nais|datenaiss|"
        rf"d_naiss|ddn|dnaiss|naissance|naiss|ne_le|dob|birth_date|birthdate|date_of_birth|"
        rf"birthday|birth_day){_E}",
        0.9,
        "birth date",
    ),
    # --- address
    ("doctor_postcode", rf"{_B}{_PC}{_E}.*{_DOC}|{_DOC}.*{_B}{_PC}{_E}", 0.9, "doctor's postcode"),
    ("postcode", rf"^(?:{_PC})(?:_patient|_pat|_domicile)?$", 0.9, "postcode"),
    (
        "city",
        r"^(?:ville|commune|localite|city|town|municipality|bureau_distributeur)"
        r"(?:_patient|_domicile)?$",
        0.9,
        "city",
    ),
    (
        "address",
        rf"^(?:adresse|adr|adresse_postale|address|addr|address_line|street|rue|voie|"
        rf"complement_adresse|compl_adr|complement|lieu_dit|residence|batiment){_N}"
        rf"(?:_patient|_domicile)?$",
        0.9,
        "address line",
    ),
    # --- contact
    (
        "mobile",
        rf"{_B}(?:port|portable|mobile|mob|gsm|cell|cellular|cellphone|cell_phone|"
        rf"mobile_phone|tel_port|telport){_N}{_E}",
        0.9,
        "mobile phone",
    ),
    (
        "landline",
        rf"{_B}(?:tel|tel_dom|tel_domicile|telephone|phone|fixe|tel_fixe|home_phone|"
        rf"work_phone|tel_travail|tel_pro|tel_bureau)_?(?:domicile|dom|fixe|travail|pro|bureau|"
        rf"home|work|perso|maison){_N}{_E}",
        0.9,
        "landline phone",
    ),
    (
        "landline",
        rf"^(?:tel|tels|telephone|telephones|phone|phones|num_tel|numero_tel|no_tel|"
        rf"phone_number|tel_patient|telephone_patient){_N}$",
        0.55,
        "phone (type not named; content decides fixed or mobile)",
    ),
    (
        "mobile",
        rf"^(?:tel|tels|telephone|telephones|phone|phones|num_tel|numero_tel|no_tel|"
        rf"phone_number|tel_patient|telephone_patient){_N}$",
        0.55,
        "phone (type not named; content decides fixed or mobile)",
    ),
    (
        "email",
        rf"^(?:e_?mail|mail|courriel|adresse_mail|adresse_email|adresse_e_mail|mel|"
        rf"email_address|e_mail_address){_N}(?:_patient|_perso)?$",
        0.9,
        "e-mail",
    ),
    # --- medical identity
    (
        "blood_group",
        rf"{_B}(?:groupe_sanguin|grp_sang|gr_sang|groupe_sang|grpsang|gs|groupage|"
        rf"groupe|blood_group|bloodgroup|blood_type|bloodtype|abo|grp_abo|groupe_abo){_E}",
        0.9,
        "blood group",
    ),
    ("rhesus", r"^(?:rhesus|rh|facteur_rh|facteur_rhesus|rh_d|rhd|rhesus_d)$", 0.9, "rhesus"),
    # --- lab
    (
        "lab_code",
        r"^(?:code_labo|code_lab|code_laboratoire|labo_code|lab_code|lab_id|id_labo|"
        r"id_lab|num_labo|n_labo)$",
        0.9,
        "lab code",
    ),
    (
        "lab_name",
        r"^(?:nom_labo|nom_lab|nom_laboratoire|labo_nom|laboratoire|labo|lab|lab_name|"
        r"laboratory|laboratory_name)$",
        0.85,
        "lab name",
    ),
    (
        "last_visit_date",
        rf"{_B}(?:(?:date_)?(?:derniere|dern|der)_(?:visite|venue|passage)|"
        rf"last_visit|last_visit_date|date_last_visit|dt_der_visite){_E}",
        0.9,
        "last visit date",
    ),
    (
        "sample_date",
        r"^(?:date_prelevement|date_prel|dt_prel|dt_prelevement|date_prelev|"
        r"date_prlvt|date_du_prelevement|sample_date|sampling_date|collection_date|"
        r"date_collection|date_examen|date_analyse|date_exam|date_dossier|date_demande)$",
        0.9,
        "sample date",
    ),
    # --- doctors
    (
        "doctor_name",
        r"^(?:nom_)?(?:medecin|medecin_traitant|medecin_prescripteur|prescripteur|"
        r"med_traitant|med_trait|med_presc|medecin_referent|medecin_correspondant|doctor|"
        r"physician|referring_doctor|referring_physician|gp|docteur|mt|prescriber)(?:_?\d+)?$",
        0.9,
        "doctor",
    ),
    (
        "mutuelle",
        r"^(?:nom_)?(?:mutuelle|mut|organisme_complementaire|complementaire|amc|mutual|"
        r"insurer|insurance|insurance_name|complementary_insurance)$",
        0.85,
        "health insurer",
    ),
    # --- portal credentials
    (
        "password",
        rf"{_B}(?:mdp|mot_de_passe|motdepasse|password|passwd|pwd|pass|pw){_N}{_E}",
        0.9,
        "password",
    ),
    (
        "login",
        rf"^(?:login|identifiant|user|username|user_name|userid|user_id|compte|"
        rf"account){_N}(?:_web|_portail|_internet|_serveur)?$",
        0.85,
        "login",
    ),
    # --- free text
    (
        "comment",
        rf"^(?:commentaire|commentaires|comment|comments|com|rem|remarque|remarques|"
        rf"observation|observations|obs|note|notes|renseignements_cliniques|rc|info_clinique|"
        rf"infos_cliniques|clinical_info|memo){_N}(?:_patient|_dossier)?$",
        0.9,
        "comment",
    ),
    (
        "exam_list",
        r"^(?:liste_examens|liste_exam|liste_des_examens|examens|exams|exam|examen|"
        r"analyses|actes|liste_actes|tests|test_list|nabm|bilan|prescription|exam_list)$",
        0.85,
        "exam list",
    ),
    (
        "dossier",
        r"^(?:num_dossier|n_dossier|no_dossier|numero_dossier|dossier|id_dossier|"
        r"id_patient|patient_id|ipp|num_patient|n_patient|no_patient|record_id|file_number|"
        r"file_no|mrn|nda)$",
        0.9,
        "record number",
    ),
)

_COMPILED = tuple((role, re.compile(p), score, words) for role, p, score, words in PATTERNS)


def fold_header(header: str) -> str:
    """Fold a header: camelCase split, accents removed, lower case, non-alphanumerics -> ``_``.

    >>> fold_header("Date de Naissance")
    'date_de_naissance'
    >>> fold_header("LastName")
    'last_name'
    """
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", header.strip())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("œ", "oe")
    text = text.replace("Œ", "OE").lower()
    text = re.sub(r"(?<=[a-z])(?=\d)", "_", text)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def header_evidence(header: str) -> dict[str, tuple[float, str]]:
    """Roles a header points to.

    Parameters
    ----------
    header
        The original header (or the working-copy column name).

    Returns
    -------
    dict
        ``{role: (score, words)}``, score in 0..1 (the best pattern per role), ``words`` a short
        description for the evidence text. Empty when the header says nothing known.
    """
    folded = fold_header(header)
    found: dict[str, tuple[float, str]] = {}
    for role, pattern, score, words in _COMPILED:
        if role not in found and pattern.search(folded):
            found[role] = (score, words)
    # A specific role beats the generic patterns it overlaps with.
    if "doctor_postcode" in found:
        found.pop("postcode", None)
        found.pop("doctor_name", None)
    if "other" in found:
        found = {r: v for r, v in found.items() if r == "other" or v[0] > found["other"][0]}
        if found["other"][1] == "a technical field" and len(found) > 1:
            found.pop("other")
    if "birth_name" in found:
        found.pop("usage_name", None)
        found.pop("birth_date", None)
    if found.get("usage_name", (0, ""))[1].startswith("full name"):
        found.pop("first_name", None)
    if "last_visit_date" in found:
        found.pop("sample_date", None)
    if "lab_code" in found:
        found.pop("lab_name", None)
    return found
