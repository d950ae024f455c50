"""The study list's text search (config.search), the same for the user on SQLite and
PostgreSQL."""

from tests.factories import StudyFactory


def listed(client, text):
    response = client.get("/studies/", {"q": text})
    return [study.title for study in response.context["page"].object_list]


def test_a_word_of_the_title_finds_the_study(client, db):
    StudyFactory(title="Synthetic compound and a made-up marker")
    StudyFactory(title="Synthetic diet and another response")
    assert listed(client, "marker") == ["Synthetic compound and a made-up marker"]


def test_a_word_of_the_journal_finds_the_study(client, db):
    StudyFactory(title="Synthetic study one", journal="Synthetic Journal of Trials")
    StudyFactory(title="Synthetic study two", journal="Synthetic Bulletin")
    assert listed(client, "trials") == ["Synthetic study one"]


def test_part_of_a_word_of_the_title_finds_the_study(client, db):
    StudyFactory(title="Synthetic prolactinoma cohort")
    StudyFactory(title="Synthetic diet trial")
    assert listed(client, "prolact") == ["Synthetic prolactinoma cohort"]


def test_every_word_must_be_found(client, db):
    StudyFactory(title="Synthetic compound and marker")
    StudyFactory(title="Synthetic compound and response")
    assert listed(client, "marker compound") == ["Synthetic compound and marker"]


def test_a_word_in_nothing_finds_nothing(client, db):
    StudyFactory(title="Synthetic compound and marker", journal="Synthetic Journal")
    assert listed(client, "zebrafish") == []
    assert "No study matches these filters" in client.get("/studies/?q=zebrafish").content.decode()


def test_a_match_in_the_title_ranks_before_a_match_in_the_journal(client, db):
    StudyFactory(title="Synthetic study of a diet", journal="Synthetic Marker Letters", year=2024)
    StudyFactory(title="Synthetic marker study", journal="Synthetic Journal", year=2001)
    assert listed(client, "marker") == ["Synthetic marker study", "Synthetic study of a diet"]


def test_a_chosen_sort_order_wins_over_the_ranking(client, db):
    StudyFactory(title="Synthetic study of a diet", journal="Synthetic Marker Letters", year=2024)
    StudyFactory(title="Synthetic marker study", journal="Synthetic Journal", year=2001)
    assert listed(client, "marker") == ["Synthetic marker study", "Synthetic study of a diet"]
    response = client.get("/studies/", {"q": "marker", "sort": "-year"})
    titles = [study.title for study in response.context["page"].object_list]
    assert titles == ["Synthetic study of a diet", "Synthetic marker study"]


def test_past_the_ranking_cap_matches_come_in_the_lists_order(client, db, monkeypatch):
    monkeypatch.setattr("config.search.RANK_CAP", 1)
    StudyFactory(title="Synthetic study of a diet", journal="Synthetic Marker Letters", year=2024)
    StudyFactory(title="Synthetic marker study", journal="Synthetic Journal", year=2001)
    assert listed(client, "marker") == ["Synthetic study of a diet", "Synthetic marker study"]
