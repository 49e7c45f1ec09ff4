"""The helpers views share: an action's refusal shown on a form, and the open-data CSV."""

import io

from django import forms
from django.core.exceptions import ValidationError

from renkei.lib.forms import add_errors
from renkei.lib.spreadsheets import write_open_data_csv


class RoundForm(forms.Form):
    title = forms.CharField()
    file = forms.FileField(required=False)


def test_messages_keyed_by_a_field_of_the_form_go_under_that_field():
    form = RoundForm({"title": "x"})
    form.is_valid()
    add_errors(form, ValidationError({"title": "短すぎます。", "closes_at": "締切が先です。"}))
    assert form.errors == {"title": ["短すぎます。"], "__all__": ["締切が先です。"]}


def test_messages_without_a_field_go_where_the_view_says():
    form = RoundForm({"title": "x"})
    form.is_valid()
    add_errors(form, ValidationError(["PDF ではありません。", "大きすぎます。"]), field="file")
    assert form.errors == {"file": ["PDF ではありません。", "大きすぎます。"]}


def test_an_open_data_csv_carries_the_licence_line_and_neutralises_formulas(settings):
    settings.RENKEI_DATA_LICENCE = "CC BY 4.0 (test)"
    stream = io.StringIO()
    write_open_data_csv(stream, ["a", "b"], [["=1+1", 2], {"a": "x", "b": None}])
    assert stream.getvalue() == "\ufeff# licence: CC BY 4.0 (test)\r\na,b\r\n'=1+1,2\r\nx,\r\n"
