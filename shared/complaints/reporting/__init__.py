"""The monthly report as people get it (SPEC §8), pure: no AWS, no I/O.

- ``render``  the report document as CSV (UTF-8 with BOM), as the executives' page
              (``report_page.html``) and as the e-mail to them (``report_email.*``, CSV attached)
- ``view``    what the page and the e-mail show: the on-time rate, the changes from the
              previous month, the ten lowest, the bars
- ``labels``  each figure's Thai and English label
"""

from .render import PAGE_CSP, csv_bytes, email_message, html_page, subject
from .view import lowest_on_time, names_from, on_time_rate

__all__ = [
    "PAGE_CSP",
    "csv_bytes",
    "email_message",
    "html_page",
    "lowest_on_time",
    "names_from",
    "on_time_rate",
    "subject",
]
