"""Accounts: sign-up with email verification, throttled sign-in and password reset, none revealing who exists."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from disclosures.selectors.portal import user_email_is_verified
from disclosures.services.accounts import LOGIN_MAX_FAILURES, email_verification_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
GOOD_PASSWORD = "plum-orchard-kettle-92"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def sign_up(client: Client, email: str, password: str = GOOD_PASSWORD) -> object:
    return client.post(reverse("signup"), {"email": email, "password1": password, "password2": password})


def link_in(message: mail.EmailMessage) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signing_up_creates_an_account_named_by_its_email_and_mails_a_verification_link(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "Ana@Northwind-Apparel.example")

    assert response.status_code == 302
    assert response.url == reverse("signup_done")
    user = User.objects.get(username="ana@northwind-apparel.example")
    assert user.email == "ana@northwind-apparel.example"
    assert not user_email_is_verified(user=user)
    assert len(mail.outbox) == 1
    assert "/accounts/verify/" in link_in(mail.outbox[0])


def test_signing_up_with_a_registered_address_looks_the_same_and_mails_the_owner_instead(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    UserFactory(username="ana", email="ana@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "ANA@example.org")

    assert response.status_code == 302
    assert response.url == reverse("signup_done")
    assert User.objects.filter(email__iexact="ana@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert "already has one" in mail.outbox[0].body
    assert "/accounts/verify/" not in mail.outbox[0].body


def test_a_weak_password_is_refused_on_the_form_and_no_account_is_made(client: Client) -> None:
    response = sign_up(client, "ana@example.org", password="password")

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="ana@example.org").exists()


def test_two_different_passwords_are_refused(client: Client) -> None:
    response = client.post(
        reverse("signup"), {"email": "ana@example.org", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"}
    )

    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_the_emailed_link_shows_a_button_and_confirming_verifies_the_address(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "ana@example.org")
    link = link_in(mail.outbox[0])
    path = link.split("://", 1)[1].split("/", 1)[1]
    user = User.objects.get(email="ana@example.org")

    shown = client.get("/" + path)
    assert shown.status_code == 200
    assert not user_email_is_verified(user=user)
    confirmed = client.post("/" + path)

    assert confirmed.status_code == 302
    assert confirmed.url == reverse("login")
    assert user_email_is_verified(user=user)


def test_a_link_older_than_three_days_is_refused(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    with time_machine.travel(START, tick=False):
        token = email_verification_token(user=user)
    with time_machine.travel(START + dt.timedelta(days=3, minutes=1), tick=False):
        response = client.post(reverse("verify_email", kwargs={"token": token}))

    assert response.status_code == 400
    assert "expired" in response.context["error"]
    assert not user_email_is_verified(user=user)


def test_a_tampered_link_is_refused(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    token = email_verification_token(user=user)

    response = client.post(reverse("verify_email", kwargs={"token": token[:-2] + "xx"}))

    assert response.status_code == 400
    assert not user_email_is_verified(user=user)


def test_a_verification_stops_counting_once_the_address_changes(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    client.post(reverse("verify_email", kwargs={"token": email_verification_token(user=user)}))
    assert user_email_is_verified(user=user)

    user.email = "ana@elsewhere.example"
    user.save()

    assert not user_email_is_verified(user=user)


def test_a_link_for_an_address_no_longer_on_the_account_is_refused(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    token = email_verification_token(user=user)
    user.email = "ana@elsewhere.example"
    user.save()

    response = client.post(reverse("verify_email", kwargs={"token": token}))

    assert response.status_code == 400
    assert not user_email_is_verified(user=user)


def test_a_signed_in_user_can_ask_for_a_new_link_but_not_twice_a_minute(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    client.force_login(user)

    client.post(reverse("verify_email_resend"))
    client.post(reverse("verify_email_resend"))

    assert len(mail.outbox) == 1
    assert "/accounts/verify/" in mail.outbox[0].body


# --- sign-in ---------------------------------------------------------------------------------------------------


def attempt(client: Client, username: str, password: str, ip: str = "203.0.113.5") -> object:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_user_signs_in_with_the_email_they_signed_up_with(client: Client) -> None:
    UserFactory(username="ana@example.org", email="ana@example.org")

    response = attempt(client, "ana@example.org", "correct-horse-battery")

    assert response.status_code == 302
    assert response.url == reverse("portal:home")


def test_ten_failures_for_one_username_from_one_address_block_even_the_right_password(client: Client) -> None:
    UserFactory(username="ana")
    for _ in range(LOGIN_MAX_FAILURES):
        assert attempt(client, "ana", "wrong").status_code == 200

    blocked = attempt(client, "ana", "correct-horse-battery")

    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_block_is_per_username_and_address(client: Client) -> None:
    UserFactory(username="ana")
    UserFactory(username="ben")
    for _ in range(LOGIN_MAX_FAILURES):
        attempt(client, "ana", "wrong")

    assert attempt(client, "ana", "correct-horse-battery", ip="198.51.100.7").status_code == 302
    client.logout()
    assert attempt(client, "ben", "correct-horse-battery").status_code == 302


def test_the_block_lifts_after_fifteen_minutes(client: Client, clock_driven_cache: None) -> None:
    UserFactory(username="ana")
    with time_machine.travel(START, tick=False):
        for _ in range(LOGIN_MAX_FAILURES):
            attempt(client, "ana", "wrong")
        assert attempt(client, "ana", "correct-horse-battery").status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=15, seconds=1), tick=False):
        assert attempt(client, "ana", "correct-horse-battery").status_code == 302


def test_a_successful_sign_in_clears_the_failures_so_far(client: Client) -> None:
    UserFactory(username="ana")
    for _ in range(LOGIN_MAX_FAILURES - 1):
        attempt(client, "ana", "wrong")
    assert attempt(client, "ana", "correct-horse-battery").status_code == 302
    client.logout()

    for _ in range(LOGIN_MAX_FAILURES - 1):
        attempt(client, "ana", "wrong")

    assert attempt(client, "ana", "correct-horse-battery").status_code == 302


def test_the_sign_in_page_links_to_sign_up_and_password_reset(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()

    assert reverse("signup") in page
    assert reverse("password_reset") in page


# --- password reset --------------------------------------------------------------------------------------------


def test_password_reset_answers_the_same_whether_or_not_the_address_has_an_account(client: Client) -> None:
    UserFactory(username="ana", email="ana@example.org")

    known = client.post(reverse("password_reset"), {"email": "ana@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]


def test_the_reset_link_lets_the_user_choose_a_new_password_and_sign_in_with_it(client: Client) -> None:
    UserFactory(username="ana", email="ana@example.org")
    client.post(reverse("password_reset"), {"email": "ana@example.org"})
    path = "/" + link_in(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]

    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    )

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    assert attempt(client, "ana", GOOD_PASSWORD).status_code == 302


@pytest.mark.parametrize("name", ["login", "signup", "signup_done", "password_reset", "password_reset_done"])
def test_every_account_page_renders_for_a_visitor(client: Client, name: str) -> None:
    assert client.get(reverse(name)).status_code == 200


def test_the_password_change_page_renders_for_a_signed_in_user(client: Client) -> None:
    client.force_login(UserFactory(username="ana"))

    assert client.get(reverse("password_change")).status_code == 200


def test_password_reset_mails_one_address_at_most_three_times_an_hour_and_looks_the_same(client: Client) -> None:
    UserFactory(username="ana", email="ana@example.org")

    responses = [client.post(reverse("password_reset"), {"email": "ana@example.org"}) for _ in range(5)]

    assert {response.url for response in responses} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3
