"""A large, realistic course repository: N lessons in ky, ru and en, and a quiz.

Each lesson is 400–600 words of Markdown with headings, a table, a code block, an admonition,
an image and a link to the previous lesson, composed deterministically from a small corpus.
The quiz is the test suite's demo quiz (tests/content/helpers.py) with unlimited attempts.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from tests.content.helpers import QUIZ_YAML
from tests.gitrepo import GitRepo, git

SLUG = "bench-course"
QUIZ_ID = "check"
LANGUAGES = ("ky", "ru", "en")
LESSONS_PER_MODULE = 10

SENTENCES = {
    "en": [
        "A blockchain is a shared ledger that many independent computers keep in agreement "
        "without a central owner.",
        "Every block records a batch of transactions together with the hash of the block "
        "before it.",
        "Because each hash depends on the previous one, changing an old record would break "
        "every link that follows.",
        "Nodes check new blocks against the rules and reject any block that spends the same "
        "coins twice.",
        "A wallet does not store coins; it stores the private keys that prove who may spend them.",
        "Fees reward the participants who include a transaction in the next block and protect "
        "the network from spam.",
        "Public blockchains let anyone read the history, while permissioned ledgers admit only "
        "known members.",
        "Consensus rules such as proof of work or proof of stake decide who adds the next block.",
        "A hash function turns any input into a short fingerprint of fixed length that changes "
        "completely when one letter changes.",
        "Before you send money, check the address twice, because a confirmed transaction cannot "
        "be reversed.",
        "Scammers often promise guaranteed profits, and no honest project can promise that.",
        "Smart contracts are programs stored on the chain that run exactly as written when "
        "their conditions are met.",
    ],
    "ru": [
        "Блокчейн — это общий реестр, который согласованно ведут многие независимые компьютеры "
        "без центрального владельца.",
        "Каждый блок хранит пакет транзакций вместе с хешем предыдущего блока.",
        "Поскольку каждый хеш зависит от предыдущего, изменение старой записи разорвало бы все "
        "последующие связи.",
        "Узлы проверяют новые блоки по правилам и отклоняют любой блок, который тратит одни и "
        "те же монеты дважды.",
        "Кошелёк не хранит монеты: он хранит закрытые ключи, которые доказывают, кто может их "
        "потратить.",
        "Комиссии вознаграждают участников, которые включают транзакцию в следующий блок, и "
        "защищают сеть от спама.",
        "Публичные блокчейны позволяют любому читать историю, а закрытые реестры допускают "
        "только известных участников.",
        "Правила консенсуса, например доказательство работы или доказательство доли, решают, "
        "кто добавит следующий блок.",
        "Хеш-функция превращает любые данные в короткий отпечаток фиксированной длины, который "
        "полностью меняется при изменении одной буквы.",
        "Перед отправкой денег дважды проверьте адрес, потому что подтверждённую транзакцию "
        "нельзя отменить.",
        "Мошенники часто обещают гарантированную прибыль, но ни один честный проект не может "
        "этого обещать.",
        "Смарт-контракты — это программы в блокчейне, которые выполняются точно так, как "
        "написаны, когда выполнены их условия.",
    ],
    "ky": [
        "Блокчейн — көптөгөн көз карандысыз компьютерлер борбордук ээсиз бирдей жүргүзгөн "
        "жалпы реестр.",
        "Ар бир блок транзакциялардын топтомун мурунку блоктун хеши менен бирге сактайт.",
        "Ар бир хеш мурункусуна көз каранды болгондуктан, эски жазууну өзгөртүү андан кийинки "
        "бардык байланыштарды үзөт.",
        "Түйүндөр жаңы блокторду эрежелер боюнча текшерип, бир эле монетаны эки жолу сарптаган "
        "блокту четке кагышат.",
        "Капчык монеталарды сактабайт: ал аларды ким сарптай аларын далилдеген жабык "
        "ачкычтарды сактайт.",
        "Комиссиялар транзакцияны кийинки блокко киргизген катышуучуларды сыйлайт жана "
        "тармакты спамдан коргойт.",
        "Ачык блокчейндерде тарыхты ар ким окуй алат, ал эми жабык реестрлерге белгилүү "
        "мүчөлөр гана кирет.",
        "Иштин далили же үлүштүн далили сыяктуу консенсус эрежелери кийинки блокту ким "
        "кошорун чечет.",
        "Хеш-функция каалаган маалыматты туруктуу узундуктагы кыска изге айлантат, бир тамга "
        "өзгөрсө из толугу менен өзгөрөт.",
        "Акча жөнөтүүдөн мурун даректи эки жолу текшериңиз, анткени тастыкталган "
        "транзакцияны артка кайтаруу мүмкүн эмес.",
        "Алдамчылар көбүнчө кепилденген киреше убада кылышат, бирок бир да чынчыл долбоор "
        "муну убада кыла албайт.",
        "Акылдуу келишимдер — блокчейнде сакталган программалар, шарттары аткарылганда так "
        "жазылгандай иштейт.",
    ],
}

WORDS = {
    "en": {
        "topics": ["Ledgers", "Hashes", "Blocks", "Nodes", "Consensus", "Wallets", "Keys",
                   "Transactions", "Fees", "Safety"],
        "part": "part {n}",
        "headings": ["Key ideas", "How it works", "In practice", "Summary"],
        "columns": ["Block", "Hash", "Transactions"],
        "note": "Remember",
        "image": "Chain diagram",
        "previous": "Previous lesson",
        "module": "Module {n}",
        "course": "Benchmark course",
    },
    "ru": {
        "topics": ["Реестры", "Хеши", "Блоки", "Узлы", "Консенсус", "Кошельки", "Ключи",
                   "Транзакции", "Комиссии", "Безопасность"],
        "part": "часть {n}",
        "headings": ["Главные идеи", "Как это работает", "На практике", "Итоги"],
        "columns": ["Блок", "Хеш", "Транзакции"],
        "note": "Запомните",
        "image": "Схема цепочки",
        "previous": "Предыдущий урок",
        "module": "Модуль {n}",
        "course": "Курс для замеров",
    },
    "ky": {
        "topics": ["Реестрлер", "Хештер", "Блоктор", "Түйүндөр", "Консенсус", "Капчыктар",
                   "Ачкычтар", "Транзакциялар", "Комиссиялар", "Коопсуздук"],
        "part": "{n}-бөлүк",
        "headings": ["Негизги ойлор", "Бул кантип иштейт", "Практикада", "Жыйынтык"],
        "columns": ["Блок", "Хеш", "Транзакциялар"],
        "note": "Эсиңизде болсун",
        "image": "Чынжырдын схемасы",
        "previous": "Мурунку сабак",
        "module": "{n}-модуль",
        "course": "Өлчөө курсу",
    },
}  # fmt: skip

CODE = '''\
```python
import hashlib


def block_hash(previous: str, transactions: list[str]) -> str:
    """The hash that links a block to the one before it."""
    payload = previous + "".join(transactions)
    return hashlib.sha256(payload.encode()).hexdigest()


genesis = block_hash("0" * 64, ["alice->bob:5"])
print(block_hash(genesis, ["bob->carol:2"]))
```
'''


def lesson_id(number: int) -> str:
    return f"lesson-{number:03d}"


def lesson_dirname(number: int) -> str:
    return f"{number:03d}-lesson"


def lesson_folder(number: int) -> str:
    return f"lessons/{lesson_dirname(number)}"


def _quoted(text: str) -> str:
    """A YAML scalar that stays text whatever it holds (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _rng(seed: str) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible text, not a secret


def _paragraph(rng: random.Random, lang: str, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES[lang]) for _ in range(sentences))


def _title(number: int, lang: str) -> str:
    words = WORDS[lang]
    topic = words["topics"][(number - 1) % len(words["topics"])]
    return f"{topic}, {words['part'].format(n=number)}"


def _table(rng: random.Random, lang: str) -> str:
    header = "| " + " | ".join(WORDS[lang]["columns"]) + " |"
    rows = [header, "| --- | --- | ---: |"]
    for height in sorted(rng.sample(range(100_000, 900_000), 5)):
        digest = hashlib.sha256(f"{height}".encode()).hexdigest()[:16]
        rows.append(f"| {height} | `{digest}` | {rng.randint(1, 3000)} |")
    return "\n".join(rows)


def lesson_markdown(number: int, lang: str, *, revision: int = 0) -> str:
    """One lesson file; ``revision`` > 0 appends an edit (for the "one lesson changed" run)."""
    rng = _rng(f"{number}:{lang}")
    words = WORDS[lang]
    heads = words["headings"]
    target = rng.randint(430, 560)
    note = _paragraph(rng, lang, 2)
    items = "\n".join(f"- {_paragraph(rng, lang, 1)}" for _ in range(3))
    parts = [
        f"---\ntitle: {_quoted(_title(number, lang))}\n"
        f"summary: {_quoted(rng.choice(SENTENCES[lang]))}\n"
        f"keywords: [{_quoted(words['topics'][(number - 1) % 10].lower())}]\n---\n",
        _paragraph(rng, lang, 3),
        f"## {heads[0]}\n\n{_paragraph(rng, lang, 5)}\n\n{_paragraph(rng, lang, 4)}",
        _table(rng, lang),
        f"## {heads[1]}\n\n{_paragraph(rng, lang, 4)}",
        CODE,
        f'!!! note "{words["note"]}"\n    {note}',
        f"![{words['image']}](images/diagram.svg)",
        f"### {heads[2]}\n\n{_paragraph(rng, lang, 3)}\n\n{items}",
        f"## {heads[3]}",
    ]
    while len(" ".join(parts).split()) < target:
        parts.append(_paragraph(rng, lang, 3))
    if number > 1:
        parts.append(f"[{words['previous']}](../{lesson_dirname(number - 1)}/)")
    if revision:
        parts.append(_paragraph(_rng(f"edit:{revision}"), lang, 2))
    return "\n\n".join(parts) + "\n"


def diagram_svg(number: int) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60" viewBox="0 0 240 60">'
        '<rect x="5" y="10" width="60" height="40" fill="none" stroke="#246"/>'
        '<rect x="90" y="10" width="60" height="40" fill="none" stroke="#246"/>'
        '<rect x="175" y="10" width="60" height="40" fill="none" stroke="#246"/>'
        f'<text x="120" y="35" text-anchor="middle">{number}</text></svg>\n'
    )


def _label(key: str, **params: int) -> str:
    texts = (f"{lang}: {_quoted(WORDS[lang][key].format(**params))}" for lang in LANGUAGES)
    return "{" + ", ".join(texts) + "}"


def course_yaml(lessons: int) -> str:
    lines = [
        "format: 1",
        f"slug: {SLUG}",
        "languages: [ky, ru, en]",
        "default_language: ky",
        f"title: {_label('course')}",
        "description:",
        *(f"  {lang}: {_quoted(SENTENCES[lang][0])}" for lang in LANGUAGES),
        "level: beginner",
        f"estimated_minutes: {lessons * 10 + 10}",
        "tags: [blockchain]",
        "pass_threshold: 60",
        "certificate:",
        "  enabled: true",
        "  require: [all_lessons, all_quizzes]",
        f"  title: {_label('course')}",
        "modules:",
    ]
    for start in range(1, lessons + 1, LESSONS_PER_MODULE):
        module = (start - 1) // LESSONS_PER_MODULE + 1
        lines += [f"  - id: module-{module:02d}", f"    title: {_label('module', n=module)}"]
        lines.append("    items:")
        for number in range(start, min(start + LESSONS_PER_MODULE, lessons + 1)):
            lines.append(
                f"      - {{type: lesson, id: {lesson_id(number)}, "
                f"path: {lesson_folder(number)}, minutes: 10}}"
            )
    quiz = f"{{type: quiz, id: {QUIZ_ID}, path: quizzes/{QUIZ_ID}.yaml, minutes: 10}}"
    lines.append(f"      - {quiz}")
    return "\n".join(lines) + "\n"


def quiz_yaml() -> str:
    """The demo quiz with unlimited attempts, so one learner can submit it many times."""
    assert "max_attempts: 3" in QUIZ_YAML
    return QUIZ_YAML.replace("max_attempts: 3", "max_attempts: 0")


# Answers to quiz_yaml(), all correct, as the API takes them.
QUIZ_ANSWERS = {
    "block-stores": "prev-hash",
    "properties": ["open"],
    "hash-changes": True,
    "sha-length": 64,
    "term": "hash",
}


def course_files(lessons: int) -> dict[str, str]:
    root = f"courses/{SLUG}"
    files = {
        f"{root}/course.yaml": course_yaml(lessons),
        f"{root}/quizzes/{QUIZ_ID}.yaml": quiz_yaml(),
    }
    for number in range(1, lessons + 1):
        folder = f"{root}/{lesson_folder(number)}"
        files[f"{folder}/images/diagram.svg"] = diagram_svg(number)
        for lang in LANGUAGES:
            files[f"{folder}/{lang}.md"] = lesson_markdown(number, lang)
    return files


def lesson_edit(number: int, revision: int) -> dict[str, str]:
    """A change to every language file of one lesson (so no translation looks stale)."""
    folder = f"courses/{SLUG}/{lesson_folder(number)}"
    return {
        f"{folder}/{lang}.md": lesson_markdown(number, lang, revision=revision)
        for lang in LANGUAGES
    }


def course_repo_create(path: Path, *, lessons: int) -> GitRepo:
    """A Git repository on branch main with the generated course committed."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    repo = GitRepo(path)
    repo.commit(course_files(lessons), message="Add the benchmark course")
    return repo


def words_per_lesson(lessons: int) -> float:
    """The mean word count of the generated lesson files (front matter included)."""
    counts = [
        len(lesson_markdown(number, lang).split())
        for number in range(1, lessons + 1)
        for lang in LANGUAGES
    ]
    return sum(counts) / len(counts)
