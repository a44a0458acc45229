"""The cohort dashboard's member rows and bar charts, rendered in Python.

A page shows 100 members and a bar per item of the course (111 for the bench's course): as
template loops (a `{% url %}` per row, filters per cell) they took most of the page's time.
Here the markup of detail.html's loops is written once per row with one `reverse()` for the
whole table, and each bar chart is kept per language and its bars (the same for every
instructor of the cohort until a member's progress changes: the bars are the key). The whole
page is kept too (`cohort_page_kept`), per version of the members' table and what it shows
of the cohort.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from courses.templatetags.slots import page_kept, rendered_once

register = template.Library()

_USER = 2_147_483_647  # a user id no member has: replaced by each member's in the URL


def _number(value) -> str:
    """``{{ value }}``: a whole number as it is (no thousands separator in this site), any
    other number localised."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))


class _Dates:
    """``value|date:"SHORT_DATETIME_FORMAT"`` for many values: the format looked up once,
    each distinct value formatted once."""

    def __init__(self) -> None:
        self.format = get_format("SHORT_DATETIME_FORMAT")
        self.done: dict = {}

    def __call__(self, value) -> str:
        found = self.done.get(value)
        if found is None:
            local = template_localtime(value)
            found = self.done[value] = escape(dateformat.format(local, self.format))
        return found


def _row(row, member_url: str, quizzes: int, inactive: str, dates: _Dates) -> str:
    url = escape(member_url.replace(str(_USER), str(row.user_id)))
    email = f'<br><span class="meta">{escape(row.email)}</span>' if row.name else ""
    progress = _number(row.progress)
    activity = dates(row.last_activity) if row.last_activity else "—"
    if row.inactive:
        activity += f' <span class="badge warn">{inactive}</span>'
    scores = "".join(
        f'<td class="num">{"—" if score is None else _number(score)}</td>'
        for score in (list(row.scores) + [None] * quizzes)[:quizzes]
    )
    certificate = row.certificate
    if certificate is None:
        state = "—"
    elif certificate.issued:
        state = (
            f'<a href="{escape(certificate.get_absolute_url())}">'
            f"{escape(certificate.get_status_display())}</a>"
        )
    else:
        state = escape(certificate.get_status_display())
    return (
        "\n      <tr>\n"
        f'        <th scope="row"><a href="{url}">{escape(row.display_name)}</a>{email}</th>\n'
        f'        <td class="num"><progress max="100" value="{progress}" aria-hidden="true">'
        f'</progress> <span class="pct">{progress}%</span></td>\n'
        f"        <td>{activity}</td>\n"
        f"        {scores}\n"
        f"        <td>{state}</td>\n"
        "      </tr>\n    "
    )


@register.simple_tag
def member_rows(cohort, rows, quizzes) -> SafeString:
    """The rows of the members' table (`<tr>` per member of ``rows``), as detail.html's
    loop wrote them."""
    member_url = reverse("cohorts:member", args=[cohort.pk, _USER])
    inactive = escape(gettext("inactive"))
    count = len(quizzes)
    dates = _Dates()
    html = "".join(_row(row, member_url, count, inactive, dates) for row in rows)
    return mark_safe(html)  # noqa: S308 - every value escaped above


@register.simple_tag
def cohort_bars(bars, template_name: str) -> SafeString:
    """A bar chart's rows (``template_name``), kept per language and bars."""
    bars = tuple(bars)
    part = rendered_once(
        ("cohort bars", template_name, get_language(), bars), template_name, lambda: {"bars": bars}
    )
    return part.fill({})


PAGE_PARAMETERS = frozenset({"status", "sort", "page"})


def cohort_page_kept(request, cohort, table, template_name: str, context) -> SafeString | None:
    """The members' page (``template_name`` with ``context()``) from one rendered once per
    version of the members' table (`cohort_reports.cohort_table`: another for any change of a
    member's data), language, address and everything the page shows of the cohort, or may
    do on it; None when the request cannot be answered so (messages waiting, or a query
    string with other parameters than the page's own)."""
    if not set(request.GET) <= PAGE_PARAMETERS:
        return None
    organization = cohort.organization
    revision = cohort.course.live_revision
    key = (
        "cohort page", cohort.pk, table.version, get_language(), cohort.can_manage,
        cohort.name, cohort.starts_on, cohort.ends_on, cohort.certificate_deadline,
        organization.pk, repr(organization.names), revision.pk if revision else None,
    )  # fmt: skip
    return page_kept(request, key, template_name, context, {}, with_query=True)
