"""Telling people what concerns them: an inbox in the portal and mail (see actions.py)."""


def tell(kind, to, subject, template, context, *, link=""):
    """Tell people about ``kind``; see :func:`renkei.notifications.actions.tell`."""
    # Imported on call: this package is imported while Django loads its apps, before models.
    from renkei.notifications.actions import tell as _tell

    return _tell(kind, to, subject, template, context, link=link)
