"""The programs tests keep their catalogue files (search/catalogue.py) in a directory of
their own, never in the project's var/."""

import pytest


@pytest.fixture(autouse=True)
def _catalogue_files_in_tmp(settings, tmp_path):
    settings.RENKEI_INDEX_DIR = tmp_path / "index"
