"""Form helpers shared by the apps' views."""

from django.forms.renderers import TemplatesSetting


def add_errors(form, error, field=None):
    """Show a ValidationError raised by an action on ``form``.

    Messages the error keys by a field the form has go under that field; all others (keyed
    by a field the form lacks, or not keyed at all) go under ``field``, or on the form as a
    whole when it is None."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else field, messages)
    else:
        form.add_error(field, error.messages)


class Renderer(TemplatesSetting):
    """How every form of the portal is drawn (settings.FORM_RENDERER): through the project's
    templates, so ``_field.html`` draws each field — its label without Django's ASCII colon
    (a Japanese label stands alone), marked 必須 or 任意 where the form asks for it
    (``required_marks = True``) — and ``django/forms/widgets/select_option.html`` names an
    empty choice 「選択してください」 rather than ``---------``."""

    field_template_name = "_field.html"
