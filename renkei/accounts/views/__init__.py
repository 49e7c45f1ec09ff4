"""Pages about people: signing in and its safety (signin.py), one's own account
(account.py), invitations (invitations.py), the secretariat's people pages (people.py)."""


def add_errors(form, error):
    """Show a ValidationError raised by an action on ``form`` (under its field where the form
    has that field, on the form otherwise)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
