"""No admin form lists every study, claim, article, statement or user in a select: each such
foreign key or many-to-many in a form or an inline is an autocomplete, a raw id or read-only,
and no list filter offers every row of a foreign key to one of them."""

import pytest
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from claims.admin import RecentArticleFilter
from claims.models import Article, Claim, Statement
from evidence.models import Study
from tests.factories import ArticleFactory, statement_for

BIG = {Study, Claim, Article, Statement, get_user_model()}


def _editable_relations_to_big_models(model_admin, request, parent=None):
    fields = model_admin.get_fields(request)
    read_only = set(model_admin.get_readonly_fields(request))
    bounded = set(model_admin.autocomplete_fields) | set(model_admin.raw_id_fields)
    for name in fields:
        if name in read_only or name in bounded:
            continue
        try:
            field = model_admin.model._meta.get_field(name)
        except Exception:  # a form-only field or a method
            continue
        if field.is_relation and field.related_model in BIG and field.related_model is not parent:
            yield f"{type(model_admin).__name__}.{name}"


@pytest.fixture
def request_of_an_admin(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    return request


def test_no_admin_form_or_inline_offers_a_select_of_a_big_table(request_of_an_admin, db):
    unbounded = []
    for model, model_admin in admin.site._registry.items():
        unbounded += _editable_relations_to_big_models(model_admin, request_of_an_admin)
        for inline in model_admin.get_inline_instances(request_of_an_admin):
            unbounded += _editable_relations_to_big_models(inline, request_of_an_admin, model)
    assert unbounded == []


def test_no_admin_list_filter_offers_every_row_of_a_big_table(request_of_an_admin, db):
    offering_every_row = []
    for model, model_admin in admin.site._registry.items():
        for entry in model_admin.get_list_filter(request_of_an_admin):
            name = entry[0] if isinstance(entry, tuple) else entry
            if not isinstance(name, str):
                continue
            field = model._meta.get_field(name.split("__")[0])
            related = field.related_model if field.is_relation else None
            chooser = entry[1] if isinstance(entry, tuple) else RelatedFieldListFilter
            if related in BIG and issubclass(chooser, RelatedFieldListFilter):
                offering_every_row.append(f"{type(model_admin).__name__}.{name}")
    assert offering_every_row == []


def test_the_statements_article_filter_offers_the_newest_articles_and_the_chosen_one(
    client, admin_user, monkeypatch
):
    monkeypatch.setattr(RecentArticleFilter, "RECENT", 2)
    oldest, _, newer, newest = ArticleFactory.create_batch(4)
    statement_for(oldest, "First sentence asserts something.")
    statement_for(newest, "Second sentence asserts more.")
    client.force_login(admin_user)

    def offered(response):
        (spec,) = [
            f for f in response.context["cl"].filter_specs if isinstance(f, RecentArticleFilter)
        ]
        return [title for _, title in spec.lookup_choices]

    assert offered(client.get("/admin/claims/statement/")) == [newest.title, newer.title]
    chosen = client.get(f"/admin/claims/statement/?article={oldest.pk}")
    assert offered(chosen) == [newest.title, newer.title, oldest.title]
    assert [s.article for s in chosen.context["cl"].result_list] == [oldest]
