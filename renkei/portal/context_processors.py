import functools

from django.conf import settings

from renkei.notifications.models import Notification


def portal(request):
    # portal_name: the title of every page; Django's sign-in and password views put the
    # host's name in site_name, which would otherwise title those pages.
    context = {"site_name": settings.RENKEI_SITE_NAME, "portal_name": settings.RENKEI_SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:

        @functools.cache
        def unread_notifications():
            # Counted once, and only where a page shows it (the header of signed-in pages).
            return Notification.objects.for_user(user).unread().count()

        context["unread_notifications"] = unread_notifications
    return context
