"""
Every form of the site is laid out by crispy-bootstrap5 (``{{ form|crispy }}``
in the Jinja2 templates): what a reader sees of a form sent back with errors.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_review

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def field_box(html, field_id):
    """The ``<div id="div_<field_id>">`` crispy wraps a field's label, input, error and help in."""
    after = r'\s*(?=<div id="div_|<input|<button|<div\s+class)'
    match = re.search(rf'<div id="div_{field_id}" class="mb-3">(.*?)</div>{after}', html, re.S)
    assert match, f"no box for {field_id}"
    return match.group(1)


def test_a_comment_sent_back_shows_each_error_by_its_field_and_keeps_the_text(client):
    review = make_review()
    response = client.post(
        reverse("reviews:comment-create", args=[review.slug]),
        {"name": "", "email": "not-an-address", "text": "<b>My</b> take & more"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 400
    html = response.content.decode()
    name = field_box(html, "id_name")
    assert 'for="id_name"' in name and 'aria-invalid="true"' in name
    assert "This field is required." in name
    email = field_box(html, "id_email")
    assert 'id="id_email_error"' in email and "Enter a valid email address." in email
    assert "&lt;b&gt;My&lt;/b&gt; take &amp; more</textarea>" in html
    # The honeypot (moved off screen by site.css) and the hidden start time.
    assert 'name="website"' in field_box(html, "id_website")
    assert '<input type="hidden" name="started"' in html


def test_a_sign_up_sent_back_keeps_the_name_and_hides_the_honeypot(client):
    response = client.post(
        reverse("subscriptions:sign-up"), {"email": "not-an-address", "name": "Zoë"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    email = field_box(html, "id_subscribe_email")
    assert 'aria-invalid="true"' in email and "Enter a valid email address." in email
    assert 'value="Zoë"' in field_box(html, "id_subscribe_name")
    trap = re.search(r'<div\s+class="subscribe-trap"\s+aria-hidden="true">(.*?)</div>', html, re.S)
    assert trap and 'name="website"' in trap.group(1) and 'tabindex="-1"' in trap.group(1)


def test_the_sign_in_form_carries_its_csrf_input(client):
    html = client.get(reverse("account:login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'for="id_username"' in html and 'for="id_password"' in html


def test_no_python_module_of_the_project_writes_form_markup():
    tags = re.compile(r"<(input|label|select|textarea)\b")
    modules = [
        path
        for package in ("filmblog", "reviews", "people", "subscriptions")
        for path in (ROOT / package).rglob("*.py")
        if tags.search(path.read_text())
    ]
    assert modules == []
