"""`renkei api-schema`: print the API's OpenAPI document, as committed in docs/openapi.json.

    renkei api-schema > docs/openapi.json

renkei/portal/tests/test_api_contract.py fails when the code and the committed document
differ, so a change to an operation, a parameter or a schema commits its document too.
"""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import override

from renkei.api import api


def openapi_document():
    """The document as text: the schema in Japanese (the source language), one way always."""
    with override("ja"):
        schema = api.get_openapi_schema(path_prefix="/api/")
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = _("API の OpenAPI 文書を出力します（docs/openapi.json として保存）。")

    def handle(self, *args, **options):
        self.stdout.write(openapi_document(), ending="")
