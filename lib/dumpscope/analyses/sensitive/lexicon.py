"""French lexicon of sensitive health mentions: terms per category, medication names per class, cues.

Every pattern is written for **normalized text** (see :func:`normalize_text`): lower case, accents
removed character by character (length preserved, so offsets map back to the original), ``β`` as
``b``, typographic apostrophes as ``'``, ``œ`` kept as is. Patterns use only the regex subset shared
by Python ``re`` and the Rust engine behind polars (no look-around), because the same terms feed
the vectorized prefilter and the qualifier engine. Each term list is wrapped as
``\\b(?:t1|t2|...)\\b``.

Sources: clinical usage in French lab comments (abbreviations such as VIH, VHB, DT2, SA, ATCD),
the ANSM/Vidal brand names of the commonest drugs of each class, and the categories and classes
fixed in ``docs/contracts.md`` §6.
"""

from __future__ import annotations

import unicodedata

import polars as pl

#: Sensitive categories (contracts §6), in report order.
CATEGORIES = (
    "hiv",
    "hepatitis",
    "cancer",
    "genetic",
    "pregnancy",
    "fertility",
    "diabetes",
    "chronic_other",
    "psychiatric",
    "disability",
    "medication",
)

#: Qualifiers (contracts §6), in row-level precedence order: when one row mentions a category with
#: several qualifiers, the first of this tuple wins (positive > family > requested > negated).
QUALIFIERS = ("positive", "family", "requested", "negated")

#: Medication classes (contracts §6); when one row names several classes with the winning
#: qualifier, the first of this tuple is reported.
MEDICATION_CLASSES = (
    "antiretroviral",
    "anticoagulant",
    "insulin",
    "thyroid",
    "antidiabetic_oral",
    "antidepressant",
    "antipsychotic",
    "chemotherapy",
    "hormonal_fertility",
    "other",
)

# --------------------------------------------------------------------------------------------
# Terms naming a condition (default qualifier: positive)
# --------------------------------------------------------------------------------------------
TERMS: dict[str, tuple[str, ...]] = {
    "hiv": (
        r"vih[ -]?[12]?",
        r"hiv[ -]?[12]?",
        r"v\.i\.h",
        r"sida",
        r"s[eé]ro[ -]?positi\w*",
        r"seropo",
        r"s[eé]ro[ -]?negati\w*",
        r"virus de l'immunodeficience humaine",
    ),
    "hepatitis": (
        r"h[eé]patites?(?: virales?)?(?: chroniques?)?(?: [abcde])?",
        r"hepatopathie virale",
        r"vh[bcde]",
    ),
    "cancer": (
        r"cancers?",
        r"cancereu\w*",
        r"(?:k|ca|neo) (?:du |de la |des |de l'|de |d')?(?:sein|colon|prostate|poumon|"
        r"pulmonaire|vessie|ovaire|uterus|pancreas|rectum|estomac|foie|col|thyroide|rein|"
        r"colique|colorectal|mammaire|prostatique|gastrique|pancreatique|ovarien|vesical|"
        r"renal|orl|digestif|hepatique|uterin|bronchique)",
        r"tumeurs?",
        r"tumoral\w*",
        r"neoplasi\w*",
        r"neoplasme\w*",
        r"carcinom\w*",
        r"adenocarcinom\w*",
        r"lymphomes?",
        r"leuc[eé]mi\w*",
        r"leucose",
        r"myelomes?",
        r"melanomes?",
        r"sarcomes?",
        r"glioblastomes?",
        r"metastas\w*",
        r"metastatique\w*",
        r"chimio",
        r"chimiotherapi\w*",
        r"radiotherapi\w*",
        r"oncolog\w*",
        r"hodgkin",
        r"onco",
        r"neo",
        r"oncologue",
    ),
    "genetic": (
        r"mucovisc?idos\w*",
        r"trisomi\w*",
        r"t21",
        r"drepanocyt\w*",
        r"hemophil\w*",
        r"thalass[eé]mi\w*",
        r"maladies? (?:genetiques?|hereditaires?|orphelines?)",
        r"anomalies? (?:genetiques?|chromosomiques?)",
        r"syndrome de (?:turner|klinefelter|down|marfan|l'x fragile)",
        r"x fragile",
        r"myopathie de duchenne",
        r"(?:maladie|choree) de huntington",
        r"hemochromatose",
        r"mutations?(?: (?:hfe|brca\w*|c282y|h63d|f508del|du gene|genetique))?",
        r"facteur v leiden",
        r"brca ?[12]?",
        r"porteur sain",
        r"porteuse saine",
        r"amyotrophie spinale",
        r"neurofibromatose",
        r"maladie de gaucher",
    ),
    "pregnancy": (
        r"gros+es+es?",
        r"grosses+e",
        r"enceinte",
        r"enceinte de \d+",
        r"\d{1,2} ?(?:sa|s\.a)",
        r"\d{1,2} ?sem(?:aines)? d'amenorrhee",
        r"semaines d'amenorrhee",
        r"terme prevu",
        r"post[ -]?partum",
        r"parturiente",
        r"gestante",
        r"gestationnel\w*",
        r"primigeste",
        r"multigeste",
        r"ivg",
        r"interruption volontaire de grossesse",
        r"fausse[ -]couche",
        r"geu",
        r"grossesse extra[ -]uterine",
        r"accouchement",
        r"prenatal\w*",
        r"dpni",
    ),
    "fertility": (
        r"fiv",
        r"f\.i\.v",
        r"icsi",
        r"pma",
        r"fecondation in vitro",
        r"assistance medicale a la procreation",
        r"procreation medicalement assistee",
        r"stimulation ovarienne",
        r"stim(?:ulation)? ovar\w*",
        r"stimulations?",
        r"monitorage (?:de (?:la )?)?(?:stimulation|ovulation|folliculaire)",
        r"hyperstimulation ovarienne",
        r"inseminations?(?: artificielles?)?",
        r"iac",
        r"iad",
        r"transfert d'embryons?",
        r"transfert embryonnaire",
        r"ponction ovocytaire",
        r"don d'ovocytes?",
        r"infertilit\w*",
        r"sterilit\w*",
        r"infecondit\w*",
    ),
    "diabetes": (
        r"diab[eè]t+\w*",
        r"diabete",
        r"diabetique\w*",
        r"diab",
        r"dt ?[12]",
        r"dnid",
        r"did",
        r"insulino[ -]?(?:dependant|requerant|resistant)e?",
    ),
    "chronic_other": (
        r"insuffisan(?:ce|t|te) (?:renale?|cardiaque|respiratoire|hepatique)\w*",
        r"irc",
        r"irct",
        r"dialys\w*",
        r"hemodialys\w*",
        r"bpco",
        r"asthm\w*",
        r"maladie de (?:crohn|parkinson|alzheimer|basedow|hashimoto|horton|still)",
        r"crohn",
        r"rectocolite(?: hemorragique)?",
        r"rch",
        r"polyarthrite(?: rhumatoide)?",
        r"spondylarthrite\w*",
        r"lupus",
        r"sclerose en plaques",
        r"epilep\w*",
        r"parkinson\w*",
        r"alzheimer",
        r"cirrhose\w*",
        r"hypothyroidie",
        r"hyperthyroidie",
        r"hypertension(?: arterielle)?",
        r"hypertendue?s?",
        r"maladie c(?:oe|œ)liaque",
        r"c(?:oe|œ)liaque",
        r"insuffisance coronarienne",
        r"hta",
        r"cardiopathie\w*",
        r"coronarien\w*",
        r"greff[eé]e?s?(?: renale?| cardiaque| hepatique)?",
        r"transplant[eé]\w*",
    ),
    "psychiatric": (
        r"depressi\w*",
        r"syndrome depressif",
        r"etat depressif",
        r"schizophren\w*",
        r"schizo",
        r"bipolaire\w*",
        r"bipolarite",
        r"cmp",
        r"psy",
        r"centre medico[ -]psychologique",
        r"troubles? bipolaires?",
        r"psychos\w*",
        r"psychotique\w*",
        r"troubles? psychiatriques?",
        r"maladie psychiatrique",
        r"psychiatri\w*",
        r"anorexie mentale",
        r"boulimi\w*",
        r"tentative de suicide",
        r"ts (?:en |le |a )?\d{4}",
        r"troubles? anxieu\w*",
        r"toc",
        r"toxicomani\w*",
        r"alcoolisme",
        r"ethylisme\w*",
        r"ethylique\w*",
    ),
    "disability": (
        r"sourde?s?",
        r"surdite",
        r"malentendante?s?",
        r"mal[ -]?voyante?s?",
        r"non[ -]voyante?s?",
        r"aveugles?",
        r"cecite",
        r"handicap\w*",
        r"fauteuil(?: roulant)?",
        r"grabataire\w*",
        r"mobilite reduite",
        r"pmr",
        r"tetraplegi\w*",
        r"paraplegi\w*",
        r"hemiplegi\w*",
        r"deficience (?:intellectuelle|mentale|visuelle|auditive)",
        r"deficient\w* (?:intellectuel|mental|visuel|auditi)\w*",
        r"autis\w*",
        r"imc",
        r"infirmite motrice cerebrale",
        r"retard mental",
        r"polyhandicap\w*",
        r"amputee?",
        r"muette?",
        r"invalidite",
    ),
}

#: Terms naming a *test* rather than a condition: without a result cue they mean "requested".
TEST_TERMS: dict[str, tuple[str, ...]] = {
    "hepatitis": (
        r"ag ?hbs",
        r"hbs ?ag",
        r"anti[ -]?hb[cse]",
        r"anti[ -]?vhc",
        r"ac anti[ -]?hb[cs]",
    ),
    "cancer": (r"ca ?(?:125|15[ .-]?3|19[ .-]?9)", r"marqueurs? tumora\w*"),
    "pregnancy": (r"b ?-? ?hcg", r"beta ?-? ?hcg", r"hcg", r"test de grossesse"),
    "genetic": (
        r"caryotype\w*",
        r"test genetique",
        r"analyses? genetiques?",
        r"etude genetique",
        r"consultation genetique",
        r"conseil genetique",
    ),
    "fertility": (r"spermogramme\w*", r"bilan de fertilite", r"bilan d'infertilite", r"amh"),
    "diabetes": (r"hgpo",),
}

#: Medication names (brands and INN) per class. A positive antiretroviral mention also makes the
#: row ``hiv`` positive (contracts §6), except PrEP (a prevention treatment of HIV-negative persons).
MEDICATIONS: dict[str, tuple[str, ...]] = {
    "antiretroviral": (
        r"biktarvy",
        r"triumeq",
        r"truvada",
        r"genvoya",
        r"stribild",
        r"atripla",
        r"eviplera",
        r"odefsey",
        r"descovy",
        r"dovato",
        r"juluca",
        r"symtuza",
        r"prezista",
        r"prezcobix",
        r"rezolsta",
        r"isentress",
        r"tivicay",
        r"kivexa",
        r"combivir",
        r"trizivir",
        r"delstrigo",
        r"pifeltro",
        r"edurant",
        r"sustiva",
        r"viread",
        r"emtriva",
        r"norvir",
        r"reyataz",
        r"kaletra",
        r"intelence",
        r"celsentri",
        r"vocabria",
        r"raltegravir",
        r"dolutegravir",
        r"bictegravir",
        r"elvitegravir",
        r"cabotegravir",
        r"tenofovir",
        r"emtricitabine",
        r"efavirenz",
        r"rilpivirine",
        r"darunavir",
        r"abacavir",
        r"lamivudine",
        r"zidovudine",
        r"azt",
        r"nevirapine",
        r"atazanavir",
        r"lopinavir",
        r"etravirine",
        r"doravirine",
        r"antiretrovira\w*",
        r"anti[ -]retrovira\w*",
        r"arv",
        r"tritherapie\w*",
    ),
    "anticoagulant": (
        r"previscan",
        r"fluindione",
        r"coumadine",
        r"warfarine",
        r"mini[ -]?sintrom",
        r"sintrom",
        r"acenocoumarol",
        r"eliquis",
        r"apixaban",
        r"xarelto",
        r"rivaroxaban",
        r"pradaxa",
        r"dabigatran",
        r"lixiana",
        r"edoxaban",
        r"lovenox",
        r"enoxaparine",
        r"innohep",
        r"tinzaparine",
        r"fragmine",
        r"dalteparine",
        r"arixtra",
        r"fondaparinux",
        r"calciparine",
        r"heparine\w*",
        r"hbpm",
        r"avk",
        r"aod",
        r"naco",
        r"anti[ -]?coagul\w*",
    ),
    "insulin": (
        r"lantus",
        r"levemir",
        r"tresiba",
        r"toujeo",
        r"abasaglar",
        r"novorapid",
        r"novomix",
        r"humalog",
        r"apidra",
        r"fiasp",
        r"humulin\w*",
        r"umuline",
        r"insulatard",
        r"insulines?",
        r"insulinotherapi\w*",
    ),
    "thyroid": (
        r"levothyrox",
        r"l ?-? ?thyroxine?",
        r"levothyroxine",
        r"euthyrox",
        r"euthyral",
        r"tcaps",
        r"cynomel",
        r"neomercazole",
        r"thyrozol",
        r"propylthiouracile",
    ),
    "antidiabetic_oral": (
        r"metformine",
        r"glucophage",
        r"stagid",
        r"janumet",
        r"januvia",
        r"xelevia",
        r"sitagliptine",
        r"galvus",
        r"eucreas",
        r"vildagliptine",
        r"diamicron",
        r"gliclazide",
        r"amarel",
        r"glimepiride",
        r"daonil",
        r"glibenclamide",
        r"forxiga",
        r"dapagliflozine",
        r"jardiance",
        r"empagliflozine",
        r"xigduo",
        r"antidiabetiques? oraux",
    ),
    "antidepressant": (
        r"deroxat",
        r"paroxetine",
        r"seroplex",
        r"escitalopram",
        r"seropram",
        r"citalopram",
        r"prozac",
        r"fluoxetine",
        r"zoloft",
        r"sertraline",
        r"effexor",
        r"venlafaxine",
        r"cymbalta",
        r"duloxetine",
        r"laroxyl",
        r"amitriptyline",
        r"anafranil",
        r"clomipramine",
        r"norset",
        r"mirtazapine",
        r"athymil",
        r"mianserine",
        r"brintellix",
        r"antidepresseu\w*",
    ),
    "antipsychotic": (
        r"risperdal",
        r"risperidone",
        r"zyprexa",
        r"olanzapine",
        r"abilify",
        r"aripiprazole",
        r"haldol",
        r"haloperidol",
        r"leponex",
        r"clozapine",
        r"xeroquel",
        r"quetiapine",
        r"solian",
        r"amisulpride",
        r"tercian",
        r"loxapac",
        r"loxapine",
        r"antipsychotique\w*",
        r"neuroleptique\w*",
    ),
    "chemotherapy": (
        r"chimio",
        r"chimiotherapi\w*",
        r"cisplatine",
        r"carboplatine",
        r"oxaliplatine",
        r"5 ?-? ?fu",
        r"fluorouracile",
        r"capecitabine",
        r"xeloda",
        r"docetaxel",
        r"taxotere",
        r"paclitaxel",
        r"taxol",
        r"cyclophosphamide",
        r"endoxan",
        r"doxorubicine",
        r"adriamycine",
        r"gemcitabine",
        r"gemzar",
        r"herceptin",
        r"trastuzumab",
        r"avastin",
        r"bevacizumab",
        r"tamoxifene",
        r"nolvadex",
        r"letrozole",
        r"femara",
        r"anastrozole",
        r"arimidex",
        r"imatinib",
        r"glivec",
    ),
    "hormonal_fertility": (
        r"gonal[ -]?f",
        r"puregon",
        r"menopur",
        r"ovitrelle",
        r"clomid",
        r"clomifene",
        r"fostimon",
        r"pergoveris",
        r"elonva",
        r"orgalutran",
        r"cetrotide",
        r"luveris",
        r"decapeptyl",
        r"gonadotrophines?",
        r"bemfola",
        r"ovaleap",
        r"rekovelle",
    ),
    "other": (
        r"teralithe",
        r"doliprane",
        r"dafalgan",
        r"efferalgan",
        r"paracetamol",
        r"tahor",
        r"atorvastatine",
        r"crestor",
        r"rosuvastatine",
        r"simvastatine",
        r"zocor",
        r"pravastatine",
        r"statines?",
        r"inexium",
        r"esomeprazole",
        r"mopral",
        r"omeprazole",
        r"pantoprazole",
        r"amlor",
        r"amlodipine",
        r"coversyl",
        r"perindopril",
        r"ramipril",
        r"triatec",
        r"bisoprolol",
        r"cardensiel",
        r"detensiel",
        r"aprovel",
        r"irbesartan",
        r"cozaar",
        r"losartan",
        r"furosemide",
        r"allopurinol",
        r"zyloric",
        r"levocetirizine",
        r"ventoline",
        r"seretide",
        r"symbicort",
        r"xanax",
        r"alprazolam",
        r"lexomil",
        r"bromazepam",
        r"stilnox",
        r"zolpidem",
        r"imovane",
        r"tramadol",
        r"ibuprofene",
        r"advil",
        r"spasfon",
        r"speciafoldine",
        r"uvedose",
        r"tardyferon",
        r"lithium",
        r"depakine",
        r"depakote",
        r"keppra",
        r"lamictal",
        r"cortancyl",
        r"solupred",
        r"corticotherapi\w*",
        r"methotrexate",
        r"kardegic",
        r"plavix",
        r"cordarone",
        r"amiodarone",
        r"lasilix",
        r"aspirine",
        r"ozempic",
        r"victoza",
        r"trulicity",
    ),
}

#: Antiretroviral mentions that do not imply an HIV infection (pre-exposure prophylaxis).
PREP_TERMS = (
    r"(?:sous|en|ttt|traitement|cadre d'une|cadre de la) prep",
    r"prep (?:vih|hiv)",
    r"prophylaxie pre[ -]?exposition",
)

# --------------------------------------------------------------------------------------------
# Qualifier cues (searched in a mention's window: same clause, see qualify.py)
# --------------------------------------------------------------------------------------------
#: Negation before the term, within the last few words of the pre-window.
NEGATION_PRE = (
    r"\b(?:pas|absence|absente?|sans|aucune?|ni|non|nie|jamais|negatif pour|negative pour|"
    r"elimine\w*|exclu\w*)\b(?:\s*\S+){0,4}\s*$"
)
#: Negation after the term (a negative result, an exclusion).
NEGATION_POST = (
    r"^\s*:?\s*-+\s*(?:$|[,)])|^[\s:=(]*(?:neg\b|negati\w*|non\b|absente?s?\b|exclue?s?\b|"
    r"normale?s?\b|ininterpretable)"
    r"|\b(?:neg|negati(?:f|ve|fs|ves)|absente?s?|exclue?s?|non detecte\w*|non retrouve\w*|"
    r"non reacti\w*|normale?s?|infirme\w*|immunise\w*|vaccine\w*)\b"
)
#: Positive result after the term (wins over request cues: "sérologie VIH positive").
POSITIVE_POST = (
    r"^\s*\+|^[\s:=(]*(?:pos\b|positi\w*|\+)"
    r"|\b(?:positi(?:f|ve|fs|ves)|confirmee?s?|connue?s?|averee?s?|documentee?s?)\b"
)
#: Request / hypothesis cues (pre- or post-window).
REQUEST = (
    r"\?|\b(?:demande\w*|dmd|a faire|a prevoir|a realiser|a programmer|a rechercher|"
    r"depistage\w*|recherche\w*|rech|serologi\w*|sero|test|tests|bilan|suspicion\w*|suspect\w*|"
    r"possible\w*|probable\w*|eventuel\w*|a confirmer|a verifier|a controler|a eliminer|"
    r"a exclure|doute\w*|en attente|prescri\w*|evoque\w*|si)\b"
)
#: Extra request cue for infections (a follow-up test): "contrôle VIH à 3 mois".
REQUEST_INFECTION = r"\b(?:controle\w*|a controler|a \d+ mois)\b"
#: Family cues before the term (same clause).
FAMILY_PRE = (
    r"\b(?:mere|pere|frere|freres|s(?:oe|œ)ur|s(?:oe|œ)urs|fils|fille|grand[ -]?mere|"
    r"grand[ -]?pere|gd[ -]?(?:mere|pere)|oncle|tante|cousine?|neveu|niece|maman|papa|parents|"
    r"famil\w*|atcd fam\w*|antecedents? fam\w*|jumeau|jumelle|cote maternel|cote paternel|"
    r"ascendants?|collateral\w*)\b"
)
#: Family cues after the term ("cancer du sein chez la mère", "diabète (père)").
FAMILY_POST = (
    r"\b(?:chez (?:sa |la |le |son |ses |les )?|\(\s*)(?:mere|pere|frere|s(?:oe|œ)ur|fils|fille|"
    r"grand[ -]?mere|grand[ -]?pere|oncle|tante|cousine?|maman|papa|parents)\b"
    r"|\b(?:familia(?:l|le|ux|les)|dans la famille)\b"
)
#: A dash closing a clause ("VIH -") is glued to the word before it, so that the separator
#: " - " (a sentence break) does not swallow it: applied before splitting into sentences.
CLOSING_DASH = r"\s+-\s*(\s-\s|[|;,\n]|$)"
#: Words edsnlp's family pipe reads as family but that name the patient in a lab comment.
PATIENT_WORDS = r"\b(?:enfant|bebe|nourrisson|nouveau[ -]ne)\b"
#: Treatment stopped (medication and fertility treatment): negated.
MEDICATION_STOP = r"\b(?:arret\w*|stop\w*|interrompu\w*|suspendu\w*|plus de|ne prend plus)\b"
#: Viral load / CD4 follow-up: the infection is known (positive), whatever the result.
VIRAL_LOAD = r"\b(?:charge virale|cv|arn|adn|cd4|genotypage)\b(?:\s*\S+){0,2}\s*$"

#: Phrases that look like cues but are not (removed from the windows before cue search).
PSEUDO = (
    r"\b(?:non|pas)\s+(?:a\s+)?jeun\b",
    r"\bnon\s+(?:insulino\w*|evolutiv\w*|desire\w*|prevue?s?|programme\w*|equilibre\w*|"
    r"traite\w*|controle\w*|stabilise\w*|substitue\w*|complique\w*|suivi\w*)",
    r"\bsans\s+doute\b",
    r"\bnon\s+seulement\b",
    r"\bpas\s+de\s+changement\b",
    r"\bmal\s+equilibre\w*",
    r"\bnom de (?:jeune )?fille\b",
    r"\bjeune fille\b",
    r"\b(?:accompagne\w*|venue?s?|amene\w*|vient|conduite?s?)\s+(?:de|par|avec)\s+"
    r"(?:sa|son|ses|la|le)\s+\w+",
    r"\bchez (?:sa|son) (?:fille|fils|mere|pere|soeur|frere|parents)\s+(?:pendant|pour|en)\b",
    r"\bne\s+pas\s+(?:appeler|rappeler|telephoner|prelever|envoyer|faxer)\b",
    r"\btest de stimulation\b",
    r"\ben attente (?:de|du|des) (?:la |l')?(?:mutuelle|paiement|carte|attestation|"
    r"ordonnance|reglement)\w*",
    r"\bnon[ -]voyante?s?\b",
    r"\bnon[ -]hodgkinien\w*",
    r"\bnon a petites cellules\b",
)

#: Contexts that cancel a mention (the term does not disclose the category).
VETO: dict[str, str] = {
    # "séronégative toxoplasmose / rubéole": serology of another infection, not HIV (applies to
    # the séropositif / séronégatif terms only).
    "hiv": r"^\S*\s*(?:\S+\s+){0,2}(?:toxo\w*|rubeol\w*|cmv|syphil\w*|hepatit\w*|vh[bc]|ebv|"
    r"lyme|chlamyd\w*|varicel\w*)",
    # "tumeur bénigne", "marqueurs tumoraux normaux" stay; benign tumours are not cancer.
    "cancer": r"^\S*\s*(?:\S+\s+){0,1}benigne?s?\b",
    # the hepatitis B vaccine discloses no disease.
    "hepatitis": r"^\S*\s*(?:\S+\s+){0,2}vaccin\w*",
    # "fauteuil" only as a wheelchair; "IMC 32" / "IMC : 27" is a body-mass index.
    "disability": r"^(?:\s*de\s+(?:prelevement|repos))|^\s*[:=]?\s*\d",
    # "héparine de lithium": the anticoagulant of a sample tube, not a treatment.
    "medication": r"^\s*(?:de\s+|au\s+)?lithium\b",
}
#: Pre-window contexts that cancel a mention (e.g. "vaccin hépatite B", "cancer screening age").
VETO_PRE: dict[str, str] = {
    "hepatitis": r"\bvaccin\w*(?:\s*\S+){0,3}\s*$",
    "disability": r"\b(?:prelevement|prelevee?)\s+(?:sur|en)\s*$",
    # sample tubes: "tube hépariné", "tube héparine de lithium", "héparinate de lithium"
    "medication": r"\btubes?\b[^,;]{0,20}$|\bhepari\w*\s+(?:de\s+)?$|\bflacons?\s*$",
}

_SPECIAL = {"β": "b", "’": "'", "‘": "'", "`": "'", "´": "'", "\u00a0": " ", "ß": "s"}


def _accent_map() -> dict[str, str]:
    """Map every accented Latin letter to its base letter (one character to one character)."""
    out: dict[str, str] = dict(_SPECIAL)
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFKD", ch)[:1].lower()
        low = ch.lower()
        if len(low) == 1 and base.isascii() and base.isalpha() and base != low:
            out[low] = base
    return out


ACCENT_MAP: dict[str, str] = _accent_map()
_TRANSLATE = str.maketrans(ACCENT_MAP)


#: "K" alone is also potassium ("pas de K" on a ionogram): it reads as cancer only after a
#: pathology examination in the same sentence ("biopsie négative (pas de K)", "anapath : K").
#: Applied to normalized text; group 1 keeps the context, the K becomes "cancer".
PATHOLOGY_K = r"((?:biops|anapath|histolog|cytolog|mammograph)\w*\b[^.;|!\n]{0,40}?)\bk\b"


#: An elision apostrophe typed one letter late ("pas dH'TA" for "pas d'HTA"): ``d``/``l`` + a
#: letter + apostrophe inside a word. Replaced by ``\1'\2`` on normalized text.
ELISION_SLIP = r"\b([dl])([a-z])'([a-z])"


def normalize_text(text: str) -> str:
    """Lower-case and strip accents, one character for one character (offsets are preserved)."""
    return text.lower().translate(_TRANSLATE)


def normalize_expr(expr: pl.Expr) -> pl.Expr:
    """The polars (vectorized) twin of :func:`normalize_text`."""
    keys = list(ACCENT_MAP)
    return expr.str.to_lowercase().str.replace_many(keys, [ACCENT_MAP[k] for k in keys])


def union(patterns: tuple[str, ...] | list[str]) -> str:
    """Wrap term fragments as one word-bounded alternation ``\\b(?:a|b|...)\\b``."""
    return r"\b(?:" + "|".join(patterns) + r")\b"


def all_term_patterns() -> dict[str, str]:
    """One word-bounded alternation per category (condition + test terms, medications included).

    Returns
    -------
    dict
        ``{category: pattern}``; ``medication`` gathers every class, ``hiv`` also gathers the
        antiretrovirals.
    """
    out: dict[str, str] = {}
    for cat in CATEGORIES:
        frags = list(TERMS.get(cat, ())) + list(TEST_TERMS.get(cat, ()))
        if cat == "medication":
            frags = [f for cls in MEDICATION_CLASSES for f in MEDICATIONS[cls]] + list(PREP_TERMS)
        out[cat] = union(frags)
    return out
