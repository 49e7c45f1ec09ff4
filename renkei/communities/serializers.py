"""The JSON (and CSV) shape of communities and round results: API and export share it."""


def community_out(community, *, with_members=True):
    data = {
        "slug": community.slug,
        "name": community.name,
        "abbreviation": community.abbreviation,
        "kind": community.kind,
        "status": community.status,
        "status_label": str(community.get_status_display()),
        "certified_on": community.certified_on,
        "registered_on": community.registered_on,
        "prefectures": [p.code for p in community.prefectures.all()],
        "prefecture_names": [p.name for p in community.prefectures.all()],
        "network_organization": community.network_organization.name
        if community.network_organization
        else None,
        "overview": community.overview,
        "themes": community.theme_list,
        "market_areas": [a.code for a in community.market_areas.all()],
        "logo_permitted": community.logo_permitted,
        "website": community.website,
        "sources": community.sources,
    }
    if with_members:
        data["members"] = [
            {
                "organization": m.organization.name,
                "kind": m.organization.kind,
                "sector": m.organization.sector.value,
                "role": m.role,
                "as_written": m.as_written,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in community.members.select_related("organization")
        ]
        data["key_persons"] = [
            {
                "name": p.name,
                "title": p.title,
                "organization": p.organization.name if p.organization else None,
            }
            for p in community.key_persons.select_related("organization")
        ]
        data["history"] = [
            {"status": e.status, "decided_on": e.decided_on, "round_id": e.round_id}
            for e in community.status_events.all()
        ]
    return data


def round_out(round_):
    return {
        "id": round_.pk,
        "title": round_.title,
        "kind": round_.kind,
        "fiscal_year": round_.fiscal_year,
        "status": round_.status,
        "opens_at": round_.opens_at,
        "closes_at": round_.closes_at,
        "published_on": round_.published_on,
    }


def result_out(application):
    return {
        "community": application.community.slug,
        "community_name": application.community.name,
        "decision": application.decision,
        "decision_label": str(application.get_decision_display()),
        "reasons": application.decision_reasons,
        "members_as_listed": application.community.members_as_listed,
        "overview": application.community.overview,
    }
