"""A local mail catcher: a real SMTP server on its own loopback port that keeps what it is sent, for tests that follow
a mail through Django's SMTP backend (the browser journeys), not through the locmem outbox.

It speaks just enough SMTP for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), without TLS or AUTH.
A test module makes its fixture with ``catching``, which points EMAIL_BACKEND at the catcher for the test and stops
it afterwards::

    @pytest.fixture
    def mail_catcher(settings):
        yield from mailcatcher.catching(settings)
"""

import email
import email.policy
import socketserver
import threading
import time
from dataclasses import dataclass


@dataclass
class CaughtMail:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        self.reply("220 mailcatcher ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-mailcatcher\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == "HELO":
                self.reply("250 mailcatcher")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip().split()[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().split()[0].strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                self.server.catcher.caught(CaughtMail(sender, recipients, message))
                self.reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class MailCatcher:
    def __init__(self):
        self.mails: list[CaughtMail] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.catcher = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="mailcatcher", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def caught(self, mail: CaughtMail):
        with self._lock:
            self.mails.append(mail)

    def wait_for(self, predicate, timeout: float = 10.0) -> CaughtMail:
        """The first caught mail that satisfies *predicate*, waiting up to *timeout* seconds for it."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [mail for mail in self.mails if predicate(mail)]
            if found:
                return found[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"no such mail within {timeout} s; caught: {[m.subject for m in self.mails]}")
            time.sleep(0.05)


def catching(settings):
    """For a fixture (``yield from catching(settings)``): a started catcher, EMAIL_BACKEND pointed at it."""
    catcher = MailCatcher().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", catcher.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield catcher
    catcher.stop()
