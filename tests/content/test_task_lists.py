"""Task lists ("- [ ] I can explain ...") in lessons: each checkbox is named by its item's text,
so screen readers announce it and axe finds no unlabelled form control."""

from courses.content.render import render_markdown


def test_each_task_checkbox_is_labelled_by_its_text():
    html = render_markdown("- [ ] Can *explain* a hash\n- [x] Done `sha256`\n").html
    assert '<label><input type="checkbox" disabled=""> Can <em>explain</em> a hash</label>' in html
    assert (
        '<label><input type="checkbox" disabled="" checked=""> Done <code>sha256</code></label>'
        in html
    )


def test_nested_and_loose_task_lists_are_labelled_too():
    html = render_markdown("- [ ] outer\n    - [x] inner\n\n- [ ] loose\n").html
    assert html.count("<label>") == html.count("<input") == 3
    assert "outer</label></p>" in html and "inner</label></li>" in html


def test_other_lists_and_inputs_are_left_alone():
    html = render_markdown("- plain item\n\n1. numbered\n").html
    assert "<label>" not in html
