"""One-stop forms (Phụ lục I, TT 03/2025/TT-VPCP) as printable A4 PDFs with an embedded font.

- Mẫu 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả: :func:`render_receipt` (with a QR of the
  dossier code, which makes it the cover sheet for batch scanning);
- Mẫu 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: :func:`render_supplement_request`;
- Mẫu 03, Phiếu từ chối tiếp nhận giải quyết hồ sơ: :func:`render_refusal`.

Call :func:`form_fonts` at start-up to fail early when no Vietnamese font is installed.
"""

from api.forms.fonts import FontUnavailable, form_fonts
from api.forms.model import FormDossier, FormLine, InvalidFormInput
from api.forms.receipt import render_receipt
from api.forms.refusal import render_refusal
from api.forms.supplement import render_supplement_request

__all__ = [
    "FontUnavailable",
    "FormDossier",
    "FormLine",
    "InvalidFormInput",
    "form_fonts",
    "render_receipt",
    "render_refusal",
    "render_supplement_request",
]
