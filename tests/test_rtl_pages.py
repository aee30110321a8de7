

def test_a_chapter_title_follows_its_number_at_a_word_s_distance(pages):
    """The number column fits the widest Arabic number as drawn (joined Naskh letters, vowel
    marks taking no width): it was measured as Latin capitals, 5.5 em, and left a gap of
    3.6 em between "أولاً -" and its title."""
    for label, title in (("1", "مقدمة"), ("1", "النتائج")):
        _, page = _page(pages, label)
        heading = next(w for w in _body(page) if w["text"] == _reversed(title))
        line = [w for w in _lines(_body(page)) if heading in w][0]
        mark = min((w for w in line if w["text"] == "-"), key=lambda w: w["x0"] - heading["x1"])
        gap = mark["x0"] - heading["x1"]
        assert 0.3 * 14 < gap < 1.2 * 14, (title, gap)                      # 14pt headings
