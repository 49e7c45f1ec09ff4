"""Pages about people: signing in and its safety (signin.py), one's own account
(account.py), invitations (invitations.py), the secretariat's people pages (people.py)."""
