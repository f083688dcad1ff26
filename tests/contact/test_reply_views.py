"""The family's answer page (/<lang>/contact/reply/): the reply code opens the question on this device, wrong codes
are limited and reveal nothing, one reply, closing with a confirmation, and the code never in an address or a log."""

import logging
import time

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from perhekeskus.contact import actions, codes
from perhekeskus.contact.delivery import submit
from perhekeskus.contact.models import ContactMessage, ContactRequest
from perhekeskus.contact.views import OPEN_FOR_SECONDS
from perhekeskus.voice.abuse import started_token
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

QUESTION = "Miten saan ajan perheneuvolaan?\nLapsi on 4-vuotias."
ANSWER = "Soita ajanvaraukseen arkisin 9–11.\nTervetuloa!"
REPLY = "Kiitos! Tarvitaanko lähete?"
WRONG = {"fi": "Tällä koodilla ei avaudu kysymystä", "sv": "Ingen fråga öppnas med den här koden"}
REFUSED = "Tätä vastausta ei lähetetty"
ADDRESS_A, ADDRESS_B = "192.0.2.21", "192.0.2.22"


def url(name, language="fi"):
    with translation.override(language):
        return reverse(f"contact:{name}")


@pytest.fixture
def organisation():
    from organisations.models import Membership

    membership = MembershipFactory(
        organisation__name_fi="Perheneuvola Testi",
        organisation__name_sv="Familjerådgivningen Test",
        role=Membership.Role.PROFESSIONAL,
        user__first_name="Päivi",
    )
    return membership.organisation


@pytest.fixture
def professional(organisation):
    return organisation.memberships.get().user


@pytest.fixture
def asked(organisation):
    """A question and its reply code."""
    return submit(organisation=organisation, body=QUESTION, language="fi")


@pytest.fixture
def limited(settings):
    settings.CONTACT_CODE_RATE = "3/hour"
    cache.clear()
    yield
    cache.clear()


def open_with(client, code, language="fi", address=ADDRESS_A, **extra):
    return client.post(url("reply", language), {"code": code, **extra}, REMOTE_ADDR=address)


def send_reply(client, message=REPLY, **kwargs):
    return client.post(url("reply-send"), {"message": message, "started": started_token()}, **kwargs)


def page(response) -> str:
    return response.content.decode()


def as_typed_by_hand(code: str) -> list[str]:
    symbols = code.replace("-", "")
    return [
        code,
        code.lower(),
        " ".join(symbols[i : i + 4] for i in range(0, len(symbols), 4)),
        f"  {symbols.lower()}  ",
        code.replace("0", "O").replace("1", "l"),
    ]


# --- Opening with the code ---


def test_the_code_page__has_a_labelled_code_field_and_no_thread(client):
    response = client.get(url("reply"))
    assert response.status_code == 200
    html = page(response)
    assert '<label for="id_code">' in html and 'aria-describedby="id_code_helptext"' in html
    assert 'id="id_code_helptext"' in html and "thread" not in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("form", range(5))
def test_a_right_code__as_written_by_hand_opens_the_thread(client, asked, form):
    question, code = asked
    typed = as_typed_by_hand(code)[form]
    response = open_with(client, typed)
    assert response.status_code == 302 and response["Location"] == url("reply")
    thread = client.get(url("reply"))
    html = page(thread)
    assert "Miten saan ajan perheneuvolaan?<br>Lapsi on 4-vuotias." in html
    assert "Perheneuvola Testi" in html and "Odottaa vastausta" in html
    # The session holds the question's id, never the code.
    held = client.session["contact_opened"]
    assert held["question"] == str(question.public_id)
    assert codes.normalise(code) not in str(dict(client.session.items()))


def test_the_thread__shows_who_wrote_what_as_plain_text_and_never_the_professionals_name(client, asked, professional):
    question, code = asked
    actions.answer(professional, question, ANSWER + "\n<script>alert(1)</script>")
    open_with(client, code)
    html = page(client.get(url("reply")))
    assert html.count("Sinä") >= 1 and html.count("Perheneuvola Testi ·") == 1
    assert "Soita ajanvaraukseen arkisin 9–11.<br>Tervetuloa!" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert professional.first_name not in html and professional.email not in html
    assert "Vastattu" in html and 'name="message"' in html


def test_the_thread__in_swedish(client, asked, professional):
    question, code = asked
    actions.answer(professional, question, ANSWER)
    open_with(client, code, language="sv")
    html = page(client.get(url("reply", "sv")))
    assert "Din fråga till Familjerådgivningen Test" in html and "Du" in html and "Besvarad" in html


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_wrong_code_a_deleted_and_an_expired_question__get_the_same_answer(
    client, organisation, professional, language, settings
):
    deleted, deleted_code = submit(organisation=organisation, body=QUESTION, language="fi")
    actions.delete(professional, deleted)
    expired, expired_code = submit(organisation=organisation, body=QUESTION, language="fi")
    ContactRequest.objects.filter(pk=expired.pk).update(created_at=expired.created_at.replace(year=2000))
    assert actions.delete_expired() == 1
    answers, queries = [], []
    for typed in (codes.new_code(), deleted_code, expired_code):
        with CaptureQueriesContext(connection) as captured:
            response = open_with(Client(), typed, language=language)
        html = page(response)
        answers.append((response.status_code, html.replace(typed, "<code>")))
        queries.append([query["sql"] for query in captured.captured_queries])
        assert WRONG[language] in html
    # The same work for each (the timing's shape): one look-up by the code's hash, nothing else differs.
    assert len(queries[0]) == len(queries[1]) == len(queries[2])
    assert [sql.split(" WHERE ")[0] for sql in queries[0]] == [sql.split(" WHERE ")[0] for sql in queries[1]]
    # Byte for byte the same page (but for the typed code and the form's token): nothing tells them apart.
    normalised = [
        (status, "\n".join(line for line in html.splitlines() if "csrfmiddlewaretoken" not in line))
        for status, html in answers
    ]
    assert normalised[0] == normalised[1] == normalised[2]
    assert normalised[0][0] == 200


def test_a_malformed_code__says_what_a_code_looks_like_without_a_look_up(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = open_with(client, "ABC-123")
    assert "24" in page(response) and 'id="error-summary"' in page(response)
    assert 'aria-describedby="id_code_error id_code_helptext"' in page(response)


def test_a_get_with_the_code_in_the_address__opens_nothing(client, asked):
    _question, code = asked
    response = client.get(url("reply") + f"?code={code}")
    assert response.status_code == 200 and "contact_opened" not in client.session
    assert "Miten saan" not in page(response)


# --- Rate limits ---


def test_wrong_codes__are_limited_per_client_with_a_429_page(client, asked, limited):
    _question, code = asked
    for _ in range(3):
        assert open_with(client, codes.new_code()).status_code == 200
    response = open_with(client, codes.new_code())
    assert response.status_code == 429
    assert "Liian monta koodia" in page(response) and 'id="error-summary"' in page(response)
    assert 0 < int(response["Retry-After"]) <= 3600
    # Even the right code is refused now: the limit would otherwise still answer guesses.
    assert open_with(client, code).status_code == 429
    assert "contact_opened" not in client.session
    # Another client is not limited by this one's guesses.
    assert open_with(Client(), code, address=ADDRESS_B).status_code == 302


def test_right_codes__do_not_count_against_the_limit(client, organisation, limited):
    for _ in range(5):
        _question, code = submit(organisation=organisation, body=QUESTION, language="fi")
        assert open_with(client, code).status_code == 302


def test_a_cache_that_raises__counts_nothing_and_the_code_page_still_answers(
    client, asked, limited, monkeypatch, caplog
):
    """The limit is open when the cache fails (perhekeskus/voice/abuse.py), as for every family form: never a 500."""

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    for method in ("add", "incr", "decr"):
        monkeypatch.setattr(cache, method, broken)
    _question, code = asked
    wrong = open_with(client, "Q" * 24)
    assert wrong.status_code == 200 and WRONG["fi"] in page(wrong)
    assert open_with(client, code).status_code == 302
    assert "reply-code: rate limit not counted" in caplog.text


def test_wrong_codes__are_limited_per_code_prefix_across_clients(asked, limited):
    _question, code = asked
    prefix = code[:4]

    def guess_with_prefix():
        return prefix + codes.new_code()[4:]

    first, second = Client(), Client()
    assert open_with(first, guess_with_prefix(), address=ADDRESS_A).status_code == 200
    assert open_with(first, guess_with_prefix(), address=ADDRESS_A).status_code == 200
    assert open_with(second, guess_with_prefix(), address=ADDRESS_B).status_code == 200
    # The second client has guessed once, but the prefix has had its three.
    response = open_with(second, guess_with_prefix(), address=ADDRESS_B)
    assert response.status_code == 429
    # A code with another prefix from the second client still goes through.
    other = ("Z" if prefix[0] != "Z" else "Y") + codes.new_code()[1:]
    assert open_with(second, other, address=ADDRESS_B).status_code == 200


def test_the_limit_counts_under_hashes__no_address_or_prefix_in_the_cache_keys(asked, limited, monkeypatch):
    _question, code = asked
    keys = []
    original = cache.add

    def add(key, *args, **kwargs):
        keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", add)
    open_with(Client(), codes.new_code(), address=ADDRESS_A)
    assert len(keys) == 2
    assert not any(ADDRESS_A in key or code[:4] in key.split(":")[2] for key in keys)


# --- Reply once, close, forget ---


def test_the_family_replies_once__a_second_reply_is_refused_with_a_message(
    client, asked, professional, mailoutbox, django_capture_on_commit_callbacks
):
    question, code = asked
    actions.answer(professional, question, ANSWER)
    open_with(client, code)
    with django_capture_on_commit_callbacks(execute=True):
        response = send_reply(client)
    assert response.status_code == 302
    thread = actions.thread(question)
    assert [m.sender for m in thread] == ["family", "staff", "family"] and thread[-1].body == REPLY
    html = page(client.get(url("reply")))
    assert "Vastauksesi lähetettiin." in html and 'name="message"' not in html
    assert "Olet käyttänyt ainoan vastauksesi" in html and "Vastausta ei vielä ole" not in html
    # The organisation hears of it (tasks run at once here: tests/contact/conftest.py).
    [notice] = mailoutbox
    assert "Perhe vastasi" in notice.subject and notice.to == [professional.email] and REPLY not in notice.body
    response = send_reply(client, "Vielä yksi", follow=True)
    assert REFUSED in page(response)
    assert question.messages.count() == 3


def test_a_reply_before_any_answer__is_refused(client, asked):
    question, code = asked
    open_with(client, code)
    html = page(client.get(url("reply")))
    assert 'name="message"' not in html and "Vastausta ei vielä ole" in html
    response = send_reply(client, follow=True)
    assert REFUSED in page(response) and question.messages.count() == 1


def test_an_empty_reply__is_a_form_error_not_a_500(client, asked, professional):
    question, code = asked
    actions.answer(professional, question, ANSWER)
    open_with(client, code)
    response = send_reply(client, "   ")
    assert response.status_code == 200 and 'id="error-summary"' in page(response)
    assert question.messages.count() == 2


def test_close__asks_first_then_closes(client, asked, professional):
    question, code = asked
    actions.answer(professional, question, ANSWER)
    open_with(client, code)
    confirm = client.get(url("reply-close"))
    assert confirm.status_code == 200 and "Suljetaanko kysymys?" in page(confirm)
    question.refresh_from_db()
    assert question.state == "answered"
    response = client.post(url("reply-close"), follow=True)
    question.refresh_from_db()
    assert question.state == "closed" and question.closed_at is not None
    html = page(response)
    assert "Kysymyksesi on suljettu." in html and 'name="message"' not in html
    assert url("reply-close") not in html


def test_forget__clears_the_question_from_this_device(client, asked):
    _question, code = asked
    open_with(client, code)
    response = client.post(url("reply-forget"), follow=True)
    assert "contact_opened" not in client.session
    assert "Miten saan" not in page(response) and 'name="code"' in page(response)


def test_the_opening_expires__after_the_idle_time_and_a_written_reply_is_kept(client, asked, professional):
    question, code = asked
    actions.answer(professional, question, ANSWER)
    with time_machine.travel(time.time(), tick=False) as traveller:
        open_with(client, code)
        traveller.shift(OPEN_FOR_SECONDS - 60)
        assert "Miten saan" in page(client.get(url("reply")))  # each page moves the end on
        traveller.shift(OPEN_FOR_SECONDS - 60)
        assert "Miten saan" in page(client.get(url("reply")))
        traveller.shift(OPEN_FOR_SECONDS + 1)
        response = send_reply(client)
        html = page(response)
        assert question.messages.count() == 2 and "contact_opened" not in client.session
        assert 'name="code"' in html and "Kiitos! Tarvitaanko lähete?</textarea>" in html
        # With the code again, the reply is back in its form, for the family to check and send.
        response = open_with(client, code, draft=REPLY)
        assert response.status_code == 200
        assert "Kiitos! Tarvitaanko lähete?</textarea>" in page(response) and 'action="' + url("reply-send") in page(
            response
        )
        assert question.messages.count() == 2


def test_another_session__cannot_reply_close_or_read(client, asked, professional):
    question, code = asked
    actions.answer(professional, question, ANSWER)
    open_with(client, code)
    stranger = Client()
    assert "Miten saan" not in page(stranger.get(url("reply")))
    send_reply(stranger)
    stranger.post(url("reply-close"))
    question.refresh_from_db()
    assert question.state == "answered" and question.messages.count() == 2
    # A forged session value (another question's id) is not taken from the client: the session lives on the server.
    stranger.cookies["sessionid"] = "not-a-real-session"
    stranger.post(url("reply-close"))
    question.refresh_from_db()
    assert question.state == "answered"


def test_opening__gives_a_new_session_key(client, asked):
    _question, code = asked
    client.get(url("reply"))
    client.session.save()
    before = client.session.session_key
    open_with(client, code)
    assert client.session.session_key != before


def test_a_deleted_question__closes_its_opening(client, asked, professional):
    question, code = asked
    open_with(client, code)
    actions.delete(professional, question)
    response = client.get(url("reply"))
    assert 'name="code"' in page(response) and "contact_opened" not in client.session


# --- The code stays out of addresses, headers and logs ---


def test_the_code__never_appears_in_an_address_a_header_or_a_log_line(client, asked, professional, caplog):
    question, code = asked
    actions.answer(professional, question, ANSWER)
    symbols = codes.normalise(code)
    caplog.set_level(logging.DEBUG)
    responses = [
        open_with(client, codes.new_code()),
        open_with(client, code.lower()),
        client.get(url("reply")),
        send_reply(client),
        client.get(url("reply-close")),
        client.post(url("reply-close")),
        client.post(url("reply-forget")),
    ]
    for response in responses:
        headers = " ".join(f"{name}: {value}" for name, value in response.items())
        for form in (code, code.lower(), symbols, symbols.lower()):
            assert form not in headers
            assert form not in response.get("Location", "")
            assert form not in page(response)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert symbols not in logged.upper().replace("-", "") and code not in logged


def test_a_reply_code_post__hides_the_code_from_error_reports(client, asked):
    """Django's error report (the mail to ADMINS on a 500) lists POST data; the code is one of its sensitive fields."""
    from django.views.debug import SafeExceptionReporterFilter

    _question, code = asked
    for response in (open_with(client, code), open_with(client, codes.new_code())):
        cleansed = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
        assert cleansed["code"] != code and set(cleansed["code"]) == {"*"}


def test_message_counts_are_what_the_family_sees(client, asked, professional):
    """The page lists exactly the thread's messages, oldest first."""
    question, code = asked
    actions.answer(professional, question, ANSWER)
    open_with(client, code)
    html = page(client.get(url("reply")))
    assert html.count('class="thread__message ') == ContactMessage.objects.filter(request=question).count() == 2
    assert html.index("Miten saan") < html.index("Soita ajanvaraukseen")


@pytest.mark.parametrize(("language", "link"), [("fi", "Lue vastaus kysymykseesi"), ("sv", "Läs svaret på din fråga")])
def test_every_page_footer__links_the_answer_page(client, language, link):
    """A family back days later finds the page from any page, not only from the one that showed the code."""
    html = page(client.get(f"/{language}/"))
    assert f'<a href="{url("reply", language)}">{link}</a>' in html
