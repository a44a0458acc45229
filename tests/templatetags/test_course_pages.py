"""The lesson's HTML as the page shows it: what is wider than a phone scrolls in its own box."""

from django.utils import translation

from courses.templatetags.course_pages import in_scroll_boxes

TABLE = "<table><tr><td>1</td></tr></table>"


def test_each_table_is_wrapped_in_a_labelled_focusable_box():
    with translation.override("en"):
        html = in_scroll_boxes(f"<p>a</p>{TABLE}<p>b</p>{TABLE}")
    box = '<div class="table-scroll" role="region" tabindex="0" aria-label="Table">'
    assert html == f"<p>a</p>{box}{TABLE}</div><p>b</p>{box}{TABLE}</div>"


def test_a_diagram_alone_in_its_paragraph_keeps_its_size_in_a_box_that_scrolls():
    image = '<img alt="Blocks" src="/assets/abc/chain.svg">'
    with translation.override("en"):
        html = in_scroll_boxes(f"<p>{image}</p><p>Text {image}</p>")
    assert html.startswith(
        f'<div class="figure-scroll" role="region" tabindex="0" aria-label="Diagram">{image}</div>'
    )
    assert html.endswith(f"<p>Text {image}</p>")  # an image within text stays as it is


def test_a_picture_with_a_narrow_variant_and_a_photo_are_left_to_fit_the_column():
    picture = ('<p><picture><source media="(max-width: 599px)" srcset="a.narrow.svg">'
               '<img alt="" src="a.svg"></picture></p>')  # fmt: skip
    photo = '<p><img alt="" src="/assets/abc/photo.jpg"></p>'
    assert in_scroll_boxes(picture + photo) == picture + photo


def test_code_that_scrolls_can_be_scrolled_with_the_keyboard():
    assert in_scroll_boxes("<pre><code>x</code></pre>") == '<pre tabindex="0"><code>x</code></pre>'
