"""A lab of each kind, added to the demo course of tests/content/helpers.py in a module of its
own at the end of course.yaml, so nothing the other tests read moves."""

from __future__ import annotations

from tests.content.helpers import COURSE_DIR, COURSE_YAML, valid_files

LABS_MODULE = """\
  - id: labs
    title: {ky: Практика, ru: Практика, en: Practice}
    items:
      - {type: lab, id: find-text, path: labs/find-text.yaml, minutes: 5}
      - {type: lab, id: mine, path: labs/mine.yaml, minutes: 5}
      - {type: lab, id: repair, path: labs/repair.yaml, minutes: 10}
      - {type: lab, id: peers, path: labs/peers.yaml, minutes: 5}
      - {type: lab, id: sign, path: labs/sign.yaml, minutes: 5}
      - {type: lab, id: pay, path: labs/pay.yaml, minutes: 10}
"""
LAB_COURSE_YAML = COURSE_YAML + LABS_MODULE

TEXTS = """\
title: {ky: "TITLE_KY", ru: "TITLE_RU", en: "TITLE_EN"}
instructions:
  ky: "Тапшырма: **жасаңыз**."
  ru: "Задание: **сделайте**."
  en: "Task: **do it**."
hints:
  - {ky: "Биринчи кеңеш", ru: "Первая подсказка", en: "First hint"}
explanation:
  {ky: "Туура, себеби хеш.", ru: "Верно, потому что хеш.", en: "Right, because of the hash."}
"""


def texts(title_en: str, title_ru: str = "Лаборатория", title_ky: str = "Лаборатория") -> str:
    return (
        TEXTS.replace("TITLE_KY", title_ky).replace("TITLE_RU", title_ru)
        .replace("TITLE_EN", title_en)
    )  # fmt: skip


HASH_LAB = f"""\
format: 1
id: find-text
kind: hash
{texts("Find the text")}max_attempts: 3
candidates:
  - "Aigul pays Bakyt 5"
  - {{ky: "Айгүл Бакытка 50 төлөйт", ru: "Айгуль платит Бакыту 50", en: "Aigul pays Bakyt 50"}}
  - "aigul pays Bakyt 5"
target: 2
"""

MINING_LAB = f"""\
id: mine
kind: mining
{texts("Mine a block")}data:
  {{ky: "Блок 1: Айгүл → Бакыт 5", ru: "Блок 1: Айгуль → Бакыт 5", en: "Block 1: Aigul → Bakyt 5"}}
difficulty: 2
"""

CHAIN_LAB = f"""\
id: repair
kind: chain
{texts("Repair the chain")}difficulty: 2
blocks:
  - "Genesis"
  - "Aigul → Bakyt 5"
  - "Bakyt → Chynara 2"
  - "Chynara → Aigul 1"
  - "Aigul → Dastan 3"
tampered:
  block: 3
  data: "Bakyt → Chynara 200"
"""

LEDGER_LAB = f"""\
id: peers
kind: ledger
{texts("Three copies")}peers:
  - {{ky: Айгүл, ru: Айгуль, en: Aigul}}
  - Bakyt
  - Chynara
records:
  - "Aigul → Bakyt 5"
  - "Bakyt → Chynara 2"
  - "Chynara → Aigul 1"
tampered:
  peer: 2
  record: 2
  data: "Bakyt → Chynara 20"
"""

KEYS_LAB = f"""\
id: sign
kind: keys
{texts("Sign the challenge")}"""

TRANSACTIONS_LAB = f"""\
id: pay
kind: transactions
{texts("Pay Chynara")}learner: aigul
owners:
  aigul: {{ky: Айгүл (сиз), ru: Айгуль (вы), en: Aigul (you)}}
  bakyt: Bakyt
  chynara: Chynara
utxos:
  - {{id: a1, owner: aigul, amount: 30}}
  - {{id: a2, owner: aigul, amount: 25}}
  - {{id: a3, owner: aigul, amount: 10, spent: true}}
  - {{id: b1, owner: bakyt, amount: 40}}
target: {{to: chynara, amount: 45, fee: 1}}
"""

LABS = {
    "find-text": HASH_LAB,
    "mine": MINING_LAB,
    "repair": CHAIN_LAB,
    "peers": LEDGER_LAB,
    "sign": KEYS_LAB,
    "pay": TRANSACTIONS_LAB,
}
LAB_PATHS = {key: f"{COURSE_DIR}/labs/{key}.yaml" for key in LABS}


def lab_files() -> dict[str, str | bytes]:
    """The demo repository with the labs module and its six labs."""
    files = valid_files()
    files[f"{COURSE_DIR}/course.yaml"] = LAB_COURSE_YAML
    for key, text in LABS.items():
        files[LAB_PATHS[key]] = text
    return files


def lab_yaml(key: str, old: str, new: str) -> dict[str, str]:
    """A change to the lab ``key`` replacing ``old`` (which must occur) with ``new``."""
    assert old in LABS[key], old
    return {LAB_PATHS[key]: LABS[key].replace(old, new, 1)}


def lab_repo(path, changes: dict[str, str | bytes | None] | None = None):
    """A real Git repository holding `lab_files` with ``changes`` applied."""
    from tests.content.helpers import write_repo
    from tests.gitrepo import GitRepo, git

    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    write_repo(path, changes or {}, base=lab_files())
    repo = GitRepo(path)
    repo.commit(message="Add the demo course with labs")
    return repo


def publish_labs(path, changes: dict[str, str | bytes | None] | None = None):
    """The lab course imported from a real Git repository: the `Course`."""
    from courses.models import Course
    from tests.conftest import publish

    publish(lab_repo(path, changes).path)
    return Course.objects.get(slug="demo")


def certificate_requires(require: str) -> dict[str, str]:
    """course.yaml of the lab course with ``require: [...]`` replaced (or removed: "")."""
    old = "  require: [all_lessons, all_quizzes]\n"
    assert old in LAB_COURSE_YAML
    new = f"  require: [{require}]\n" if require else ""
    return {f"{COURSE_DIR}/course.yaml": LAB_COURSE_YAML.replace(old, new, 1)}
