"""Pages of the communities app, by noun: the registry (registry.py), certification rounds
(rounds.py), applications (applications.py) and reviewers' pages (reviews.py). Every write
goes through renkei.communities.actions."""
