from courses.content.glossary_links import link_glossary_terms


def href(key):
    return f"../glossary/{key}/"


def test_first_mention_of_each_term_is_linked():
    html = "<p>Хеш — бул манжа изи. Ар бир хеш уникалдуу.</p>"
    out = link_glossary_terms(html, [("hash", "Хеш")], href=href)
    assert out == (
        '<p><a class="glossary-link" href="../glossary/hash/" title="Хеш">Хеш</a>'
        " — бул манжа изи. Ар бир хеш уникалдуу.</p>"
    )


def test_terms_inside_links_code_and_headings_are_left_alone():
    html = '<h2>Hash</h2><p><a href="x">hash</a> <code>hash</code></p><pre>hash</pre>'
    assert link_glossary_terms(html, [("hash", "hash")], href=href) == html


def test_whole_words_only_and_longer_terms_first():
    html = "<p>A hashing function. The private key and the key.</p>"
    out = link_glossary_terms(html, [("key", "key"), ("private-key", "private key")], href=href)
    assert "hashing" in out and "glossary/hash" not in out
    link = '<a class="glossary-link" href="../glossary/private-key/" title="private key">'
    assert link + "private key</a>" in out
    assert out.count("glossary-link") == 2


def test_linking_is_idempotent_and_keeps_entities():
    html = "<p>Node &amp; node&#39;s peers</p>"
    once = link_glossary_terms(html, [("node", "node")], href=href)
    assert "&amp;" in once and "&#39;" in once
    assert link_glossary_terms(once, [("node", "node")], href=href) == once


def test_term_text_is_escaped_in_the_title():
    out = link_glossary_terms("<p>x&lt;y term</p>", [("t", 'term"><script>')], href=href)
    assert "<script>" not in out
