"""Sending e-mail (SES) and SMS (SNS): the :class:`~complaints.ports.Notifier` of production."""

from __future__ import annotations

from typing import Any


class AwsNotifier:
    """SES for e-mail (HTML and plain text, UTF-8; raw MIME for the monthly report), SNS for
    transactional SMS and the operators' topic."""

    def __init__(self, ses: Any, sns: Any, sender: str):
        self.ses = ses
        self.sns = sns
        self.sender = sender

    def email(self, to: str, subject: str, html: str, text: str) -> None:
        self.ses.send_email(
            Source=self.sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Html": {"Data": html, "Charset": "UTF-8"}, "Text": {"Data": text, "Charset": "UTF-8"}},
            },
        )

    def raw_email(self, to: list[str], message: bytes) -> None:
        """A whole MIME message as it is (the monthly report with its CSV attachment)."""
        self.ses.send_raw_email(Source=self.sender, Destinations=to, RawMessage={"Data": message})

    def sms(self, phone: str, text: str) -> None:
        self.sns.publish(
            PhoneNumber=phone,
            Message=text,
            MessageAttributes={
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
                "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "BKK1555"},
            },
        )

    def publish(self, topic_arn: str, subject: str, text: str) -> None:
        """A message to an SNS topic (the operators')."""
        self.sns.publish(TopicArn=topic_arn, Subject=subject[:100], Message=text)
