"""Vietnamese labels and display formats for the pages (nhãn tiếng Việt, định dạng hiển thị)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

COMPONENT_STATE = {
    "satisfied": "Đã có", "missing": "Thiếu", "uncertain": "Chưa chắc chắn",
    "not_applicable": "Không áp dụng", "waived": "Miễn nộp (đã tra cứu dữ liệu)",
    "shown": "Đã xuất trình",
}
VERDICT = {"complete": "Đầy đủ", "incomplete": "Chưa đầy đủ", "needs_review": "Cần rà soát"}
JOB_STATUS = {"queued": "Đang chờ", "running": "Đang xử lý", "retrying": "Đang thử lại",
              "done": "Xong", "failed": "Lỗi"}
JOB_STAGE = {"queued": "chờ xử lý", "ocr": "nhận dạng chữ", "classify": "phân loại",
             "archive": "lưu trữ", "done": "hoàn tất"}
DOSSIER_STATUS = {"open": "Đang xử lý", "archived": "Đã lưu trữ"}
CHANNEL = {"truc_tiep": "Trực tiếp", "truc_tuyen": "Trực tuyến", "buu_chinh": "Bưu chính"}
FORM = {"ban_chinh": "Bản chính", "ban_sao": "Bản sao",
        "ban_sao_chung_thuc": "Bản sao có chứng thực",
        "ban_chinh_hoac_ban_sao": "Bản chính hoặc bản sao", "thong_tin": "Cung cấp thông tin"}
PAGE_STATUS = {"ok": "Đọc được", "blank": "Trang trắng", "separator": "Tờ phân cách",
               "cover": "Tờ bìa", "failed": "Không đọc được", "low_confidence": "Khó đọc"}
FIXITY = {"unchecked": "Chưa kiểm tra", "ok": "Nguyên vẹn", "missing": "Mất đối tượng",
          "altered": "Mã băm SHA-256 không khớp", "error": "Lỗi khi kiểm tra"}
EVENT = {"created": "Tạo hồ sơ", "ingested": "Nhận tệp", "ocr": "Nhận dạng chữ",
         "classified": "Phân loại giấy tờ", "answered": "Trả lời câu hỏi",
         "corrected": "Sửa loại giấy tờ/trường", "archived": "Lưu trữ", "duplicate": "Tệp trùng",
         "fixity": "Kiểm tra toàn vẹn", "exported": "Xuất gói", "restored": "Khôi phục"}
ROLE = {"original": "Tệp gốc", "document_pdf": "Giấy tờ (PDF/A)", "document_text": "Văn bản OCR",
        "document_ocr": "Dữ liệu OCR", "manifest": "Bản kê (manifest)"}
OUTCOME = {"success": "Thành công", "failure": "Thất bại", "denied": "Bị từ chối",
           "not_found": "Không tìm thấy", "unauthenticated": "Chưa đăng nhập",
           "rejected": "Bị từ chối", "error": "Lỗi"}
STATE_CLASS = {"missing": "bad", "uncertain": "warn", "satisfied": "good", "shown": "good",
               "waived": "good", "not_applicable": "muted"}


def label(table: dict[str, str], value: object) -> str:
    """The Vietnamese label of ``value``, or the value itself when it has none."""
    text = "" if value is None else str(value)
    return table.get(text, text)


def local_time(value: object, with_time: bool = True) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time, from an aware datetime or an ISO string."""
    if value is None or value == "":
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        moment = moment.astimezone(VIETNAM)
        return moment.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    if isinstance(moment, dt.date):
        return moment.strftime("%d/%m/%Y")
    return str(value)


def percent(value: float | None, digits: int = 1) -> str:
    """82,5 % (Vietnamese decimal comma); an empty share is shown as a dash."""
    if value is None:
        return "–"
    return f"{value * 100:.{digits}f}".replace(".", ",") + " %"


def number(value: int | None) -> str:
    """12.345 (Vietnamese thousands separator)."""
    return "–" if value is None else f"{value:,}".replace(",", ".")

FIELD = {"so_dinh_danh": "Số định danh cá nhân", "cmnd": "Số CMND", "ho_chieu": "Số hộ chiếu",
         "ma_so_thue": "Mã số thuế", "ho_ten": "Họ và tên", "ngay_sinh": "Ngày sinh",
         "ngay_cap": "Ngày cấp", "co_gia_tri_den": "Có giá trị đến",
         "so_ky_hieu": "Số, ký hiệu", "ngay_ban_hanh": "Ngày ban hành",
         "co_quan_ban_hanh": "Cơ quan ban hành", "dia_chi": "Địa chỉ"}
TIME_UNIT = {"working_days": "ngày làm việc", "days": "ngày", "hours": "giờ",
             "same_day": "trong ngày"}
LEVEL = {"xa": "Cấp xã", "tinh": "Cấp tỉnh", "bo": "Cấp bộ", "huyen": "Cấp huyện (cũ)"}


def amount(value: float) -> str:
    """3 rather than 3.0; 0,5 with a decimal comma."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")
