"""What several browser tests do: the filing page's map and its pin, and the agency's link
read from the dispatch e-mail in the local stack's outbox."""

from __future__ import annotations

import json
import math
import re

from playwright.sync_api import Page

from complaints.reference import district_points
from complaints.report_form import CENTRE
from tests.stack import Server

UNREACHABLE_TILES = "http://tiles.invalid/{z}/{x}/{y}.png"  # .invalid never resolves (RFC 2606)
FIRST_ZOOM = 11  # the map's view before there is a pin (report.js)
POINTS = {p.code: p for p in district_points()}


def world_px(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates, as Leaflet places a point at a zoom level."""
    size = 256 * 2**zoom
    phi = math.radians(lat)
    return (lon + 180) / 360 * size, (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * size


def on_map(page: Page, lat: float, lon: float) -> tuple[float, float]:
    """Where (lat, lon) is on the screen while the map shows its first view (scrolled into sight)."""
    page.locator("#map").scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()
    assert box is not None
    cx, cy = world_px(*CENTRE, FIRST_ZOOM)
    x, y = world_px(lat, lon, FIRST_ZOOM)
    return box["x"] + box["width"] / 2 + x - cx, box["y"] + box["height"] / 2 + y - cy


def drag_pin(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Drag the pin, which stands at the point ``start`` (lat, lon), to the point ``end``."""
    (x0, y0), (x1, y1) = on_map(page, *start), on_map(page, *end)
    pin = page.locator(".pin").bounding_box()
    assert pin is not None
    grab = (pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 2)
    page.mouse.move(*grab)
    page.mouse.down()
    page.mouse.move(grab[0] + (x1 - x0) / 2, grab[1] + (y1 - y0) / 2, steps=4)
    page.mouse.move(grab[0] + x1 - x0, grab[1] + y1 - y0, steps=4)
    page.mouse.up()


def agency_link(server: Server, case_id: str, mailbox: str) -> str:
    """The path of the agency's action page (``/a/<token>``), from the e-mail about ``case_id``
    that the stack sent to ``mailbox``."""
    status, text, _ = server.call("GET", "/_outbox.json")
    assert status == 200, text
    (mail,) = [
        m
        for m in json.loads(text)["messages"]
        if m["channel"] == "email" and mailbox in m["to"] and case_id in m["subject"]
    ]
    # the stack keeps the HTML part of this e-mail (its text is derived): the link is the button's href
    link = re.search(r"https?://[^/\s\"]+(/a/[^\s\"<&]+)", mail["html"] or mail["text"])
    assert link, mail
    return link.group(1)
