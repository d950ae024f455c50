"""The admin of API tokens (django-rest-knox's AuthToken, in place of knox's own admin): issue a
token for a user (its key shown once, on the page that answers the form, never in a message
or a cookie), rotate selected tokens (each replaced by a new one, the keys shown once), revoke
(delete) them. Only digests are stored, so an issued key cannot be shown again. A user's page
links here (templates/admin/auth/user/change_form.html). The admin group has these
permissions (migration claims 0013)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from knox.models import AuthToken, get_digest_token
from knox.settings import CONSTANTS, knox_settings

from claims.api_tokens import api_tokens_rotate


def default_expiry():
    return timezone.now() + knox_settings.TOKEN_TTL


class AuthTokenIssueForm(forms.ModelForm):
    class Meta:
        model = AuthToken
        fields = ["user", "expiry"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        expiry = self.fields["expiry"]
        expiry.required = True
        expiry.initial = default_expiry
        expiry.help_text = "When the token stops working (default: API_TOKEN_TTL_DAYS from now)."
        self.key = None

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.is_active:
            raise ValidationError(f"{user.get_username()} is not active: a token would not work.")
        return user

    def clean_expiry(self):
        expiry = self.cleaned_data["expiry"]
        if expiry <= timezone.now():
            raise ValidationError("A token must expire in the future.")
        return expiry

    def save(self, commit=True):
        token = super().save(commit=False)
        token.digest, self.key = get_digest_token()
        token.token_key = self.key[: CONSTANTS.TOKEN_KEY_LENGTH]
        if commit:
            token.save()
        return token


def issued_page(request, model_admin, issued):
    """The only page that ever shows the keys: [(user, key)]."""
    return TemplateResponse(
        request,
        "admin/knox/authtoken/issued.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": "API token issued" if len(issued) == 1 else "API tokens issued",
            "issued": issued,
        },
    )


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "starts_with", "created", "expiry", "state"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    ordering = ["user__username", "-created"]
    raw_id_fields = ["user"]
    actions = ["rotate"]

    @admin.display(description="Key starts with")
    def starts_with(self, token):
        return f"{token.token_key[:8]}…"

    @admin.display(description="State")
    def state(self, token):
        return "expired" if token.expiry and token.expiry <= timezone.now() else "active"

    def lookup_allowed(self, lookup, value, request=None):
        # A user's page links to their tokens: ?user__id__exact=<pk>.
        return lookup == "user__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_change_permission(self, request, obj=None):
        # A token is not edited: it is rotated or revoked (deleted). Its page is read-only.
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "expiry"]
        return ["user", "starts_with", "created", "expiry", "state"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AuthTokenIssueForm
        return super().get_form(request, obj, change=change, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        return issued_page(request, self, [(obj.user, request._issued_api_token_key)])

    def save_form(self, request, form, change):
        token = super().save_form(request, form, change)
        if not change:
            request._issued_api_token_key = form.key
        return token

    @admin.action(
        description="Rotate: replace each selected token by a new one (the old stops working)",
        permissions=["add", "delete"],
    )
    def rotate(self, request, queryset):
        try:
            issued = api_tokens_rotate(tokens=queryset)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        return issued_page(request, self, issued)
