"""A question that asks whether the co-op form suits the person's own project (issue 14)."""

import pytest

from screening.requests import (
    Suitability,
    describes_project,
    project_description,
    question_part,
    suitability_request,
    tells_project,
)

ASKS_FIT = [
    # 2026-12-05, talking to the assistant: "no reliable answer" and two suggestions
    "hi, is a co-op good for a food truck with 2 friends in Gatineau?",
    "est-ce qu'une coop c'est bon pour un food truck avec 2 amis?",
    # talking to the assistant: typos, the question at the end (got "no reliable answer")
    "hi i wnat to open a bus-stop kiosk selling coffe with 4 frends in gatineau, is coop ok?",
    "une coop ca serait tu correct?",
    "bonjour, moi et 2 amies on veut ouvrir un resto syrien a sherbrooke, une coop ca marcherait?",
    "La formule coop pourrait-elle marcher pour notre garage?",
    "une coop, ça pourrait convenir pour un garage?",
    "coopérative pour une garderie, ça marcherait?",
    "la coop ça marcherait tu pour nous",
    "j'aimerais savoir si une coopérative est une bonne idée pour mon projet de traiteur",
    "would a co-op make sense for a hair salon?",
    "should we set up as a co-op?",
    "is a coop a good idea for our cleaning business?",
    "is a co-op the right structure for a daycare?",
    "soins à domicile avec des gens de ma communauté, est-ce qu'une coop c'est pour nous?",
    "Avec des voisins, nous pensons ouvrir une petite épicerie. Est-ce faisable en coopérative?",
    "est-ce possible de faire ça en coop?",
    "can we do this as a co-op?",
    "is it doable as a coop?",
    "Would a co-op make sense?",
    "une coop, ça aurait du sens?",
    # asked inverted, after the project (dev8 fr-151)
    "Plusieurs familles nouvellement arrivées souhaitent acheter ensemble des produits "
    "alimentaires en gros. Une coopérative conviendrait-elle?",
    "une coop serait-elle une bonne idée?",
    "i ask if coop is good for our garage, can you check?",  # dev10 en-177
    # « coop ou pas? » after the project (dev first messages)
    "on est des chauffeurs de taxi a Quebec, on veut se mettre ensemble pour pas dependre de "
    "uber. coop ou pas?",
]
PROJECT = [
    "we want to open a bakery as a co-op",
    "Can we be 3 to start a worker co-op?",
    "on veut démarrer notre entreprise en coopérative",
]
NONE = [
    "is a co-op good for the environment?",
    "la coop c'est bon pour la planète?",
    "how is a co-op good for members?",
    "how is a coop ok?",
    "is the coop ok with members leaving early?",
    "c'est quoi une coop de travail",
    "what is a co-op",
    "what are the rules for a worker co-op",
    "est-ce que les parts privilégiées donnent un droit de vote",
    "how do we register our co-op?",
    "quels sont les avantages d'une coop pour les membres",
    "we want to open a bakery",  # no co-op named: the NLU's start_screening, not this reader
    "how would a co-op work?",
    "est-il possible de dissoudre une coopérative?",
    "est-ce possible de devenir membre d'une coop?",
]


@pytest.mark.parametrize("text", ASKS_FIT)
def test_asking_about_fit_for_ones_project(text):
    assert suitability_request(text) is Suitability.ASKS_FIT


@pytest.mark.parametrize("text", PROJECT)
def test_naming_a_project_as_a_coop(text):
    assert suitability_request(text) is Suitability.PROJECT


@pytest.mark.parametrize(
    "text",
    [
        "I want to know if a coop works like a company",
        "je veux savoir si une coop marche comme une compagnie",
        "je veux savoir si une coop de travail peut avoir des employés",
    ],
)
def test_how_a_coop_works_is_not_asking_about_fit(text):
    assert suitability_request(text) is not Suitability.ASKS_FIT


@pytest.mark.parametrize("text", NONE)
def test_questions_about_cooperatives_in_general(text):
    assert suitability_request(text) is Suitability.NONE


@pytest.mark.parametrize(
    "text",
    [
        "hi is a coop ok for a cleaning company?? we are cleaners in laval",
        "we are neighbours who want to open a bulk grocery store. Could it work as a co-op?",
        "Bonjour, on est des livreurs et on voudrait savoir si on peut faire une coopérative.",
        "Mon oncle veut investir dans mon épicerie. Est-ce que je devrais faire ça en coopérative?",
        # talking to the assistant: read as a question, refused with two unrelated topics
        "ok je veux voir si ma coop de ménage marche",
        "je veux savoir si notre idée de coop tient la route",
        "I want to see if my coop idea works",
        "can you check whether a co-op for our cleaning business would work",
    ],
)
def test_more_ways_of_asking_about_fit(text):
    assert suitability_request(text) is Suitability.ASKS_FIT


@pytest.mark.parametrize(
    "text",
    [
        "would a co-op make sense for a hair salon?",
        "on est 4 coiffeuses à Laval, on veut ouvrir un salon en coop",
        "un restaurant en coop, ça marcherait?",
        "La formule coop pourrait-elle marcher pour notre garage?",
        "we're five web developers and want to build a co-op",
        "Is a co-op the right choice for a cleaning company run by immigrant women?",
        # The project in the words that ask about fit: its sector says what it is.
        "ok je veux voir si ma coop de ménage marche",
        "je veux savoir si une coop de traiteur serait viable",
    ],
)
def test_a_message_that_says_what_the_project_is(text):
    assert tells_project(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to start a co-op, would that work?",
        "Je veux démarrer un projet en coop",
        "Bonjour, est-ce qu'une coop serait une bonne idée pour nous?",
        "Can you check if a co-op fits my project?",
        "est-ce que vous pouvez évaluer mon idée de coop?",
        "should we set up as a co-op?",
        "je veux faire le questionnaire",
        "c'est quoi une coop de travail?",
        "c'est quoi une coop alimentaire?",
        # dev8's fr-151 asking for the screening: said back as the project.
        "Je souhaiterais faire l'évaluation de notre projet.",
    ],
)
def test_a_message_that_only_says_there_is_a_project(text):
    assert not tells_project(text)


@pytest.mark.parametrize(
    ("text", "described"),
    [
        (
            "Salam! We are 4 families in Saint-Laurent and we want to open a small halal grocery "
            "as a co-op. Would that make sense?",
            "We are 4 families in Saint-Laurent and we want to open a small halal grocery as a "
            "co-op.",
        ),
        (
            "Bonjour, nous sommes trois Colombiens à Sherbrooke. On aimerait ouvrir un café "
            "culturel. Est-ce que la coopérative serait une bonne formule pour nous?",
            "nous sommes trois Colombiens à Sherbrooke. On aimerait ouvrir un café culturel.",
        ),
        # The question about fit left out as a clause too (found talking to the assistant).
        ("un restaurant en coop, ça marcherait?", "un restaurant en coop"),
        (
            "salut, moi pis 2 amies on veut ouvrir un traiteur marocain a Longueuil, une coop ca "
            "serait tu une bonne idée??",
            "moi pis 2 amies on veut ouvrir un traiteur marocain a Longueuil",
        ),
        ("I want to start a co-op, would that work?", None),
        # A filler word that opens the message is not said back as the project's.
        ("ok je veux voir si ma coop de ménage marche", "je veux voir si ma coop de ménage marche"),
        ("bon alors un café à Laval avec 3 amis", "un café à Laval avec 3 amis"),
        ("bonne bouffe: on veut ouvrir un resto", "bonne bouffe: on veut ouvrir un resto"),
        # The project inside the question about fit (2026-12-05: said back with the question)
        (
            "hi, is a co-op good for a food truck with 2 friends in Gatineau?",
            "a food truck with 2 friends in Gatineau",
        ),
        ("une coop ça marcherait-tu pour un traiteur?", "un traiteur"),
        ("would a coop work for a bakery?", "a bakery"),
        ("is a co-op good for my project?", None),
    ],
)
def test_the_project_s_description_leaves_out_the_greeting_and_the_question(text, described):
    assert project_description(text) == described


@pytest.mark.parametrize(
    ("text", "describes"),
    [
        # Found talking to the assistant: "not understood", and nothing offered.
        (
            "I'm from Syria, I was a tailor, I want to make a sewing workshop with other women in "
            "Sherbrooke",
            True,
        ),
        ("me and my sister, a daycare in Longueuil", True),  # one's own, a sector's word
        ("un resto syrien avec traiteur", True),
        ("on veut ouvrir une agence de traduction", True),
        ("we're a small group of latinas making a design co-op in Québec City", True),  # dev9
        ("can you make it shorter", False),
        ("how do I make a complaint?", False),
        ("is food expensive in Laval?", False),  # a sector's word, nobody's business
    ],
)
def test_a_message_that_speaks_of_a_business(text, describes):
    assert describes_project(text) is describes


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (
            "mon chum pis moi on veut partir un dépanneur à Rimouski, c'tu mieux une coop ou une "
            "compagnie?",
            "c'tu mieux une coop ou une compagnie?",
        ),
        (
            "we want to open a bakery with 3 friends. how do we start a coop?",
            "how do we start a coop?",
        ),
        # Only whether a co-op fits: the screening's question, not one of its own.
        ("un restaurant en coop, ça marcherait?", None),
        ("Salam! We want to open a small halal grocery as a co-op. Would that make sense?", None),
        # No project told, or nothing asked beside it.
        ("c'est quoi une coop?", None),
        ("on veut ouvrir un café à Laval", None),
    ],
)
def test_the_question_asked_beside_a_project(text, asked):
    assert question_part(text) == asked
