"""Background jobs of maturity (run by `renkei worker`; see renkei.lib.jobs)."""

from renkei.maturity.snapshots import refresh


def refresh_snapshots(community_ids=None):
    """Rebuild the snapshots of these communities (all when None), the medians and the
    national overview. Safe to run twice: it replaces what it computes."""
    return refresh(community_ids)
