from django.conf import settings


def portal(request):
    return {"site_name": settings.RENKEI_SITE_NAME}
