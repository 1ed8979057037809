"""A real SMTP server for tests (aiosmtpd), on a free port of this machine."""

import email
import email.policy
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Keeps every message the server accepts (and its envelope recipients); refuses every
    recipient with `refuse` (a reply), or the addresses of `refuse_only` with their reply."""

    def __init__(self, refuse: str = "", refuse_only: dict[str, str] | None = None):
        self.messages: list[email.message.Message] = []
        self.envelopes: list[list[str]] = []
        self.refuse = refuse
        self.refuse_only = {a.lower(): reply for a, reply in (refuse_only or {}).items()}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        if address.lower() in self.refuse_only:
            return self.refuse_only[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(port: int, inbox: Inbox | None = None):
    inbox = inbox or Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def smtp_mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
