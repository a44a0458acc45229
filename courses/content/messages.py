"""Every message the content reader can report, as English templates.

Templates use named ``%(name)s`` placeholders and are wrapped in `gettext_noop`, so a
translation catalogue can pick them up and the Django layer can translate a diagnostic with
``gettext(d.template) % d.params_dict()``.
"""

from courses.content.diagnostics import gettext_noop as _

# E001 YAML syntax
YAML_SYNTAX = _("YAML syntax error: %(problem)s")
YAML_ALIAS = _("anchors and aliases are not allowed")
YAML_TOO_DEEP = _("YAML nesting is deeper than %(limit)s levels")
YAML_BAD_VALUE = _("cannot read this value: %(problem)s")

# E002 unknown key
UNKNOWN_KEY = _("unknown key '%(key)s'")
KEY_NOT_FOR_TYPE = _("key '%(key)s' is not used by '%(type)s' questions")
DID_YOU_MEAN = _("did you mean '%(suggestion)s'?")

# E003 required
REQUIRED = _("required field '%(field)s' is missing")
EMPTY = _("field '%(field)s' is empty")

# E004 type or range
EXPECTED_MAP = _("%(field)s: expected a mapping of keys to values")
EXPECTED_LIST = _("%(field)s: expected a list")
EXPECTED_TEXT = _("%(field)s: expected text, got %(kind)s")
EXPECTED_INT = _("%(field)s: expected a whole number, got %(kind)s")
EXPECTED_NUMBER = _("%(field)s: expected a number, got %(kind)s")
EXPECTED_BOOL = _("%(field)s: expected true or false, got %(kind)s")
EXPECTED_LANG_MAP = _("%(field)s: expected a map from language code to text")
LANG_MAP_HINT = _("for example {ky: ..., ru: ..., en: ...}")
EXPECTED_LANG_LIST = _("%(field)s: expected a map from language code to a list of texts")
LANG_LIST_HINT = _("for example {ky: [..., ...], ru: [..., ...], en: [..., ...]}")
QUOTE_IT = _('quote it: "%(value)s"')
KEY_NOT_TEXT = _("keys must be text")
AT_LEAST = _("%(field)s must be at least %(minimum)s, not %(value)s")
BETWEEN = _("%(field)s must be between %(minimum)s and %(maximum)s, not %(value)s")
NOT_FINITE = _("%(field)s must be a finite number")
NOT_ONE_OF = _("%(field)s: '%(value)s' is not one of %(choices)s")
FORMAT_VERSION = _("unsupported format %(value)s; this platform reads format 1")
LANGUAGE_TWICE = _("language '%(lang)s' is listed twice")
DEFAULT_NOT_LISTED = _("default_language '%(lang)s' is not one of the course's languages")
SINGLE_CORRECT = _(
    "question '%(question)s': type 'single' needs exactly 1 correct option, found %(count)s"
)
MULTIPLE_CORRECT = _("question '%(question)s': type 'multiple' needs at least 1 correct option")
TOO_FEW_OPTIONS = _(
    "question '%(question)s': a choice question needs at least 2 options, found %(count)s"
)
ACCEPT_MISSING = _("question '%(question)s': type 'text' needs an accept list for '%(lang)s'")
ITEMS_EMPTY = _("%(field)s: a module needs at least one item")
NOT_A_DOCUMENT = _("the file must hold a YAML mapping")

# E005 / W101 translations
MISSING_TEXT_DEFAULT = _("missing '%(lang)s' text in %(field)s (the course's default language)")
MISSING_TEXT = _("missing '%(lang)s' text in %(field)s; learners will see the %(fallback)s text")
MISSING_TEXT_NO_FALLBACK = _("missing '%(lang)s' text in %(field)s")
MISSING_FILE_NO_FALLBACK = _("lesson '%(item)s' has no %(file)s")
MISSING_FILE_DEFAULT = _("lesson '%(item)s' has no %(file)s (the course's default language)")
MISSING_FILE = _("lesson '%(item)s' has no %(file)s; learners will see the %(fallback)s text")

# E006 language codes
UNKNOWN_LANGUAGE = _("unknown language '%(lang)s'")
KG_HINT = _("Kyrgyz is 'ky'; 'kg' is the country code")
LANGUAGES_HINT = _("use ky, ru or en")

# E007 ids
DUPLICATE_ID = _("duplicate %(what)s id '%(id)s' (first at line %(first)s)")
DUPLICATE_ID_ELSEWHERE = _("duplicate %(what)s id '%(id)s' (first in %(first)s)")
QUIZ_ID_MISMATCH = _("quiz id '%(id)s' differs from the item id '%(expected)s' in course.yaml")
TYPE_CHANGED = _("item '%(id)s' changed type from %(old)s to %(new)s")
TYPE_CHANGED_HINT = _("give the new item a new id")

# E008 id form
BAD_ID = _("%(field)s '%(id)s' is not a valid id")
BAD_ID_HINT = _("use a-z, 0-9 and '-', starting with a letter or digit, at most 63 characters")
RESERVED_ID = _(
    "item id '%(id)s' is reserved: the course's own page at that address would hide the item"
)
RESERVED_ID_HINT = _("choose another id")

# E009 paths
PATH_ABSOLUTE = _("path '%(path)s' is absolute")
PATH_RELATIVE_HINT = _("write it relative to the course folder")
PATH_PARENT = _("path '%(path)s' contains '..'")
PATH_BACKSLASH = _("path '%(path)s' contains '\\'; use '/'")
PATH_MISSING = _("'%(path)s' does not exist")
PATH_SYMLINK = _("'%(path)s' is a symlink")
PATH_TOO_LARGE = _("'%(path)s' is %(size)s bytes; files over 5 MB are not accepted")
PATH_LFS = _("'%(path)s' is a Git LFS pointer, not the file itself")
PATH_LFS_HINT = _("commit the file itself; Git LFS is not supported")
PATH_NOT_FOLDER = _("'%(path)s' must be a folder of <language>.md files")
PATH_NOT_FILE = _("'%(path)s' must be a file")
PATH_NOT_YAML = _("quiz path '%(path)s' must be a .yaml file")
NO_COURSE = _("no course found: expected course.yaml or courses/<slug>/course.yaml")
COURSE_YML = _("the course file must be named course.yaml, not course.yml")

# E010 duplicate keys
DUPLICATE_KEY = _("duplicate key '%(key)s' (YAML keeps only the last one)")

# E012 front matter
FRONT_MATTER_MISSING = _("a lesson file must start with front matter between '---' lines")
FRONT_MATTER_UNCLOSED = _("front matter is not closed with a '---' line")
FRONT_MATTER_NOT_MAP = _("front matter must be a mapping of fields")

# E013 links
LINK_BROKEN = _("broken link or image: '%(url)s' does not exist")
LINK_OUTSIDE = _("link or image '%(url)s' points outside the course folder")
LINK_ABSOLUTE = _("link or image '%(url)s' is an absolute path")
LINK_RELATIVE_HINT = _("write it relative to the lesson folder")
LINK_FOLDER = _("link '%(url)s' points to a folder that is not a lesson")

# E015 encoding
NOT_UTF8 = _("file is not UTF-8 (invalid byte 0x%(byte)s)")
NOT_UTF8_HINT = _("save the file as UTF-8")

# E017 slug
SLUG_FOLDER = _("slug '%(slug)s' differs from the folder name '%(folder)s'")

# W102..W107 warnings
H1_IN_BODY = _("H1 heading in the lesson body")
H1_HINT = _("the title comes from front matter; start headings at '##'")
RAW_TAG = _("raw HTML <%(tag)s> will be removed by sanitising")
RAW_ATTRIBUTE = _("raw HTML attribute '%(attr)s' will be removed by sanitising")
RAW_URL = _("'%(scheme)s:' URL will be removed by sanitising")
EXTERNAL_IMAGE = _("the image %(url)s is on another site and will not be shown")
EXTERNAL_IMAGE_HINT = _(
    "pages show only the course's own images: put the file in the lesson's folder"
)
REMOVED_ITEM = _(
    "item '%(id)s' was removed but %(count)s learners have progress on it; it will be archived"
)
ANSWER_KEY_CHANGED = _(
    "answer key of question '%(question)s' in quiz '%(quiz)s' changed; "
    "earlier attempts keep their scores"
)
QUESTION_REMOVED = _(
    "question '%(question)s' was removed from quiz '%(quiz)s'; earlier attempts keep their scores"
)
STALE_TRANSLATION = _(
    "%(file)s was last changed %(date)s, before %(sibling)s (%(sibling_date)s); "
    "the translation may be out of date"
)
BOM_STRIPPED = _("UTF-8 byte order mark stripped")
BOM_HINT = _("save the file as UTF-8 without a BOM")

# W108 topics
TOPIC_NOT_NAMED = _(
    "topic '%(topic)s' is not named in '%(lang)s'; learners will see the %(fallback)s name"
)
TOPIC_NOT_NAMED_ID = _(
    "topic '%(topic)s' is not named in '%(lang)s'; learners will see its id '%(topic)s'"
)
TOPIC_NAME_HINT = _("name it in every language: %(topic)s: {ky: ..., ru: ..., en: ...}")

# W109 narrow variants of images
NARROW_WITHOUT_WIDE = _("'%(path)s' is a narrow variant, but there is no '%(wide)s' beside it")
NARROW_NOT_A_LANGUAGE = _(
    "'%(path)s' is a narrow variant for '%(lang)s', which is not a language; no page shows it"
)
NARROW_HINT = _(
    "a narrow variant is named after its image: chain.svg and chain.narrow.svg, "
    "chain.ky.svg and chain.narrow.ky.svg"
)

# Labs (courses/content/labs.py, labkinds.py): E002, E004, E007 and E009 like quizzes
LAB_KEY_NOT_FOR_KIND = _("key '%(key)s' is not used by '%(kind)s' labs")
LAB_ID_MISMATCH = _("lab id '%(id)s' differs from the item id '%(expected)s' in course.yaml")
LAB_PATH_NOT_YAML = _("lab path '%(path)s' must be a .yaml file")
EXPECTED_TEXT_OR_LANG_MAP = _(
    "%(field)s: expected a text, or a map from language code to text, got %(kind)s"
)
LIST_LENGTH = _("%(field)s: expected %(minimum)s to %(maximum)s entries, found %(count)s")
LAB_SAME_TEXTS = _(
    "%(field)s: entries %(first)s and %(second)s are the same text in '%(lang)s'; "
    "the learner cannot tell them apart"
)
LAB_TAMPERED_UNCHANGED = _(
    "tampered.data is the same as the original in '%(lang)s': nothing was tampered with"
)
LAB_PAY_YOURSELF = _("target.to is the learner '%(learner)s': the task must pay someone else")
LAB_OWNER_NOT_NAMED = _("owner '%(owner)s' is not named in owners")
LAB_TARGET_UNREACHABLE = _(
    "the learner's unspent outputs hold %(have)s, less than the target's amount and fee "
    "(%(need)s): the task cannot be done"
)

# Lesson widgets (courses/content/widgets.py): E004 at the fence's info string
WIDGET_UNKNOWN = _("unknown widget '%(name)s'")
WIDGET_NAME_MISSING = _("a widget block needs the widget's name after 'widget'")
WIDGET_HINT = _("the widgets are: %(choices)s; for example ```widget sha256")
