"""The words of every diagnostic, in Vietnamese (default) and English.

Each code has a message and, where a fix can be told, a hint. Parameters are
filled with `str.format`. Codes are stable: tests and the JSON output use them.
"""

from __future__ import annotations

import os

LANGS = ("vi", "en")

CATALOGUE: dict[str, dict[str, dict[str, str]]] = {
    "summary": {
        "message": {
            "vi": "Đã kiểm tra {files} tệp: {errors} lỗi, {warnings} cảnh báo.",
            "en": "Checked {files} file(s): {errors} error(s), {warnings} warning(s).",
        }
    },
    "hint-prefix": {"message": {"vi": "→ Cách sửa: ", "en": "→ Fix: "}},
    # -- files and YAML
    "file-not-found": {
        "message": {"vi": "không tìm thấy tệp kế hoạch", "en": "plan file not found"},
        "hint": {"vi": "Kiểm tra lại đường dẫn, hoặc dùng --plan PATH.", "en": "Check the path, or pass --plan PATH."},
    },
    "file-unreadable": {
        "message": {"vi": "không đọc được tệp: {detail}", "en": "cannot read the file: {detail}"},
    },
    "not-utf8": {
        "message": {
            "vi": "tệp không phải UTF-8 (byte lạ ở vị trí {offset})",
            "en": "the file is not UTF-8 (bad byte at offset {offset})",
        },
        "hint": {
            "vi": "Lưu lại tệp với bảng mã UTF-8 (trong Notepad: Save As → Encoding: UTF-8).",
            "en": "Save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8).",
        },
    },
    "yaml-syntax": {
        "message": {"vi": "lỗi cú pháp YAML: {detail}", "en": "YAML syntax error: {detail}"},
        "hint": {
            "vi": "Kiểm tra thụt lề (dùng dấu cách, không dùng Tab), dấu hai chấm sau khóa, và dấu nháy đóng mở.",
            "en": "Check the indentation (spaces, not tabs), the colon after each key, and matching quotes.",
        },
    },
    "yaml-tag": {
        "message": {"vi": "thẻ YAML không được phép: {tag}", "en": "YAML tag not allowed: {tag}"},
        "hint": {
            "vi": "Xóa thẻ bắt đầu bằng '!'; tệp kế hoạch chỉ chứa văn bản, số, danh sách và bảng.",
            "en": "Remove the tag starting with '!'; a plan holds only text, numbers, lists and mappings.",
        },
    },
    "yaml-alias-bomb": {
        "message": {
            "vi": "các neo (&) và bí danh (*) bung ra quá {limit} nút",
            "en": "anchors (&) and aliases (*) expand past {limit} nodes",
        },
        "hint": {"vi": "Viết thẳng nội dung thay vì lồng bí danh.", "en": "Write the content out instead of nesting aliases."},
    },
    "yaml-recursive-alias": {
        "message": {"vi": "bí danh (*) tự tham chiếu chính nó", "en": "an alias (*) refers to itself"},
    },
    "yaml-too-deep": {
        "message": {"vi": "tệp lồng nhau quá {limit} cấp", "en": "the file nests deeper than {limit} levels"},
    },
    "yaml-complex-key": {
        "message": {"vi": "khóa phải là một chữ đơn giản", "en": "a key must be a plain scalar"},
    },
    "duplicate-key": {
        "message": {"vi": "khóa '{key}' bị lặp (đã có ở dòng {first})", "en": "duplicate key '{key}' (first at line {first})"},
        "hint": {"vi": "Xóa hoặc gộp một trong hai khóa '{key}'.", "en": "Remove or merge one of the two '{key}' keys."},
    },
    "not-a-mapping": {
        "message": {
            "vi": "tệp kế hoạch phải là một bảng khóa–giá trị (plan:, bodies:, tasks: ...)",
            "en": "a plan file must be a mapping (plan:, bodies:, tasks: ...)",
        },
    },
    # -- shape (from the model)
    "unknown-key": {
        "message": {"vi": "khóa không hợp lệ '{key}'{suggest}", "en": "unknown key '{key}'{suggest}"},
        "hint": {
            "vi": "Các khóa được phép ở đây: {allowed}.",
            "en": "Keys allowed here: {allowed}.",
        },
    },
    "missing-key": {
        "message": {"vi": "thiếu khóa bắt buộc '{key}'", "en": "missing required key '{key}'"},
        "hint": {"vi": "Thêm '{key}: ...' vào mục này.", "en": "Add '{key}: ...' to this entry."},
    },
    "empty-value": {
        "message": {"vi": "'{key}' không được để trống", "en": "'{key}' must not be empty"},
        "hint": {"vi": "Điền nội dung cho '{key}' hoặc xóa khóa nếu không bắt buộc.", "en": "Fill in '{key}', or remove the key if it is optional."},
    },
    "wrong-type": {
        "message": {"vi": "'{key}' phải là {expected}, không phải {got}", "en": "'{key}' must be {expected}, not {got}"},
        "hint": {"vi": "{example}", "en": "{example}"},
    },
    "invalid-value": {
        "message": {"vi": "giá trị '{value}' không hợp lệ cho '{key}': {detail}", "en": "invalid value '{value}' for '{key}': {detail}"},
    },
    "invalid-choice": {
        "message": {
            "vi": "'{key}' không nhận giá trị '{value}'{suggest}",
            "en": "'{key}' does not accept '{value}'{suggest}",
        },
        "hint": {"vi": "Chọn một trong: {allowed}.", "en": "Choose one of: {allowed}."},
    },
    "invalid-id": {
        "message": {"vi": "mã '{value}' không hợp lệ", "en": "invalid id '{value}'"},
        "hint": {
            "vi": "Mã chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới, vd. 'II.5.b' hoặc 'so-noi-vu'.",
            "en": "An id holds only ASCII letters, digits, dots, hyphens and underscores, e.g. 'II.5.b' or 'so-noi-vu'.",
        },
    },
    "invalid-date": {
        "message": {"vi": "ngày '{value}' không hợp lệ", "en": "invalid date '{value}'"},
        "hint": {"vi": "Viết ngày theo dạng NĂM-THÁNG-NGÀY, vd. 2021-06-30.", "en": "Write dates as YEAR-MONTH-DAY, e.g. 2021-06-30."},
    },
    "bad-deadline": {
        "message": {"vi": "thời hạn '{value}' không đọc được", "en": "cannot read the deadline '{value}'"},
        "hint": {
            "vi": "Dùng một trong: 2021-06-30 (ngày), 2021-12 (tháng), 2021-Q2 (quý), 2021-H1 (6 tháng), 2021-9M (9 tháng), 2021 (năm), 2021-03..2021-06 (khoảng), continuous (thường xuyên).",
            "en": "Use one of: 2021-06-30 (date), 2021-12 (month), 2021-Q2 (quarter), 2021-H1 (half year), 2021-9M (nine months), 2021 (year), 2021-03..2021-06 (range), continuous.",
        },
    },
    "percent-range": {
        "message": {"vi": "phần trăm {value} nằm ngoài khoảng 0–100", "en": "percent {value} is outside 0–100"},
        "hint": {"vi": "Ghi một số nguyên từ 0 đến 100.", "en": "Write a whole number from 0 to 100."},
    },
    "number-range": {
        "message": {"vi": "'{key}' = {value} vượt giới hạn ({detail})", "en": "'{key}' = {value} is out of range ({detail})"},
    },
    "empty-list": {
        "message": {"vi": "'{key}' cần ít nhất một mục", "en": "'{key}' needs at least one item"},
    },
    "period-order": {
        "message": {"vi": "ngày kết thúc kỳ kế hoạch trước ngày bắt đầu", "en": "the plan period ends before it starts"},
    },
    # -- whole-plan checks
    "duplicate-id": {
        "message": {"vi": "mã {kind} '{id}' bị trùng (đã dùng ở dòng {first})", "en": "duplicate {kind} id '{id}' (first at line {first})"},
        "hint": {"vi": "Đặt mã khác cho một trong hai mục.", "en": "Give one of the two entries another id."},
    },
    "undefined-id": {
        "message": {"vi": "chưa khai báo {kind} '{id}'{suggest}", "en": "{kind} '{id}' is not defined{suggest}"},
        "hint": {
            "vi": "Sửa mã cho đúng, hoặc khai báo nó trong '{section}'.",
            "en": "Correct the id, or define it under '{section}'.",
        },
    },
    "outside-period": {
        "message": {
            "vi": "{what} {date} nằm ngoài kỳ kế hoạch ({start} – {end})",
            "en": "{what} {date} falls outside the plan period ({start} – {end})",
        },
        "hint": {"vi": "Kiểm tra lại năm, tháng.", "en": "Check the year and month."},
    },
    "progress-order": {
        "message": {
            "vi": "mục tiến độ ngày {date} đứng sau mục ngày {previous}",
            "en": "progress entry of {date} comes after the entry of {previous}",
        },
        "hint": {
            "vi": "Nhật ký tiến độ ghi theo thứ tự ngày; chuyển mục này lên đúng chỗ.",
            "en": "The progress log is in date order; move this entry to its place.",
        },
    },
    "percent-decrease": {
        "message": {
            "vi": "phần trăm giảm từ {previous}% xuống {value}%",
            "en": "percent goes down from {previous}% to {value}%",
        },
        "hint": {
            "vi": "Tiến độ chỉ tăng; nếu cần ghi khó khăn, giữ nguyên phần trăm và dùng kind: difficulty.",
            "en": "Progress only goes up; to record a setback keep the percent and use kind: difficulty.",
        },
    },
    "unknown-occurrence": {
        "message": {
            "vi": "kỳ '{value}' không phải một kỳ của nhiệm vụ định kỳ này",
            "en": "'{value}' is not an occurrence of this recurring duty",
        },
        "hint": {"vi": "Các kỳ: {allowed}.", "en": "Occurrences: {allowed}."},
    },
    "not-nfc": {
        "message": {
            "vi": "văn bản chưa chuẩn hóa Unicode NFC (dấu tiếng Việt tách rời)",
            "en": "text is not Unicode NFC (Vietnamese marks are decomposed)",
        },
        "hint": {
            "vi": "Gõ lại bằng bộ gõ Unicode dựng sẵn (Unikey: bảng mã Unicode), hoặc thay bằng: '{fixed}'.",
            "en": "Retype it with a precomposed Unicode input method: '{fixed}'.",
        },
    },
    "legacy-encoding": {
        "message": {
            "vi": "văn bản có vẻ dán từ bảng mã cũ {encoding}: '{sample}'",
            "en": "text looks pasted from the legacy {encoding} encoding: '{sample}'",
        },
        "hint": {
            "vi": "Chuyển mã sang Unicode bằng Unikey Toolkit (Nguồn: {encoding}, Đích: Unicode) rồi dán lại.",
            "en": "Convert it to Unicode with Unikey Toolkit (source {encoding}, target Unicode) and paste again.",
        },
    },
    "non-working-day": {
        # params: what ({vi, en}: "thời hạn", "thời gian hội nghị"), date (dd/mm/yyyy),
        # of (" (kỳ quý II năm 2021)" for an occurrence of a recurring duty or meeting, else ""),
        # day (the reason, {vi, en}), previous (the working day before), occurrence (2021-Q2)
        "message": {
            "vi": "{what} {date}{of} rơi vào {day}",
            "en": "{what} {date}{of} falls on {day}",
        },
        "hint": {
            "vi": "Cân nhắc dời hạn sang ngày làm việc liền trước ({previous}); nếu ngày này là ngày làm việc bù, "
            "khai báo nó trong 'holidays:' với off: false.",
            "en": "Consider moving it to the previous working day ({previous}); if this day is a make-up working day, "
            "list it under 'holidays:' with off: false.",
        },
    },
    "calendar-unknown-body": {
        "message": {
            "vi": "--body: không có cơ quan nào khớp '{body}'",
            "en": "--body: no body matches '{body}'",
        },
        "hint": {"vi": "Các cơ quan trong kế hoạch: {known}.", "en": "Bodies in the plan: {known}."},
    },
    # -- kehoach log
    "log-unknown-task": {
        "message": {"vi": "không có nhiệm vụ '{id}' trong kế hoạch{suggest}", "en": "no task '{id}' in the plan{suggest}"},
        "hint": {"vi": "Xem các mã nhiệm vụ bằng 'kehoach status'.", "en": "List the task ids with 'kehoach status'."},
    },
    "log-invalid": {
        "message": {
            "vi": "không ghi: mục tiến độ mới cho '{id}' sẽ làm kế hoạch không hợp lệ",
            "en": "not written: the new progress entry for '{id}' would make the plan invalid",
        },
    },
    "log-plan-invalid": {
        "message": {
            "vi": "không ghi: tệp kế hoạch đang có lỗi; sửa trước (kehoach check {path})",
            "en": "not written: the plan already has errors; fix them first (kehoach check {path})",
        },
    },
    "log-changed": {
        "message": {
            "vi": "không ghi: tệp {path} vừa bị thay đổi bởi người hoặc chương trình khác",
            "en": "not written: {path} was changed by someone else meanwhile",
        },
        "hint": {"vi": "Chạy lại lệnh.", "en": "Run the command again."},
    },
    "log-locked": {
        "message": {"vi": "không ghi: tệp {path} đang được ghi quá lâu", "en": "not written: {path} stayed locked too long"},
        "hint": {"vi": "Chờ một chút rồi chạy lại.", "en": "Wait a moment and run it again."},
    },
    "log-need-occurrence": {
        "message": {
            "vi": "nhiệm vụ định kỳ '{id}': hãy ghi rõ kỳ bằng --occurrence",
            "en": "recurring duty '{id}': name the occurrence with --occurrence",
        },
        "hint": {"vi": "Các kỳ: {allowed}.", "en": "Occurrences: {allowed}."},
    },
}


def did_you_mean(near: str | None):
    """The '; did you mean …?' tail of a message, as a {vi, en} parameter (empty when nothing is near)."""
    if not near:
        return ""
    return {"vi": f"; ý bạn là '{near}'?", "en": f"; did you mean '{near}'?"}


def resolve_lang(lang: str | None) -> str:
    lang = (lang or os.environ.get("KEHOACH_LANG") or "vi").lower()[:2]
    return lang if lang in LANGS else "vi"


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def render(code: str, part: str, params: dict, lang: str = "vi") -> str:
    entry = CATALOGUE.get(code, {}).get(part)
    if not entry:
        if part == "message":
            return f"{code}: {params}"
        return ""
    params = _Safe({k: _text(v, lang) for k, v in params.items()})
    return entry.get(lang, entry["vi"]).format_map(params)


def _text(value, lang):
    """Parameters can be a {vi: .., en: ..} pair."""
    if isinstance(value, dict) and "vi" in value:
        return value.get(lang, value["vi"])
    return value
