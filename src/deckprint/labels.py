"""The words deckprint prints itself, per language: data, not branches."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "conditions": "Conditions de travail",
        "impact": "Impact",
        "source": "Source",
        "testimony": "Témoignage",
        "card_of": "{n} / {total}",
        "category": "Catégorie",
        "country": "Pays",
        "overview": "Vue d’ensemble",
        "published": "publié le {date}",
        "by": "par {author}",
        "scan": "Scannez pour lire la source",
        "other": "Autres",
        # what each PDF is, after the deck's title in its document title
        "pdf_pnp": "planches à imprimer {paper}",
        "pdf_print": "fichier pour l’imprimeur",
        "pdf_posters": "affiches {size}",
    },
    "en": {
        "conditions": "Working conditions",
        "impact": "Impact",
        "source": "Source",
        "testimony": "Testimony",
        "card_of": "{n} / {total}",
        "category": "Category",
        "country": "Country",
        "overview": "Overview",
        "published": "published {date}",
        "by": "by {author}",
        "scan": "Scan to read the source",
        "other": "Other",
        "pdf_pnp": "print-and-play {paper}",
        "pdf_print": "print shop",
        "pdf_posters": "posters {size}",
    },
}

# The facilitator guide and the kit's read-me (deckprint kit). Templates take
# str.format fields; texts are typeset (quotes, no-break spaces) when printed.
GUIDE: dict[str, dict[str, str]] = {
    "fr": {
        "guide": "Guide d'animation",
        "kit": "Kit d'atelier",
        "about": "Le jeu",
        "about_text": "{cards}, {categories}. Chaque carte présente une personne : "
                      "son métier, son pays, son témoignage, ses conditions de travail, et un QR code "
                      "vers la source de son histoire.",
        "about_guide": "Ce guide accompagne un atelier avec ces cartes : le déroulé de la séance, "
                       "les cartes en un coup d'œil, les sources et la façon d'imprimer le kit.",
        "session": "Déroulé de la séance",
        "duration": "Durée",
        "audience": "Pour qui",
        "material": "Matériel",
        "material_text": "Les cartes imprimées, les affiches, une longue bande de papier ou du ruban "
                         "adhésif pour tracer la chaîne, un tableau et des feutres.",
        "goals": "Objectifs",
        "steps": "Étapes",
        "questions": "Questions pour la discussion",
        "minutes": "{n} min",
        "hours": "{h} h",
        "hours_minutes": "{h} h {m:02d}",
        "cards_heading": "Les cartes",
        "number": "N°",
        "name": "Nom",
        "role": "Rôle",
        "categories": "Les catégories",
        "category_cards": "{count} : {numbers}",
        "sources": "Les sources",
        "printing": "Imprimer le kit",
        "license": "Licence et crédits",
        "license_text": "Licence : {license}.",
        "font_text": "Police : {font}.",
        "made_with": "Cartes, affiches et guide faits avec deckprint {version}.",
        "page": "{n} / {total}",
        "readme_name": "LISEZ-MOI.txt",
        "readme_intro": "Ce dossier contient tout ce qu'il faut pour animer un atelier avec le jeu "
                        "« {title} » : les cartes, les affiches et le guide d'animation. "
                        "Commencez par le guide.",
        "readme_files": "Les fichiers",
        "readme_how": "Impression",
        "how": "Impression :",
        # What each file of the kit is, and how to print it.
        "file_guide": "Le guide d'animation (A4) : le déroulé de la séance, la liste des cartes, "
                      "les sources avec leurs QR codes, et ces consignes d'impression.",
        "print_guide": "Sur A4, recto seul ou recto verso, à 100 %.",
        "file_pnp": "Les cartes à imprimer soi-même, sur papier {paper} : {per} par "
                    "feuille, {sheets} ; chaque page de rectos est suivie de ses versos.",
        "print_pnp_long": "Recto verso, « retourner sur le bord long », à 100 % (taille réelle, "
                          "pas « ajuster à la page »), sur papier épais (200 à 300 g/m²). Coupez "
                          "le long des traits de coupe : la couleur dépasse le trait, une coupe un "
                          "peu décalée reste propre.",
        "print_pnp_short": "Recto verso, « retourner sur le bord court », à 100 % (taille réelle, "
                           "pas « ajuster à la page »), sur papier épais (200 à 300 g/m²). Coupez "
                           "le long des traits de coupe.",
        "print_pnp_off": "Recto seul, à 100 % (taille réelle, pas « ajuster à la page »), sur "
                         "papier épais (200 à 300 g/m²). Coupez le long des traits de coupe.",
        "file_print": "Pour un imprimeur : une face de carte par page, recto puis verso de "
                      "chaque carte ({pages}). Format fini {trim} ({size}), fond perdu de "
                      "{bleed} sur chaque bord (pages de {media}) ; CMYK, polices incorporées.",
        "print_print": "Demandez une impression recto verso sur carton de 300 à 350 g/m², coupée "
                       "au format fini ; coins arrondis si vous le souhaitez.",
        "file_posters": "Les affiches {size} : la vue d'ensemble du jeu, puis une affiche par "
                        "personne. Format fini {trim}, fond perdu de {bleed} sur chaque bord.",
        "print_posters": "Chez un imprimeur, ou sur une imprimante {size} à 100 % (la marge "
                         "blanche de l'imprimante rogne alors un peu le fond perdu).",
    },
    "en": {
        "guide": "Facilitator guide",
        "kit": "Workshop kit",
        "about": "The deck",
        "about_text": "{cards}, {categories}. Each card presents one person: "
                      "their job, their country, their testimony, their working conditions, and a "
                      "QR code to the source of their story.",
        "about_guide": "This guide goes with a workshop using these cards: the session outline, "
                       "the cards at a glance, the sources, and how to print the kit.",
        "session": "Session outline",
        "duration": "Duration",
        "audience": "Who for",
        "material": "Materials",
        "material_text": "The printed cards, the posters, a long strip of paper or masking tape "
                         "to lay out the chain, a board and markers.",
        "goals": "Goals",
        "steps": "Steps",
        "questions": "Questions for the discussion",
        "minutes": "{n} min",
        "hours": "{h} h",
        "hours_minutes": "{h} h {m:02d}",
        "cards_heading": "The cards",
        "number": "No.",
        "name": "Name",
        "role": "Role",
        "categories": "The categories",
        "category_cards": "{count}: {numbers}",
        "sources": "The sources",
        "printing": "Printing the kit",
        "license": "License and credits",
        "license_text": "License: {license}.",
        "font_text": "Typeface: {font}.",
        "made_with": "Cards, posters and guide made with deckprint {version}.",
        "page": "{n} / {total}",
        "readme_name": "README.txt",
        "readme_intro": "This folder holds everything needed to run a workshop with the deck "
                        "\"{title}\": the cards, the posters and the facilitator guide. Start "
                        "with the guide.",
        "readme_files": "The files",
        "readme_how": "Printing",
        "how": "Printing:",
        "file_guide": "The facilitator guide (A4): the session outline, the list of cards, the "
                      "sources with their QR codes, and these printing instructions.",
        "print_guide": "On A4, single- or double-sided, at 100 % (on Letter paper, choose \"fit to page\").",
        "file_pnp": "The cards to print yourself, on {paper} paper: {per} a sheet, "
                    "{sheets}; each page of fronts is followed by its backs.",
        "print_pnp_long": "Double-sided, \"flip on long edge\", at 100 % (actual size, not "
                          "\"fit to page\"), on card stock (200–300 g/m², 80–110 lb cover). Cut "
                          "along the crop marks: the color runs past the cut line, so a cut "
                          "slightly off still looks clean.",
        "print_pnp_short": "Double-sided, \"flip on short edge\", at 100 % (actual size, not "
                           "\"fit to page\"), on card stock (200–300 g/m², 80–110 lb cover). Cut "
                           "along the crop marks.",
        "print_pnp_off": "Single-sided, at 100 % (actual size, not \"fit to page\"), on card "
                         "stock (200–300 g/m², 80–110 lb cover). Cut along the crop marks.",
        "file_print": "For a print shop: one card face a page, each card's front then its back "
                      "({pages}). Trim size {trim} ({size}), {bleed} bleed on every edge "
                      "(pages of {media}); CMYK, fonts embedded.",
        "print_print": "Ask for double-sided printing on 300–350 g/m² card, cut to the trim "
                       "size; rounded corners if you like.",
        "file_posters": "The {size} posters: the overview of the deck, then one poster per "
                        "person. Trim size {trim}, {bleed} bleed on every edge.",
        "print_posters": "At a print shop, or on a {size} printer at 100 % (the printer's white "
                         "margin then trims a little of the bleed).",
    },
}

# Counted words, by CLDR plural category (Babel's Locale.plural_form): "1 sheet" and
# "2 sheets", but "0 feuille" and "1 000 000 de feuilles" in French. Each entry has
# "other"; a category the language's rules give and the entry lacks falls back to it.
# Templates take ``n`` and the fields passed to :func:`.wording.counted`.
COUNTS: dict[str, dict[str, dict[str, str]]] = {
    "fr": {
        "cards": {"one": "{n} carte", "many": "{n} de cartes", "other": "{n} cartes"},
        "categories": {"one": "{n} catégorie", "many": "{n} de catégories", "other": "{n} catégories"},
        "sheets": {"one": "{n} feuille", "many": "{n} de feuilles", "other": "{n} feuilles"},
        "pages": {"one": "{n} page", "many": "{n} de pages", "other": "{n} pages"},
        "source_cards": {"one": "Carte {numbers}", "other": "Cartes {numbers}"},
        "page_list": {"one": "page {numbers}", "other": "pages {numbers}"},
    },
    "en": {
        "cards": {"one": "{n} card", "other": "{n} cards"},
        "categories": {"one": "{n} category", "other": "{n} categories"},
        "sheets": {"one": "{n} sheet", "other": "{n} sheets"},
        "pages": {"one": "{n} page", "other": "{n} pages"},
        "source_cards": {"one": "Card {numbers}", "other": "Cards {numbers}"},
        "page_list": {"one": "page {numbers}", "other": "pages {numbers}"},
    },
}


# The session outline the guide prints for a deck without a ``workshop:`` section (and
# for each key a deck's section leaves out): two hours with a persona deck.
WORKSHOP_DEFAULT: dict[str, dict] = {
    "fr": {
        "duration": 120,
        "audience": "Un groupe de 8 à 20 personnes ; aucune connaissance préalable n'est nécessaire.",
        "goals": [
            "Découvrir les personnes du jeu, leurs métiers et leurs conditions de travail.",
            "Relier leurs histoires entre elles et à notre vie de tous les jours.",
            "Imaginer ce que nous pouvons faire, seuls ou ensemble.",
        ],
        "steps": [
            ("Accueil", 10, "Présentez le jeu et le but de la séance. Demandez à chacun ce qu'il "
                            "sait déjà du sujet ; notez les réponses au tableau."),
            ("Découverte des cartes", 25, "Par groupes de trois ou quatre : chaque groupe reçoit les "
                                          "cartes d'une ou deux catégories (la couleur du bandeau), "
                                          "les lit et choisit une personne à présenter aux autres en "
                                          "une minute."),
            ("Relier les histoires", 25, "Ensemble, placez toutes les cartes le long d'une grande "
                                         "flèche au mur ou au sol, dans l'ordre des catégories, et "
                                         "affichez la vue d'ensemble. Qu'est-ce qui relie ces "
                                         "personnes ?"),
            ("Discussion", 30, "En grand groupe, à partir des questions ci-dessous."),
            ("Et maintenant ?", 20, "Par deux, notez une action à votre portée et une action "
                                    "collective ; mise en commun au tableau."),
            ("Clôture", 10, "Revenez aux réponses du début. Le QR code de chaque carte mène à sa "
                            "source, pour aller plus loin."),
        ],
        "questions": [
            "Quelle carte vous a le plus marqué, et pourquoi ?",
            "Lesquelles de ces situations connaissiez-vous ? Pourquoi sont-elles si peu visibles ?",
            "Qui profite de ce travail, et qui en paie le prix ?",
            "Qui pourrait changer ces conditions, et comment ?",
            "Que pouvons-nous faire, seuls ou ensemble ?",
        ],
    },
    "en": {
        "duration": 120,
        "audience": "A group of 8 to 20 people; no prior knowledge is needed.",
        "goals": [
            "Meet the people of the deck, their jobs and their working conditions.",
            "Connect their stories with each other and with our everyday lives.",
            "Imagine what we can do, alone or together.",
        ],
        "steps": [
            ("Welcome", 10, "Introduce the deck and the aim of the session. Ask what people "
                            "already know about the subject; write the answers on the board."),
            ("Discovering the cards", 25, "In groups of three or four: each group gets the cards "
                                          "of one or two categories (the color of the band), reads "
                                          "them and picks one person to present to the others in "
                                          "a minute."),
            ("Connecting the stories", 25, "Together, lay all the cards along a large arrow on the "
                                           "wall or the floor, in the order of the categories, and "
                                           "put up the overview poster. What links these people?"),
            ("Discussion", 30, "As one group, with the questions below."),
            ("What now?", 20, "In pairs, write down one action within your reach and one "
                              "collective action; share them on the board."),
            ("Closing", 10, "Go back to the answers from the start. Each card's QR code leads to "
                            "its source, to learn more."),
        ],
        "questions": [
            "Which card struck you most, and why?",
            "Which of these situations did you know about? Why are they so hard to see?",
            "Who profits from this work, and who pays the price?",
            "Who could change these conditions, and how?",
            "What can we do, alone or together?",
        ],
    },
}

# Hyphenation dictionaries (pyphen) per language.
HYPHENATION = {"fr": "fr_FR", "en": "en_GB"}


def base_language(tag: str) -> str | None:
    """``fr-CA`` → ``fr`` when deckprint knows the language, else None."""
    base = tag.replace("_", "-").split("-")[0].lower()
    return base if base in LABELS else None
