"""Parse ``cach_thuc_thuc_hien``: per filing channel, the processing time, the fee and a note.

The portal table *Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả* arrives glued:
``Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(…)Trực tiếp7 Ngày làm việc20,000 Việt Nam Đồng``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classify.catalogue.schema import Channel, TimeUnit
from classify.portal.text import strip_invisible
from ingest.text import nfc

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
NO_INFO = "Không có thông tin"
CHANNEL = re.compile(
    r"(?P<channel>Trực tuyến|Trực tiếp|Dịch vụ bưu chính)\s*"
    r"(?:(?P<no_time>Không có thông tin)|(?P<time>\d+)\s*(?P<unit>Ngày làm việc|Ngày|Giờ)?)\s*"
    r"(?P<fee>Miễn phí|Không có thông tin"
    r"|(?P<amount>[\d.,]+)\s*(?P<currency>Việt Nam Đồng|VNĐ|USD)?)"
)
CHANNELS = {"Trực tuyến": Channel.TRUC_TUYEN, "Trực tiếp": Channel.TRUC_TIEP,
            "Dịch vụ bưu chính": Channel.BUU_CHINH}
UNITS = {"Ngày làm việc": TimeUnit.WORKING_DAYS, "Ngày": TimeUnit.DAYS, "Giờ": TimeUnit.HOURS}
_WELL_FORMED_AMOUNT = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})*$|^[1-9]\d*$")


@dataclass(frozen=True)
class ChannelRow:
    """One row of the table; a channel may repeat (another currency, another case)."""

    channel: Channel
    time: str | None  # as published: "7 Ngày làm việc", "1" (hộ tịch: a bare number)
    time_value: int | None
    time_unit: TimeUnit | None  # None for a bare number: the portal omits the unit
    fee: str | None  # as published: "10,000 Việt Nam Đồng", "Miễn phí"; None = no information
    fee_amount: int | None  # 10000; 0 when free; None when unknown
    currency: str | None  # "VND" or "USD"
    note: str
    suspect: str | None = None


def parse_channels(text: str) -> tuple[ChannelRow, ...]:
    text = strip_invisible(nfc(text or "")).replace(HEADER, "", 1)
    matches = list(CHANNEL.finditer(text))
    rows = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        rows.append(_row(match, " ".join(text[match.end():end].split())))
    return tuple(rows)


def _row(match: re.Match[str], note: str) -> ChannelRow:
    time_digits, amount = match["time"], match["amount"]
    suspect = None
    if time_digits is not None and match["unit"] is None and amount is not None:
        # A bare time glued to a numeric fee: "Trực tuyến1" + "20 VNĐ" arrives as "120 VNĐ".
        time_digits, amount, suspect = _split_time_fee(time_digits + amount)
    value = int(time_digits) if time_digits is not None else None
    unit = UNITS[match["unit"]] if match["unit"] else None
    time = f"{time_digits} {match['unit']}" if match["unit"] else time_digits
    fee, fee_amount, currency = _fee(match, amount)
    return ChannelRow(CHANNELS[match["channel"]], time, value, unit, fee, fee_amount, currency,
                      note, suspect)


def _fee(match: re.Match[str], amount: str | None) -> tuple[str | None, int | None, str | None]:
    if match["fee"] == NO_INFO:
        return None, None, None
    if match["fee"] == "Miễn phí":
        return "Miễn phí", 0, None
    assert amount is not None  # the regex's third fee branch always has digits
    currency = "USD" if match["currency"] == "USD" else "VND"
    label = f"{amount} {match['currency']}" if match["currency"] else amount
    digits = re.sub(r"[.,]", "", amount)
    return label, int(digits) if digits else None, currency


def _split_time_fee(digits: str) -> tuple[str, str, str]:
    """Shortest time that leaves a well-formed, non-zero fee ("120" → 1 and 20)."""
    for cut in range(1, len(digits)):
        time, fee = digits[:cut], digits[cut:]
        if _WELL_FORMED_AMOUNT.match(fee):
            reason = (f"thời gian và phí dính nhau ({digits!r}): đọc là thời gian {time}, "
                      f"phí {fee}")
            return time, fee, reason
    return digits[:1], digits[1:], f"thời gian và phí dính nhau ({digits!r}), không tách được"
