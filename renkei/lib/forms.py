"""Form helpers shared by the apps' views."""


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
