"""The project clock: one notion of "now" for PO dates, release records and leaflet dates."""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the current UTC time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)
