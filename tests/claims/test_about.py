def test_the_about_page_explains_the_method_with_grades_levels_and_thresholds(client, db):
    html = client.get("/about/").content.decode()
    for level in ("High", "Moderate", "Low", "Very low"):
        assert f"<dt>{level}</dt>" in html
    assert "under 400 participants in all costs a level" in html
    assert "75% of the studies that count" in html


def test_the_about_page_documents_the_claimreview_rating_scale(client, db):
    html = client.get("/about/").content.decode()
    assert "The 1–5 rating for fact-checkers" in html
    row = html.split('<th scope="row">Supported</th>')[1].split("</tr>")[0]
    assert row == "<td>5</td><td>4</td><td>4</td><td>3</td>"


def test_the_about_page_says_a_marks_words_and_weight_follow_the_certainty(client, db):
    html = client.get("/about/").content.decode()
    assert "“Very uncertain, leans supported” at very low certainty" in html
    assert "“Probably supported” at moderate certainty" in html
    assert "the fainter the mark" in html
