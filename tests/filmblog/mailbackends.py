"""Mail backends that misbehave on purpose, for the digest's crash tests."""

import smtplib
import time

from django.core.mail.backends.locmem import EmailBackend


class Killed(BaseException):
    """Stands for the process being killed: nothing in the digest catches it."""


class CountingBackend(EmailBackend):
    opened = 0

    def open(self):
        type(self).opened += 1
        return super().open()


class CrashBeforeSendBackend(EmailBackend):
    """Sends `allowed` mails, then dies before handing over the next one."""

    allowed = 0

    def send_messages(self, messages):
        if type(self).allowed <= 0:
            raise Killed()
        type(self).allowed -= len(messages)
        return super().send_messages(messages)


class CrashAfterSendBackend(EmailBackend):
    """Sends `allowed` mails, then dies just after the mail server took the last one."""

    allowed = 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        type(self).allowed -= len(messages)
        if type(self).allowed <= 0:
            raise Killed()
        return sent


class RefusingBackend(EmailBackend):
    refused = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & type(self).refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


class SlowBackend(EmailBackend):
    """Takes a while per mail, so two concurrent digests really overlap."""

    def send_messages(self, messages):
        time.sleep(0.01)
        return super().send_messages(messages)


class SlowFileBackend(EmailBackend):
    """
    For a digest run in a child process: each mail becomes a file in
    $DIGEST_TEST_MAIL_DIR (recipient, then plain-text body), slowly enough that
    the test can kill the process part-way. While the file $DIGEST_TEST_HOLD
    exists, sending stops after three mails, however slow the machine is, until
    the test removes it (or kills the process).
    """

    def send_messages(self, messages):
        import os
        import uuid
        from pathlib import Path

        folder = Path(os.environ["DIGEST_TEST_MAIL_DIR"])
        hold = Path(os.environ.get("DIGEST_TEST_HOLD", "/nonexistent"))
        for message in messages:
            time.sleep(0.1)
            while hold.exists() and len(list(folder.glob("*.txt"))) >= 3:
                time.sleep(0.05)
            tmp = folder / f".{uuid.uuid4().hex}"
            tmp.write_text(f"{message.to[0]}\n{message.body}")
            tmp.rename(folder / f"{uuid.uuid4().hex}.txt")
        return len(messages)
