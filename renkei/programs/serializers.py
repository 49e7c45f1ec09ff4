"""The JSON shape of programs, shared by the API and `renkei programs search --format json`."""

from django.utils import timezone


def contact_out(contact):
    window = contact.contact_window
    return {
        "label": contact.label,
        "organization": window.organization.name,
        "department": window.department,
        "phone": window.phone,
        "extension": window.extension,
        "email": window.email,
    }


def _call_summary(program, now):
    """(status of the most relevant call, its deadline) — open first, then the next one."""
    calls = sorted(
        program.call_periods.all(),
        key=lambda c: (c.status_at(now) != "open", c.closes_at is None, c.closes_at or now),
    )
    if not calls:
        return None, None
    call = calls[0]
    return call.status_at(now).value, call.closes_at


def program_out(program, now=None):
    now = now or timezone.now()
    line = program.headline_budget
    status, closes_at = _call_summary(program, now)
    return {
        "id": program.pk,
        "code": program.code,
        "name": program.name,
        "ministry": (
            {
                "code": program.ministry.code,
                "name": program.ministry.name,
                "short_name": program.ministry.short_name,
            }
            if program.ministry
            else None
        ),
        "department": program.department,
        "applicant_types": program.applicant_types,
        "budget_thousand_yen": line.amount_thousand_yen if line else None,
        "budget_fiscal_year": line.fiscal_year if line else None,
        "is_part_of_larger": line.is_part_of_larger if line else False,
        "accepts_new_projects": program.accepts_new_projects,
        "stage": program.stage or None,
        "market_area": program.market_area or None,
        "aim": program.aim or None,
        "url": program.url,
        "call_status": status,
        "call_closes_at": closes_at,
        "contacts": [contact_out(c) for c in program.contacts.all()],
    }


def program_detail_out(program, next_programs, now=None):
    now = now or timezone.now()
    data = program_out(program, now)
    data.update(
        {
            "description": program.description,
            "aliases": [a.name for a in program.aliases.all()],
            "keywords": program.keyword_list,
            "menu_budget_label": program.menu_budget_label,
            "builds_on": program.builds_on,
            "source_reference": program.source_reference,
            "credit": program.credit,
            "budget_lines": [
                {
                    "fiscal_year": b.fiscal_year,
                    "kind": b.kind,
                    "source": b.source,
                    "title": b.title,
                    "amount_thousand_yen": b.amount_thousand_yen,
                    "is_part_of_larger": b.is_part_of_larger,
                    "includes_thousand_yen": b.includes_thousand_yen,
                    "includes_label": b.includes_label,
                    "bracketed_thousand_yen": b.bracketed_thousand_yen,
                    "bracketed_is_part_of_larger": b.bracketed_is_part_of_larger,
                    "is_headline": b.is_headline,
                    "notes": b.notes,
                }
                for b in program.budget_lines.all()
            ],
            "call_periods": [
                {
                    "title": c.title,
                    "opens_at": c.opens_at,
                    "closes_at": c.closes_at,
                    "status": c.status_at(now).value,
                    "url": c.url,
                }
                for c in program.call_periods.all()
            ],
            "next_programs": [
                {
                    "code": r.to_program.code,
                    "name": r.to_program.name,
                    "kind": r.kind,
                    "reason": r.reason,
                }
                for r in next_programs
            ],
        }
    )
    return data
