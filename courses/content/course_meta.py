"""course.yaml's catalogue fields: ``tags`` (topics with their names) and ``objectives``.

``tags`` is a map from topic id to the topic's name in each language::

    tags:
      wallets: {ky: "Капчыктар", ru: "Кошельки", en: "Wallets"}

The older list form (``tags: [wallets, security]``) is still read; every topic without a
name in one of the course's languages is a warning (W108), reported at the topic.

``objectives`` ("what you will learn") maps each language to a list of short texts. Like any
text, it must exist in the default language (E005) once another language has it, and a
missing language is a warning (W101). Learners reading a language without objectives see the
default language's, so W101 names that language.
"""

from __future__ import annotations

from courses.content import messages as M
from courses.content.languages import LANGUAGE_NAMES
from courses.content.schema import ID_RE, Checker
from courses.content.yamlsrc import YKey, YMap, YNode, YScalar, YSeq

TopicNames = dict[str, dict[str, str]]


def read_topics(c: Checker, root: YMap) -> tuple[tuple[str, ...], TopicNames]:
    """The topic ids in order and their names: ``(ids, {id: {language: name}})``."""
    node = c.present(root, "tags", "", required=False)
    if node is None:
        return (), {}
    if isinstance(node, YSeq):
        return _topic_list(c, node), {}
    if not isinstance(node, YMap):
        c.report("E004", M.EXPECTED_MAP, node, field="tags")
        return (), {}
    ids: list[str] = []
    names: TopicNames = {}
    for topic, (key, value) in node.entries.items():
        if not ID_RE.match(topic):
            c.report("E008", M.BAD_ID, key, hint=M.BAD_ID_HINT, field="tags", id=topic)
            continue
        ids.append(topic)
        texts: dict[str, str] | None = {}
        wrong: set[str] = set()
        if not (isinstance(value, YScalar) and value.value in (None, "")):
            texts, wrong = c.lang_texts(value, f"tags.{topic}")
        if texts is None:  # not a language map: reported, and not named anywhere
            continue
        if texts:
            names[topic] = texts
        _unnamed(c, topic, key, named=texts.keys() | wrong)
    return tuple(ids), names


def _topic_list(c: Checker, node: YSeq) -> tuple[str, ...]:
    ids: list[str] = []
    for index, item in enumerate(node.items):
        topic = c.text_value(item, f"tags.{index + 1}")
        if topic and topic not in ids:
            ids.append(topic)
            _unnamed(c, topic, item, named=set())
    return tuple(ids)


def _unnamed(c: Checker, topic: str, at: YNode | YKey, *, named: set[str]) -> None:
    """W108 for each course language the topic has no name in."""
    default = c.langs.default
    for lang in c.langs.languages:
        if lang in named:
            continue
        if default is not None and default != lang and default in named:
            fallback = LANGUAGE_NAMES.get(default, default)
            c.report(
                "W108",
                M.TOPIC_NOT_NAMED,
                at,
                hint=M.TOPIC_NAME_HINT,
                topic=topic,
                lang=lang,
                fallback=fallback,
            )
        else:
            c.report(
                "W108", M.TOPIC_NOT_NAMED_ID, at, hint=M.TOPIC_NAME_HINT, topic=topic, lang=lang
            )


def read_objectives(c: Checker, root: YMap) -> dict[str, tuple[str, ...]]:
    """``{language: (text, ...)}`` for the course's languages that have objectives."""
    field = "objectives"
    node = c.present(root, field, "", required=False)
    if node is None:
        return {}
    if not isinstance(node, YMap):
        c.report("E004", M.EXPECTED_LANG_LIST, node, hint=M.LANG_LIST_HINT, field=field)
        return {}
    found: dict[str, tuple[str, ...]] = {}
    wrong: set[str] = set()
    for name, (lang_key, value) in node.entries.items():
        code = c.language_code(lang_key, field)
        if code is None or (isinstance(value, YScalar) and value.value in (None, "")):
            continue
        texts = _texts(c, value, f"{field}.{name}")
        if texts is None:
            if code in c.langs.languages:
                wrong.add(code)
        elif texts and code in c.langs.languages:
            found[code] = texts
    present = found.keys() | wrong
    if present:
        _complete(c, present, at=root.key(field) or node)
    return found


def _texts(c: Checker, node: YNode, where: str) -> tuple[str, ...] | None:
    """The non-empty texts of a list; None when anything in it was reported."""
    if not isinstance(node, YSeq):
        c.report("E004", M.EXPECTED_LIST, node, field=where)
        return None
    texts: list[str] = []
    ok = True
    for index, item in enumerate(node.items):
        value = c.text_value(item, f"{where}.{index + 1}")
        if value is None:
            ok = False
        elif not value:
            c.report("E003", M.EMPTY, item, field=f"{where}.{index + 1}")
            ok = False
        else:
            texts.append(value)
    return tuple(texts) if ok else None


def _complete(c: Checker, present: set[str], *, at: YNode | YKey) -> None:
    """E005 without the default language, W101 naming the default as what learners see."""
    default = c.langs.default
    for lang in c.langs.languages:
        if lang in present:
            continue
        if lang == default:
            c.report("E005", M.MISSING_TEXT_DEFAULT, at, lang=lang, field="objectives")
            continue
        fallback = default if default in present else None
        c.report(
            "W101",
            M.MISSING_TEXT if fallback else M.MISSING_TEXT_NO_FALLBACK,
            at,
            lang=lang,
            field="objectives",
            fallback=LANGUAGE_NAMES.get(fallback or "", ""),
        )
