"""Open data on the site: the data page, each data set's page with its dictionary, the
downloads (CSV, XLSX, JSON) and the DCAT catalogue, all read from the registry
(renkei/portal/datasets.py)."""

import io

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.portal.datasets import BY_SLUG, FORMATS, REGISTRY, WRITERS


def _dataset(slug):
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise Http404(_("そのデータセットはありません。")) from None


def _entries():
    return [{"dataset": d, "as_of": d.as_of()} for d in REGISTRY]


def _api(context):
    """Where the API is described: the interactive docs where RENKEI_API_DOCS allows them,
    the OpenAPI document always."""
    return {**context, "api_docs": settings.RENKEI_API_DOCS}


def data(request):
    context = {"entries": _entries(), "formats": list(FORMATS)}
    return render(request, "portal/data.html", _api(context))


def dataset_page(request, slug):
    dataset = _dataset(slug)
    return render(
        request,
        "portal/dataset.html",
        _api({"dataset": dataset, "as_of": dataset.as_of(), "formats": list(FORMATS)}),
    )


def download(request, slug, fmt):
    dataset = _dataset(slug)
    if fmt not in FORMATS:
        error = _(
            "形式「%(format)s」では提供していません。CSV・XLSX・JSON のどれかを選んでください。"
        ) % {"format": fmt}
        context = _api({"dataset": dataset, "as_of": dataset.as_of(), "formats": list(FORMATS)})
        return render(request, "portal/dataset.html", {**context, "error": error}, status=400)
    stream = io.BytesIO() if fmt == "xlsx" else io.StringIO()
    WRITERS[fmt](dataset, stream)
    content_type, _label = FORMATS[fmt]
    response = HttpResponse(stream.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="renkei-{slug}.{fmt}"'
    return response


def catalog(request):
    """The data sets as a DCAT catalogue in the JSON that CKAN's DCAT harvester reads
    (Project Open Data v1.1 / DCAT-US), each with its download URL per format."""

    def absolute(name, *args):
        return request.build_absolute_uri(reverse(name, args=args))

    publisher = {"@type": "org:Organization", "name": str(settings.RENKEI_SITE_NAME)}
    contact = settings.RENKEI_SECRETARIAT_CONTACT
    contact_point = {"@type": "vcard:Contact", "fn": _("renkei 事務局")}
    if "@" in contact:
        contact_point["hasEmail"] = f"mailto:{contact}"
    datasets = []
    for entry in _entries():
        dataset, as_of = entry["dataset"], entry["as_of"]
        page = absolute("portal:dataset", dataset.slug)
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "identifier": page,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "keyword": [str(k) for k in dataset.keywords],
                "publisher": publisher,
                "contactPoint": contact_point,
                "accessLevel": "public",
                "license": dataset.licence.url,
                "rights": dataset.licence_line,
                "landingPage": page,
                "language": ["ja"],
                "references": [dataset.source_terms.url] if dataset.source_terms else [],
                **({"modified": as_of.isoformat()} if as_of else {}),
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": f"{dataset.title} ({label})",
                        "downloadURL": absolute("portal:download", dataset.slug, fmt),
                        "mediaType": media_type.split(";")[0],
                        "format": label,
                        "describedBy": absolute("portal:download", dataset.slug, "json"),
                        "describedByType": "application/json",
                    }
                    for fmt, (media_type, label) in FORMATS.items()
                ],
            }
        )
    return JsonResponse(
        {
            "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            "@id": absolute("portal:catalog"),
            "@type": "dcat:Catalog",
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
            "title": str(settings.RENKEI_SITE_NAME),
            "homepage": absolute("portal:data"),
            "dataset": datasets,
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
