"""The matching fixtures (a confirmed need, taken; a coordinator of another community), and
fresh indexes for every test, as matching's tests have them."""

from renkei.matching.tests.conftest import (  # noqa: F401 - fixtures, found by name
    _fresh_index,
    confirmed_need,
    need_form_data,
    nut_seed,
    other_coordinator,
    taken_need,
)
