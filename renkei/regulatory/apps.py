from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulatoryConfig(AppConfig):
    """Regulatory and special-zone consultations (規制・特区相談): asked by anyone, routed to
    the window that handles the topic, tracked to an answer, published anonymised only with
    the asker's consent (ADR 0009 §5)."""

    name = "renkei.regulatory"
    verbose_name = _("規制・特区相談")
