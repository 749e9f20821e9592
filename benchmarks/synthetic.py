"""The benchmark's synthetic decks: ``make_deck(n, path)`` writes a French deck of ``n``
tarot cards that looks like the bundled one (its categories and colours, names, roles
and countries with accents), with a testimony of 150–420 characters made from a small
word bank (different on every card), 3–6 conditions, an impact on half the cards, and
on the other half a card source of its own (a distinct ~120-character URL).

Importable: tests/test_benchmark_smoke.py checks that the generated decks are valid.
"""

from __future__ import annotations

import random
from pathlib import Path

# The bundled French deck's categories, labels and colours.
CATEGORIES = {
    "extraction": ("Extraction des minerais", "#8C3B1F"),
    "fabrication": ("Fabrication du matériel", "#4B5563"),
    "infrastructure": ("Eau, énergie et data centers", "#1F5F8B"),
    "donnees": ("Travail des données", "#00695C"),
    "moderation": ("Modération", "#8E2469"),
    "recherche": ("Recherche", "#5E3C8C"),
    "creation": ("Création", "#7A5A00"),
}

ROLES = {
    "extraction": ["Extractrice de terres rares", "Mineur de cobalt", "Trieuse de déchets électroniques",
                   "Creuseur de lithium", "Porteur de minerai"],
    "fabrication": ["Ouvrière d'assemblage de puces", "Technicien de salle blanche",
                    "Soudeuse de cartes électroniques", "Contrôleur qualité"],
    "infrastructure": ["Technicien de data center", "Agent de maintenance des refroidisseurs",
                       "Riveraine d'un centre de données", "Électricien de réseau"],
    "donnees": ["Annotatrice d'images", "Transcripteur de voix", "Étiqueteuse de données médicales",
                "Évaluateur de réponses d'IA", "Correctrice de traductions automatiques"],
    "moderation": ["Modératrice de contenus", "Modérateur de vidéos", "Vérificatrice de signalements"],
    "recherche": ["Chercheuse en éthique de l'IA", "Doctorant en apprentissage automatique",
                  "Ingénieure de recherche précaire"],
    "creation": ["Illustratrice", "Doubleur de voix", "Traductrice littéraire", "Photographe indépendant"],
}

NAMES = ["Hao", "Koffi", "Aïcha", "Zoë", "Hélène", "José", "Fatoumata", "Noé", "Chloé", "Joël",
         "Léa", "Mégane", "Thérèse", "Raphaël", "Inès", "Anaïs", "Benoît", "Céline", "Dévi",
         "Ngozi", "Priya", "Mamadou", "Lúcia", "Sébastien", "Maëlle", "Amélie", "Jérôme",
         "Grâce", "Nadège", "Ömer", "Tiago", "Ama", "Wanjiru", "Rahim", "Jun", "Mireille",
         "Françoise", "Loïc", "Émilie", "Kwamé"]

COUNTRIES = ["Chine", "Kenya", "Inde", "Tunisie", "Philippines", "Madagascar", "Japon", "France",
             "Finlande", "Espagne", "Corée du Sud", "Colombie", "Canada", "Brésil", "Royaume-Uni",
             "Taïwan", "République démocratique du Congo", "Égypte", "Ouganda", "Mexique", "Maroc",
             "Sénégal", "Nigéria", "Bangladesh", "Viêt Nam", "Pérou", "Côte d'Ivoire", "Indonésie"]

VERBS = ["J'annote", "Je trie", "Je vérifie", "Je modère", "Je démonte", "Je transcris", "Je classe",
         "Je nettoie", "Je surveille", "Je répare", "J'étiquette", "Je corrige"]
OBJECTS = ["des milliers d'images", "des vidéos violentes", "des phrases générées par l'IA",
           "des données médicales", "des câbles et des serveurs", "des déchets électroniques",
           "des enregistrements de voix", "des photos de rues", "des réponses de chatbots",
           "des minerais encore humides", "des cartes mères défectueuses"]
PLACES = ["dans un entrepôt près de Nairobi", "depuis ma cuisine à Manille", "dans une usine à Shenzhen",
          "pour une plateforme américaine", "dans un data center en Irlande", "chez moi, la nuit",
          "à Antananarivo, sous la chaleur", "dans un bureau à Bogotá", "au fond d'une mine à Kolwezi",
          "pour un sous-traitant européen"]
SENTENCES = [
    "On me paie {money} de l'heure, parfois moins.",
    "Personne ne sait que ce travail existe.",
    "Mes journées durent souvent douze heures, sans pause.",
    "Je n'ai ni contrat ni assurance maladie.",
    "Le soir, les images me reviennent en mémoire.",
    "L'algorithme décide seul si mon travail est « correct ».",
    "Ça m'inquiète pour ma santé et celle de ma famille.",
    "Je rêve d'un métier où l'on écoute les travailleurs.",
    "Les entreprises qui en profitent ne me connaissent pas.",
    "Quand je me plains, on me répond qu'il y a dix candidats derrière moi.",
    "Mes enfants croient que je travaille « dans l'informatique ».",
    "Il faut aller vite : chaque tâche est chronométrée.",
    "Nous avons créé un collectif pour être entendus !",
    "Pourquoi mon nom n'apparaît-il nulle part ?",
]
MONEY = ["1,50 $", "2 €", "0,80 $", "3 €", "1 €"]
CONDITIONS = ["Travail mal payé", "Horaires décalés", "Pas de contrat", "Exposition à des contenus violents",
              "Aucune protection sociale", "Cadences imposées par l'algorithme", "Isolement",
              "Pas d'équipement de sécurité", "Chaleur et poussière", "Paiement à la tâche",
              "Surveillance permanente", "Droit syndical refusé", "Stress post-traumatique",
              "Contrats de très courte durée", "Déplacements longs et coûteux", "Évaluation opaque",
              "Licenciement sans préavis", "Écrans toute la journée", "Produits chimiques toxiques",
              "Accords de confidentialité stricts"]
IMPACTS = ["Contact de produits chimiques toxiques.", "Troubles du sommeil et anxiété.",
           "Douleurs au dos et aux poignets.", "Perte d'audition due au bruit des serveurs.",
           "Rivière polluée près du village.", "Vue qui baisse après des années d'écran.",
           "Pénurie d'eau dans le quartier l'été.", "Syndrome de stress post-traumatique reconnu."]
SLUG_WORDS = ["les", "travailleurs", "de", "l", "ombre", "intelligence", "artificielle", "temoignent",
              "donnees", "moderation", "salaires", "plateformes", "sous-traitance", "enquete",
              "minerais", "centres", "sante", "droits", "syndicats", "annotation"]

DECK_SOURCE = {
    "title": "Sommet IA : les travailleurs de l'ombre demandent aux Big Tech d'« arrêter de fuir »",
    "publisher": "societe.com",
    "author": "Marine Protais",
    "date": "2025-02-11",
    "url": "https://www.societe.com/actualites/sommet_ia_les_travailleurs_de_l_ombre_demandent"
           "_aux_big_tech_d_arreter_de_fuir-86440.html",
}


def _testimony(rng: random.Random) -> str:
    """First-person text, 150 to 420 characters, different from card to card."""
    target = rng.randint(150, 420)
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}."
    pool = SENTENCES[:]
    rng.shuffle(pool)
    while len(text) < target:
        if not pool:
            pool = SENTENCES[:]
            rng.shuffle(pool)
        text += " " + pool.pop().format(money=rng.choice(MONEY))
    if len(text) > 420:
        text = text[:419].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _url(n: int, rng: random.Random) -> str:
    """A distinct ~120-character article URL."""
    url = f"https://www.example.org/actualites/article-{n:05d}-"
    words = []
    while len(url) + len("-".join(words)) < 115:
        words.append(rng.choice(SLUG_WORDS))
    return (url + "-".join(words))[:115] + ".html"


def deck_data(n: int, seed: int = 7) -> dict:
    """The deck as plain data (format 1): ``n`` tarot cards, French, half of them with
    their own source URL, the other half with the deck's."""
    rng = random.Random(seed * 1_000_003 + n)
    cards = []
    for i in range(n):
        category = list(CATEGORIES)[i % len(CATEGORIES)]
        card = {
            "id": f"carte-{i + 1:05d}",
            "name": rng.choice(NAMES),
            "role": rng.choice(ROLES[category]),
            "country": rng.choice(COUNTRIES),
            "category": category,
            "testimony": _testimony(rng),
            "conditions": rng.sample(CONDITIONS, rng.randint(3, 6)),
        }
        if i % 2 == 0:
            card["impact"] = rng.choice(IMPACTS)
        if i % 2 == 1:
            card["source"] = {"url": _url(i + 1, rng),
                              "title": f"Enquête n° {i + 1} : les « petites mains » de l'IA",
                              "publisher": "example.org"}
        cards.append(card)
    return {
        "deckprint": 1,
        "deck": {
            "id": f"synthetique-{n}",
            "title": "Les travailleurs invisibles de l'IA",
            "subtitle": f"Deck synthétique de {n} cartes",
            "language": "fr",
            "card": "tarot",
            "source": DECK_SOURCE,
            "credits": "Cartes générées pour le banc d'essai de deckprint",
            "license": "CC BY-SA 4.0",
        },
        "categories": {key: {"label": label, "color": color} for key, (label, color) in CATEGORIES.items()},
        "cards": cards,
    }


def make_deck(n: int, path: Path | str, seed: int = 7) -> Path:
    """Write a synthetic deck of ``n`` cards to ``path`` (YAML); returns the path."""
    import yaml

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(deck_data(n, seed), allow_unicode=True, sort_keys=False, width=100)
    path.write_text("# Synthetic deck written by benchmarks/bench.py\n" + text, encoding="utf-8")
    return path
