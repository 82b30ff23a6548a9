"""Name material for the synthetic list and the evaluation set.

The listed names mix given names from several regions with surnames built from
syllables, so the list has tens of thousands of distinct surnames as real lists
do; the "common names" used as negatives come from a separate pool of frequent
southern African and English names.
"""

from __future__ import annotations

import random

GIVEN = (
    "mohammed ahmed ali omar khalid hassan hussein abdullah yusuf ibrahim mahmoud "
    "mustafa tariq faisal karim nasser jamal rashid samir walid ziad hamid bilal "
    "abdul rahman aziz salim anwar farid hakim idris imran jabir latif mansur "
    "dmitry sergei vladimir alexei nikolai igor yuri oleg viktor mikhail pavel "
    "andrei boris gennady konstantin roman stanislav vadim arkady timur ruslan "
    "kim park choe ri jong song chol myong hak yong sun il ho "
    "jose luis carlos miguel juan pedro rafael jorge manuel fernando ricardo "
    "joaquin ernesto arturo alfonso ramon hector ignacio rodrigo "
    "jean pierre francois emmanuel laurent bosco innocent celestin faustin "
    "abdi mahad abdirahman farah warsame liban guled "
    "wei jian ming hao lei feng jun tao qiang yong "
    "reza hossein mehdi ali-akbar javad saeed majid amir morteza"
).split()
_ONSETS = (
    "b d f g h j k kh l m n p q r s sh t v w y z br dr gr kr tr st sk"
).split()
_VOWELS = "a e i o u a a i o ou ai ei ia".split()
_CODAS = ["", "", "", "n", "r", "l", "m", "s", "d", "k", "v", "sh", "t"]
COMMON_GIVEN = (
    "john peter david michael james robert william thomas paul mark sipho thabo "
    "themba bongani mandla lungile nomvula thandiwe zanele precious blessing "
    "tendai tatenda farai tinashe rudo chipo nyasha kudakwashe tafadzwa "
    "johan pieter willem hendrik jan francois annelie mariska sarah mary "
    "elizabeth grace faith mercy joyce patience charity susan linda karen"
).split()
COMMON_SURNAMES = (
    "smith jones brown williams taylor johnson nkosi dlamini ndlovu khumalo "
    "mokoena mahlangu zulu naidoo pillay botha van-der-merwe pretorius venter "
    "nel moyo ncube sibanda dube mpofu chikwanha mutasa chirwa banda phiri "
    "mwale nyathi sithole mhlanga maposa gumbo marufu makoni"
).split()


def synthetic_surname(rng: random.Random) -> str:
    parts = [
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
        for _ in range(rng.choice((2, 2, 3)))
    ]
    return "".join(parts)


def listed_name(rng: random.Random) -> list[str]:
    given = [rng.choice(GIVEN)]
    if rng.random() < 0.6:
        given.append(rng.choice(GIVEN))
    surname = synthetic_surname(rng)
    if rng.random() < 0.15:
        surname = "al-" + surname
    return given + [surname]


def common_name(rng: random.Random) -> list[str]:
    given = [rng.choice(COMMON_GIVEN)]
    if rng.random() < 0.3:
        given.append(rng.choice(COMMON_GIVEN))
    return given + [rng.choice(COMMON_SURNAMES)]
