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
        "message": {"vi": "không tìm thấy tệp kế hoạch {path}", "en": "plan file {path} not found"},
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
    "period-years": {
        "message": {"vi": "năm {value} của kỳ kế hoạch nằm ngoài khoảng {low}–{high}",
                    "en": "the plan period's year {value} lies outside {low}–{high}"},
        "hint": {"vi": "Kiểm tra lại năm của ngày bắt đầu, ngày kết thúc.", "en": "Check the year of the start and end dates."},
    },
    "bad-period-key": {
        "message": {"vi": "'{value}' không phải một kỳ của nhiệm vụ lặp lại mỗi {every}",
                    "en": "'{value}' is not a period of a duty repeated every {every}"},
        "hint": {"vi": "Chọn trong: {allowed}.", "en": "Choose from: {allowed}."},
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
    "progress-on-parent": {
        "message": {
            "vi": "nhiệm vụ có nhiệm vụ con: tiến độ ghi ở đây không được tính",
            "en": "this task has subtasks: progress logged here is not counted",
        },
        "hint": {
            "vi": "Tiến độ của nhiệm vụ cha tính từ các nhiệm vụ con ({subtasks}); chuyển các mục này sang nhiệm vụ con.",
            "en": "A parent's progress comes from its subtasks ({subtasks}); move these entries to a subtask.",
        },
    },
    "occurrence-not-recurring": {
        "message": {
            "vi": "'occurrence: {value}' chỉ dùng cho nhiệm vụ định kỳ (deadline: {{every: ...}})",
            "en": "'occurrence: {value}' is only for a recurring duty (deadline: {{every: ...}})",
        },
        "hint": {"vi": "Xóa dòng occurrence.", "en": "Remove the occurrence line."},
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
    # -- command options and documents
    "usage-lang": {"message": {"vi": "--lang: chọn 'vi' hoặc 'en', không phải '{value}'", "en": "--lang: use 'vi' or 'en', not '{value}'"}},
    "no-plan": {
        "message": {"vi": "không tìm thấy tệp kế hoạch (đã tìm: {looked})", "en": "no plan file found (looked in: {looked})"},
        "hint": {
            "vi": "Dùng --plan PATH, đặt biến KEHOACH_PLAN, hoặc chạy trong thư mục có plans/*.yaml.",
            "en": "Pass --plan PATH, set KEHOACH_PLAN, or run in a folder with plans/*.yaml.",
        },
    },
    "bad-date-option": {
        "message": {"vi": "{option}: ngày '{value}' không hợp lệ", "en": "{option}: invalid date '{value}'"},
        "hint": {"vi": "Viết ngày theo dạng NĂM-THÁNG-NGÀY (YYYY-MM-DD), vd. 2021-07-01.", "en": "Write the date as YEAR-MONTH-DAY (YYYY-MM-DD), e.g. 2021-07-01."},
    },
    "bad-status-option": {
        "message": {"vi": "{option}: không có tình trạng '{value}'{suggest}", "en": "{option}: no status '{value}'{suggest}"},
        "hint": {"vi": "Chọn trong: {allowed}.", "en": "Choose from: {allowed}."},
    },
    "bad-by-option": {
        "message": {"vi": "--by: chọn body, objective hoặc status, không phải '{value}'", "en": "--by: use body, objective or status, not '{value}'"},
    },
    "body-not-found": {
        "message": {"vi": "--body: không có cơ quan nào khớp '{value}'", "en": "--body: no body matches '{value}'"},
        "hint": {"vi": "Các cơ quan trong kế hoạch: {known}.", "en": "Bodies in the plan: {known}."},
    },
    "bad-period": {
        "message": {"vi": "--period: không đọc được '{value}'", "en": "--period: cannot read '{value}'"},
        "hint": {"vi": "Dùng Q1–Q4, H1, H2, 9M, Y (năm của kế hoạch) hoặc ghi cả năm, vd. 2021-Q2.",
                 "en": "Use Q1–Q4, H1, H2, 9M, Y (the plan's year) or with a year, e.g. 2021-Q2."},
    },
    "period-outside-plan": {
        "message": {
            "vi": "kỳ báo cáo {label} nằm ngoài kỳ kế hoạch ({start} – {end})",
            "en": "the report period {label} lies outside the plan period ({start} – {end})",
        },
        "hint": {"vi": "Chọn một kỳ trong năm của kế hoạch.", "en": "Choose a period inside the plan's year."},
    },
    "range-reversed": {
        "message": {"vi": "--to ({to}) không được trước --from ({start})", "en": "--to ({to}) must not come before --from ({start})"},
    },
    "need-to": {"message": {"vi": "--from cần đi cùng --to (và ngược lại)", "en": "--from needs --to (and the other way round)"}},
    "per-body-folder": {
        "message": {"vi": "--per-body ghi nhiều tệp: -o phải là một thư mục", "en": "--per-body writes several files: -o must be a folder"},
    },
    "per-body-and-body": {"message": {"vi": "dùng --per-body hoặc --body, không dùng cả hai", "en": "use --per-body or --body, not both"}},
    "control-character": {
        "message": {"vi": "{option} chứa ký tự điều khiển (U+{code})", "en": "{option} holds a control character (U+{code})"},
        "hint": {"vi": "Gõ lại nội dung, không dán ký tự lạ.", "en": "Retype the text without pasting odd characters."},
    },
    "bad-choice-option": {
        "message": {"vi": "{option}: không có lựa chọn '{value}'{suggest}", "en": "{option}: no choice '{value}'{suggest}"},
        "hint": {"vi": "Chọn trong: {allowed}.", "en": "Choose from: {allowed}."},
    },
    "number-option": {
        "message": {"vi": "{option}: {value} phải từ {low} đến {high}", "en": "{option}: {value} must be from {low} to {high}"},
    },
    # -- click's own parsing errors (kehoach.clicktext)
    "click-no-such-option": {
        "message": {"vi": "không có tùy chọn {name}{suggest}", "en": "no such option {name}{suggest}"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "click-no-such-command": {
        "message": {"vi": "không có lệnh '{name}'{suggest}", "en": "no such command '{name}'{suggest}"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "click-missing-command": {
        "message": {"vi": "thiếu lệnh", "en": "missing command"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "click-missing-argument": {
        "message": {"vi": "thiếu tham số {name}", "en": "missing argument {name}"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "click-missing-option": {
        "message": {"vi": "thiếu tùy chọn {name}", "en": "missing option {name}"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "click-needs-value": {
        "message": {"vi": "tùy chọn {name} cần một giá trị", "en": "option {name} needs a value"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "click-takes-no-value": {
        "message": {"vi": "tùy chọn {name} không nhận giá trị", "en": "option {name} takes no value"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "click-extra-arguments": {
        "message": {"vi": "thừa tham số: {args}", "en": "unexpected extra arguments: {args}"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "click-other": {
        "message": {"vi": "sai cách dùng lệnh: {detail}", "en": "wrong usage: {detail}"},
        "hint": {"vi": "{usage}\nXem hướng dẫn: {help}", "en": "{usage}\nSee: {help}"},
    },
    "bad-number-option": {
        "message": {"vi": "{option}: '{value}' không phải số nguyên", "en": "{option}: '{value}' is not a whole number"},
        "hint": {"vi": "Ghi một số nguyên, vd. {option} 50.", "en": "Write a whole number, e.g. {option} 50."},
    },
    "wrote": {"message": {"vi": "Đã ghi {path}", "en": "Wrote {path}"}},
    "logged": {"message": {"vi": "Đã ghi {what} → {where}", "en": "Logged {what} → {where}"}},
    "interrupted": {"message": {"vi": "đã dừng (Ctrl-C)", "en": "stopped (Ctrl-C)"}},
    "internal-error": {
        "message": {"vi": "lỗi nội bộ: {detail}", "en": "internal error: {detail}"},
        "hint": {
            "vi": "Đây là lỗi của chương trình, không phải của tệp kế hoạch. Chạy lại với KEHOACH_DEBUG=1 để xem chi tiết và báo cho nhóm phát triển.",
            "en": "This is a bug in kehoach, not in the plan. Run again with KEHOACH_DEBUG=1 for details and report it.",
        },
    },
    "template-failed": {
        "message": {"vi": "{where}: không dùng được mẫu: {detail}", "en": "{where}: the template failed: {detail}"},
        "hint": {"vi": "Sửa mẫu, hoặc bỏ --templates để dùng mẫu có sẵn.", "en": "Fix the template, or drop --templates to use the built-in one."},
    },
    "need-period": {
        "message": {"vi": "cần --period P hoặc --from NGÀY --to NGÀY", "en": "give --period P or --from DATE --to DATE"},
    },
    "period-and-range": {
        "message": {"vi": "dùng --period hoặc --from/--to, không dùng cả hai", "en": "use --period or --from/--to, not both"},
    },
    "unknown-topic": {
        "message": {"vi": "--topic: không có chuyên đề '{value}'{suggest}", "en": "--topic: no topic '{value}'{suggest}"},
        "hint": {"vi": "Các chuyên đề: {allowed}.", "en": "Topics: {allowed}."},
    },
    "bad-format": {
        "message": {"vi": "--format: không có định dạng '{value}'", "en": "--format: no format '{value}'"},
        "hint": {"vi": "Chọn {allowed}; nhiều định dạng một lần: md,html,docx.", "en": "Choose {allowed}; several at once: md,html,docx."},
    },
    "output-is-input": {
        "message": {"vi": "-o {path}: đây là tệp đang được đọc (tệp kế hoạch); không ghi đè", "en": "-o {path}: that is the file being read (the plan); not overwritten"},
        "hint": {"vi": "Chọn một tên tệp khác bằng -o.", "en": "Choose another file name with -o."},
    },
    "stdout-one-format": {
        "message": {"vi": "-o -: chỉ in ra màn hình được một định dạng", "en": "-o -: only one format can go to standard output"},
    },
    "templates-missing": {
        "message": {"vi": "--templates: không có thư mục '{path}'", "en": "--templates: no folder '{path}'"},
    },
    "template-not-found": {
        "message": {"vi": "không tìm thấy mẫu '{name}'", "en": "template '{name}' not found"},
        "hint": {"vi": "Đã tìm trong: {dirs}.", "en": "Looked in: {dirs}."},
    },
    "template-syntax": {
        "message": {"vi": "{where}: lỗi cú pháp mẫu: {detail}", "en": "{where}: template syntax error: {detail}"},
    },
    "template-undefined": {
        "message": {"vi": "{where}: mẫu dùng giá trị không có: {detail}", "en": "{where}: the template uses a value that does not exist: {detail}"},
        "hint": {"vi": "Các giá trị một mẫu nhận được liệt kê trong docs/templates.md.", "en": "docs/templates.md lists the values a template receives."},
    },
    "need-percent": {"message": {"vi": "cần --percent N hoặc --done", "en": "give --percent N or --done"}},
    "percent-and-done": {
        "message": {"vi": "--done là 100%; không dùng cùng --percent {value}", "en": "--done means 100%; do not combine it with --percent {value}"},
    },
    "need-note": {"message": {"vi": "cần --note \"nội dung đã làm\"", "en": "give --note \"what was done\""}},
    "as-of-outside-plan": {
        "message": {
            "vi": "lưu ý: ngày xem xét {date} nằm ngoài kỳ kế hoạch ({start} – {end}); dùng --as-of để chọn ngày khác",
            "en": "note: the as-of date {date} lies outside the plan period ({start} – {end}); pick another with --as-of",
        },
    },
    # -- the Government Office roll-up, in the status headline and the report
    "rollup-line": {"message": {
        "vi": "Đã hoàn thành: {done_on_time} đúng hạn / {done_late} quá hạn; "
              "chưa hoàn thành: {not_done_within} trong hạn / {not_done_overdue} quá hạn",
        "en": "Done: {done_on_time} on time / {done_late} late; "
              "not done: {not_done_within} within deadline / {not_done_overdue} overdue"}},
    "rollup-ongoing": {"message": {"vi": "Thường xuyên: {ongoing}", "en": "Continuous: {ongoing}"}},
    "rollup-suspended": {"message": {"vi": "; tạm dừng: {suspended}", "en": "; suspended: {suspended}"}},
    "rollup-sentence": {"message": {
        "vi": "Tính đến {as_of}, trong tổng số {total} nhiệm vụ: đã hoàn thành {done} (đúng hạn {done_on_time}, "
              "quá hạn {done_late}); chưa hoàn thành {not_done} (trong hạn {not_done_within}, quá hạn "
              "{not_done_overdue}); thường xuyên {ongoing}{suspended_text}.",
        "en": "As of {as_of}, of {total} tasks: done {done} ({done_on_time} on time, {done_late} late); "
              "not done {not_done} ({not_done_within} within deadline, {not_done_overdue} overdue); "
              "continuous {ongoing}{suspended_text}."}},
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
    "log-parent-task": {
        "message": {
            "vi": "nhiệm vụ '{id}' có nhiệm vụ con; tiến độ của nó được tính từ các nhiệm vụ con",
            "en": "task '{id}' has subtasks; its progress is computed from them",
        },
        "hint": {"vi": "Ghi tiến độ cho một nhiệm vụ con: {subtasks}.", "en": "Log progress on a subtask: {subtasks}."},
    },
    "log-readonly": {
        "message": {"vi": "không ghi: tệp {path} chỉ cho đọc", "en": "not written: {path} is read-only"},
        "hint": {"vi": "Xin quyền ghi tệp, hoặc làm việc trên bản sao của mình.", "en": "Get write permission, or work on your own copy."},
    },
    "log-layout": {
        "message": {
            "vi": "không ghi: nhiệm vụ '{id}' hoặc danh sách progress của nó viết trên một dòng ({{...}} hoặc [...])",
            "en": "not written: task '{id}' or its progress list is written on one line ({{...}} or [...])",
        },
        "hint": {
            "vi": "Viết nhiệm vụ và progress dạng khối, mỗi khóa một dòng (xem plans/2021.yaml), rồi chạy lại.",
            "en": "Write the task and its progress in block style, one key per line (see plans/2021.yaml), then run again.",
        },
    },
    "write-failed": {
        "message": {"vi": "không ghi được {path}: {detail}", "en": "cannot write {path}: {detail}"},
        "hint": {"vi": "Chọn một đường dẫn khác bằng -o.", "en": "Choose another path with -o."},
    },
    # what to change on the command line when `kehoach log` refuses (instead of the YAML hints)
    "log-hint-progress-order": {"message": {
        "vi": "→ Cách sửa: --date phải từ ngày {previous} trở đi.", "en": "→ Fix: --date must be {previous} or later."}},
    "log-hint-percent-decrease": {"message": {
        "vi": "→ Cách sửa: --percent phải từ {previous} trở lên; để ghi khó khăn, giữ {previous} và thêm --kind difficulty.",
        "en": "→ Fix: --percent must be {previous} or more; to record a setback keep {previous} and add --kind difficulty."}},
    "log-hint-outside-period": {"message": {
        "vi": "→ Cách sửa: --date phải trong kỳ kế hoạch ({start} – {end}).",
        "en": "→ Fix: --date must fall inside the plan period ({start} – {end})."}},
    "log-hint-not-nfc": {"message": {
        "vi": "→ Cách sửa: gõ lại ghi chú bằng bộ gõ Unicode dựng sẵn.", "en": "→ Fix: retype the note with a precomposed Unicode input method."}},
    "log-hint-legacy-encoding": {"message": {
        "vi": "→ Cách sửa: chuyển ghi chú sang Unicode (Unikey Toolkit, nguồn {encoding}) rồi dán lại.",
        "en": "→ Fix: convert the note to Unicode (Unikey Toolkit, source {encoding}) and paste again."}},
    "log-hint-unknown-occurrence": {"message": {
        "vi": "→ Cách sửa: --occurrence là một trong: {allowed}.", "en": "→ Fix: --occurrence is one of: {allowed}."}},
    "log-hint-occurrence-not-recurring": {"message": {
        "vi": "→ Cách sửa: bỏ --occurrence; nhiệm vụ này không định kỳ.", "en": "→ Fix: drop --occurrence; this task does not recur."}},
    "log-already-done": {
        "message": {
            "vi": "không ghi: nhiệm vụ '{id}' đã hoàn thành ngày {date}",
            "en": "not written: task '{id}' was completed on {date}",
        },
        "hint": {
            "vi": "Để ghi thêm khó khăn hoặc kiến nghị, dùng --kind difficulty hoặc --kind proposal.",
            "en": "To add a difficulty or a proposal, use --kind difficulty or --kind proposal.",
        },
    },
    "log-occurrence-closed": {
        "message": {
            "vi": "không ghi: kỳ {occurrence} của nhiệm vụ '{id}' đã hoàn thành ngày {date}",
            "en": "not written: occurrence {occurrence} of task '{id}' was completed on {date}",
        },
        "hint": {"vi": "Ghi cho kỳ khác bằng --occurrence.", "en": "Log another occurrence with --occurrence."},
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
