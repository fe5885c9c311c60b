# ruff: noqa: E501  (the two plans below are Markdown as offices type it: one paragraph a line)
"""Source documents for the importer's tests, written by the tests themselves (no binaries shipped).

Two plans in Markdown, as other offices write them (the words of issue 19's test inputs):
`MD_2021`, the 2021 plan (header and signatures as two-column tables, `---` rules, `## I.` headings,
numbered lists, bullets; its number "49" is made up: the OCR reads "4.P"), and `MD_45`, a State plan
(made up: Kon Tum, 45/KH-UBND) with labelled lines and an assignment table as its appendix. From them:
`docx_2021` (numbers typed, or Word's automatic numbering: a multi-level list of our own, the
built-in List Number restarted by a startOverride, List Bullet through the style), `docx_45` (the
assignment table as section II's body, or as the appendix), `to_pdf` (LibreOffice, when installed),
and PDFs written byte by byte: `image_pdf` (a scan: pictures only), `blank_pages_pdf`.
Every paragraph's text is the Markdown's without its marks. Needs python-docx.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path
from typing import Any

MD_2021 = r"""| BAN DÂN VẬN TỈNH ỦY - BAN CÁN SỰ ĐẢNG UBND TỈNH | **ĐẢNG CỘNG SẢN VIỆT NAM** |
| :---: | :---: |
| \* | |
| Số 49-KH/BDVTU-BCSĐUBND | *Quảng Ngãi, ngày 14 tháng 01 năm 2021* |

# KẾ HOẠCH

**Phối hợp thực hiện công tác dân vận năm 2021**

---

Thực hiện Chương trình phối hợp số 26-CTr/BDVTU-BCSĐUBND ngày 13/02/2017 giữa Ban Dân vận Tỉnh ủy và Ban Cán sự đảng Ủy ban nhân dân tỉnh về công tác dân vận, giai đoạn 2017 - 2021; Ban Dân vận Tỉnh ủy và Ban Cán sự đảng Ủy ban nhân dân tỉnh xây dựng Kế hoạch phối hợp thực hiện công tác dân vận năm 2021, như sau:

## I. Mục đích, yêu cầu

1. Tăng cường công tác lãnh đạo, chỉ đạo và triển khai thực hiện thắng lợi các mục tiêu, chỉ tiêu tại Kết luận số 25-KL/TU ngày 27/11/2020 của Tỉnh ủy về tình hình thực hiện nhiệm vụ năm 2020; mục tiêu, chỉ tiêu, nhiệm vụ và giải pháp năm 2021 gắn với chủ đề công tác dân vận "Đẩy mạnh thực hiện Quy chế dân chủ ở cơ sở".

2. Kịp thời theo dõi, nắm chắc tình hình, tâm trạng nhân dân, tập trung tháo gỡ những điểm nghẽn, vướng mắc, bức xúc, kiến nghị chính đáng của nhân dân; giữ vững ổn định xã hội và không để xảy ra "điểm nóng", nổi cộm trên địa bàn tỉnh, nhất là trong thời điểm diễn ra Đại hội đại biểu toàn quốc lần thứ XIII của Đảng, bầu cử đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2021 - 2026.

3. Tiếp tục nâng cao chất lượng công tác dân vận chính quyền, nhất là nâng cao hiệu quả việc thực hiện các mô hình, điển hình "Dân vận khéo" trong các cơ quan quản lý Nhà nước, chính quyền các cấp.

4. Quá trình thực hiện Kế hoạch phối hợp đảm bảo đúng chức năng, nhiệm vụ và trách nhiệm được phân công của từng chủ thể phối hợp; các nội dung Kế hoạch được xây dựng triển khai phù hợp với thực tế, thiết thực và hiệu quả.

## II. Nội dung phối hợp

1. Tiếp tục quán triệt, triển khai thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về xây dựng và thực hiện Quy chế dân chủ ở cơ sở; Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư về nâng cao hiệu quả công tác dân vận của cơ quan nhà nước các cấp; Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ về đổi mới công tác dân vận của các cơ quan hành chính Nhà nước và chính quyền các cấp trong tình hình mới. Nghiên cứu, tham mưu Tỉnh ủy, Ban Thường vụ Tỉnh ủy những chủ trương, giải pháp về tăng cường công tác dân vận chính quyền và phát huy quyền làm chủ của Nhân dân; nhất là việc tham gia đóng góp ý kiến về xây dựng dự án Luật Thực hiện dân chủ ở cơ sở; hướng dẫn, theo dõi, đôn đốc việc thực hiện và kiểm tra, giám sát, sơ kết, tổng kết các văn bản của Trung ương, của tỉnh có liên quan về công tác dân vận chính quyền.

2. Triển khai tổ chức thực hiện có hiệu quả chủ đề công tác dân vận năm 2021 do Trung ương phát động với nội dung trọng tâm là "Đẩy mạnh thực hiện Quy chế dân chủ ở cơ sở". Tiếp tục chú trọng việc xây dựng, nhân rộng và triển khai thực hiện các mô hình, điển hình "Dân vận khéo" gắn với nâng cao đạo đức, trách nhiệm công vụ, kỷ luật, kỷ cương hành chính; chọn một số mô hình có tính khả thi cao gắn với mục tiêu phát triển kinh tế - xã hội, giải quyết các vấn đề bức xúc, nổi cộm, các "điểm nóng" liên quan đến môi trường, đất đai, giải phóng mặt bằng, khai thác thủy hải sản trái phép, để tiến hành khảo sát, đánh giá rút kinh nghiệm và triển khai nhân rộng mô hình.

3. Phối hợp trong việc theo dõi, đôn đốc, chỉ đạo các cơ quan, ngành, địa phương liên quan thực hiện nghiêm túc các nội dung theo Kết luận của đồng chí Bùi Thị Quỳnh Vân, Ủy viên dự khuyết Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch Hội đồng nhân dân tỉnh tại buổi đối thoại trực tiếp với đại diện tổ chức công đoàn, công nhân và người lao động tại địa bàn KKT Dung Quất & KCN VSIP Quảng Ngãi và với nông dân, hợp tác xã, doanh nghiệp về lĩnh vực nông nghiệp, nông dân, nông thôn.

4. Phối hợp trong việc theo dõi, nắm chắc tình hình, tâm trạng, những bức xúc trong Nhân dân; chú trọng dự báo tình hình khiếu nại, tố cáo trong thời điểm tiến hành Đại hội đại biểu toàn quốc lần thứ XIII của Đảng, bầu cử đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2021 - 2026, để đề ra những giải pháp xử lý kịp thời, hiệu quả. Thường xuyên trao đổi thông tin hai chiều giữa cơ quan hành chính nhà nước, chính quyền với Ban Dân vận, Mặt trận, tổ chức chính trị - xã hội các cấp.

5. Đổi mới và nâng cao hiệu quả công tác cải cách hành chính, cải thiện các chỉ số nâng cao năng lực cạnh tranh cấp tỉnh và khả năng tiếp cận các thủ tục hành chính của người dân gắn với nâng cao đạo đức công vụ, kỷ luật, kỷ cương hành chính cho đội ngũ cán bộ, công chức, viên chức. Thực hiện tốt công tác tiếp công dân, đối thoại trực tiếp với dân, giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh của tổ chức và công dân. Rà soát những lĩnh vực người dân có nhiều bức xúc, khiếu kiện kéo dài để tập trung chỉ đạo giải quyết dứt điểm, nhất là việc quản lý đất công ở các địa phương, thực hiện chính sách đất đai, công tác bồi thường, giải phóng mặt bằng, tái định cư cho người dân khi bị thu hồi đất; vấn đề môi trường; chính sách người có công; an sinh xã hội; giảm nghèo bền vững; xây dựng nông thôn mới, đô thị văn minh. Nêu cao tinh thần, trách nhiệm trong đồng hành, hỗ trợ doanh nghiệp, tạo môi trường đầu tư kinh doanh thuận lợi, minh bạch, cạnh tranh công bằng.

**Ban Cán sự đảng UBND tỉnh** chỉ đạo UBND tỉnh chỉ đạo các sở, ban, ngành có liên quan tham mưu UBND tỉnh ban hành Quy chế đối thoại trực tiếp của Chủ tịch UBND các cấp, thủ trưởng các sở, ban, ngành trực thuộc với tổ chức, công dân.

6. Đẩy mạnh việc tổ chức triển khai thực hiện, đôn đốc, nhắc nhở, định kỳ kiểm tra, giám sát việc thực hiện các Quyết định số 436-QĐ-UBND ngày 11/6/2019 của UBND tỉnh về ban hành Quy định tiêu chí, cách đánh giá, xếp loại công tác dân vận của các cơ quan nhà nước trên địa bàn tỉnh Quảng Ngãi; Quyết định số 737/QĐ-UBND ngày 27/9/2019 của UBND tỉnh về ban hành Quy chế thực hiện dân chủ trong công tác thu hồi đất, bồi thường, hỗ trợ, tái định cư để thực hiện các dự án, đề án, quy hoạch, kế hoạch, chương trình phát triển kinh tế - xã hội trên địa bàn tỉnh năm 2019; Quyết định số 644/QĐ-UBND ngày 06/5/2020 của UBND tỉnh về việc ban hành Kế hoạch thực hiện Quyết định số 416/QĐ-TTg ngày 25/3/2020 của Thủ tướng Chính phủ thực hiện Chỉ thị số 37-CT/TW ngày 03/9/2019 của Ban Bí thư về tăng cường sự lãnh đạo, chỉ đạo xây dựng mối quan hệ lao động hài hòa, ổn định và tiến bộ trong tình hình mới gắn với việc sơ kết 5 năm thực hiện Kết luận số 120-KL/TW, ngày 07/01/2016 của Bộ Chính trị về xây dựng và thực hiện Quy chế dân chủ ở cơ sở.

Tiếp tục thực hiện công tác phối hợp trong tham mưu Ban Thường vụ Tỉnh ủy chỉ đạo, triển khai thực hiện có hiệu quả việc vận động hỗ trợ giải phóng mặt bằng các dự án trọng điểm trên địa bàn tỉnh, năm 2021 tập trung cho Dự án đầu tư mở rộng Khu liên hợp sản xuất gang thép Hòa Phát Dung Quất và các dự án vệ tinh Khu liên hợp. Đồng thời tăng cường chỉ đạo các sở, ban, ngành, UBND cấp huyện tham gia tích cực vào các Tổ Công tác của Ban Thường vụ huyện, thành ủy về tuyên truyền, vận động hỗ trợ công tác giải phóng mặt bằng, bồi thường, tái định cư để thực hiện các dự án trọng điểm trên địa bàn.

Xây dựng Đề án nâng cao chất lượng, hiệu quả hoạt động của Ban Thanh tra Nhân dân, Ban Giám sát đầu tư của cộng đồng, Tổ hòa giải ở cơ sở. Đồng thời, phối hợp chỉ đạo các cơ quan, đơn vị, địa phương tiếp tục rà soát, củng cố và kiện toàn Ban Thanh tra Nhân dân, Ban Giám sát đầu tư của cộng đồng, Tổ hòa giải ở cơ sở để đảm bảo hoạt động có hiệu quả.

7. Tổ chức thực hiện tốt cơ chế giám sát, phản biện xã hội (theo Quyết định số 217-QĐ/TW); Quy định góp ý xây dựng Đảng, xây dựng chính quyền (theo Quyết định số 218-QĐ/TW); việc tiếp thu ý kiến góp ý xây dựng Đảng, xây dựng chính quyền (theo Quyết định số 4054-QĐ/TU). Phối hợp, tạo điều kiện thuận lợi để Mặt trận Tổ quốc, các tổ chức chính trị - xã hội và Nhân dân tham gia giám sát, phản biện xã hội; góp ý xây dựng chính quyền vững mạnh. Tăng cường công khai, minh bạch, tạo thuận lợi cho người dân tiếp cận, giám sát hoạt động của cơ quan hành chính nhà nước các cấp, của cán bộ, công chức, viên chức thực thi công vụ.

8. Tăng cường công tác đào tạo, tập huấn, bồi dưỡng, bố trí, điều động những cán bộ, nhất là cán bộ chủ chốt ở các cơ quan thường xuyên tiếp xúc với các tổ chức và công dân về khả năng và kỹ năng tuyên truyền, vận động, thuyết phục và hòa giải để giải quyết các vụ việc bức xúc, khiếu nại, tranh chấp ngay từ cơ sở nhằm giảm thiểu tình trạng khiếu kiện vượt cấp, đông người. Đẩy mạnh công tác tuyên truyền, phổ biến, giáo dục pháp luật cho người dân. Thường xuyên bồi dưỡng kiến thức cho người có uy tín, lực lượng nòng cốt, cốt cán trong tỉnh về vận động Nhân dân tham gia phát triển kinh tế - xã hội, đảm bảo quốc phòng, an ninh, giữ gìn an toàn trật tự trong cộng đồng dân cư.

9. Phối hợp trong việc tổ chức sơ kết 5 năm thực hiện Chỉ thị số 16/CT-TTg, ngày 16/5/2016 của Thủ tướng Chính phủ về đổi mới công tác dân vận của các cơ quan hành chính Nhà nước và chính quyền các cấp trong tình hình mới; tổng kết việc thực hiện Chương trình phối hợp số 26-CTr/BDVTU-BCSĐUBND ngày 13/02/2017 giữa Ban Dân vận Tỉnh ủy và Ban Cán sự đảng Ủy ban nhân dân tỉnh về công tác dân vận, giai đoạn 2017 - 2021.

## III. Phân công trách nhiệm

### 1. Ban Dân vận Tỉnh ủy

- Tham mưu Ban Thường vụ Tỉnh ủy, Thường trực Tỉnh ủy lãnh đạo, chỉ đạo triển khai tổ chức thực hiện, sơ kết, tổng kết các nghị quyết, chỉ thị, quyết định, kết luận,... của Trung ương, của tỉnh về công tác dân vận, phát huy quyền làm chủ của Nhân dân; đồng thời kiến nghị, đề xuất những chủ trương, giải pháp mới đối với công tác dân vận chính quyền đáp ứng yêu cầu, nhiệm vụ của cấp ủy địa phương.
- Chủ động nắm tâm tư, nguyện vọng của các tầng lớp Nhân dân, phát hiện những vấn đề bức xúc, nổi cộm (theo báo cáo tháng, quý và báo cáo đột xuất khi cần thiết); trao đổi với cơ quan quản lý nhà nước và các cơ quan liên quan để làm cơ sở cho nội dung công tác đối thoại giữa người đứng đầu cấp ủy, chính quyền, cơ quan quản lý nhà nước với Nhân dân và thống nhất phương pháp vận động, giải quyết những vấn đề sau đối thoại.
- Chủ trì, phối hợp với Ủy ban nhân dân tỉnh trong việc tổ chức vận động, tuyên truyền và đề xuất, chỉ đạo giải quyết đối với một số vụ việc có tính chất phức tạp, đông người liên quan đến lợi ích của công dân. Đồng thời tiếp tục chủ trì, hướng dẫn Ban Dân vận các huyện, thị, thành ủy thành lập các Tổ Công tác giúp Ban Thường vụ cấp ủy tuyên truyền, vận động hỗ trợ công tác bồi thường, giải phóng mặt bằng, tái định cư khi thực hiện các dự án trên địa bàn.

### 2. Ban Cán sự đảng UBND tỉnh

- Chỉ đạo UBND tỉnh, UBND các huyện, thị xã, thành phố, các sở, ban, ngành tỉnh chủ động phối hợp với Ban Dân vận trong triển khai Kế hoạch phối hợp về công tác dân vận; cụ thể hóa kịp thời các chủ trương của Đảng, Nhà nước về công tác dân vận chính quyền thành cơ chế, chính sách, chương trình, kế hoạch thực hiện phù hợp với thực tiễn tình hình cơ quan, đơn vị, địa phương.
- Đảm bảo yêu cầu công khai, dân chủ, công bằng, phù hợp với thực tiễn và đúng pháp luật trong quá trình tổ chức thực hiện Kế hoạch phát triển kinh tế - xã hội; giải quyết các vấn đề bức xúc của Nhân dân. Chú trọng việc công khai, minh bạch về thông tin thời gian thực hiện, cơ quan giải quyết và thông báo kết quả thực hiện để Nhân dân biết, theo dõi, giám sát; tránh tình trạng để người dân chờ đợi kéo dài dễ tạo tâm lý bức xúc mới.
- Chủ trì, phối hợp với Ban Dân vận Tỉnh ủy xây dựng Kế hoạch kiểm tra, giám sát các sở, ban, ngành, địa phương gắn với sơ, tổng kết việc thực hiện Quy chế dân chủ ở cơ sở, Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư về nâng cao hiệu quả công tác dân vận của cơ quan nhà nước các cấp; Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ về tăng cường và đổi mới công tác dân vận trong cơ quan hành chính nhà nước, chính quyền các cấp trong tình hình mới; Chương trình phối hợp số 26-CTr/BDVTU-BCSĐUBND, ngày 13/02/2017 về công tác dân vận giai đoạn 2017 - 2021 của Ban Dân vận Tỉnh ủy và Ban Cán sự đảng UBND tỉnh và Kế hoạch này.

## IV. Tổ chức thực hiện

1. Ban Dân vận Tỉnh ủy giao Phòng Dân vận Chính quyền và Đoàn thể; Ban Cán sự đảng Ủy ban nhân dân tỉnh giao Sở Nội vụ (Phòng Xây dựng chính quyền và Công tác thanh niên) là hai bộ phận thường trực, tham mưu giúp việc của hai chủ thể phối hợp.

Bộ phận tham mưu, giúp việc có trách nhiệm phối hợp tham mưu cho Lãnh đạo Ban Dân vận Tỉnh ủy và Ban Cán sự đảng UBND tỉnh lãnh đạo, chỉ đạo về kế hoạch, nội dung, chương trình, biện pháp tổ chức thực hiện; tham mưu báo cáo đánh giá kết quả thực hiện Kế hoạch phối hợp.

2. Các chủ thể phối hợp thực hiện chế độ thông tin, báo cáo hai chiều hằng quý, 6 tháng, một năm và chuyên đề; nhất là cung cấp thông tin, tài liệu liên quan đến công tác dân vận; công tác cải cách hành chính; công tác giải quyết đơn thư kiến nghị, phản ánh, khiếu nại, tố cáo; việc xử lý "điểm nóng"; công tác dân tộc; công tác tôn giáo; việc thực hiện quy chế dân chủ ở cơ sở; phong trào thi đua "Dân vận khéo" thuộc phạm vi, trách nhiệm có liên quan.

3. Ban Cán sự đảng Ủy ban nhân dân tỉnh chỉ đạo Ủy ban nhân dân tỉnh phối hợp với Ban Dân vận Tỉnh ủy:

   - Chỉ đạo việc triển khai nhân rộng các Tổ công tác tuyên truyền, vận động hỗ trợ công tác bồi thường, tái định cư khi Nhà nước thu hồi đất để thực hiện các dự án phát triển KT - XH ở các địa phương.

   - Tạo điều kiện về cơ chế, nguồn lực để triển khai thực hiện Đề án nâng cao chất lượng, hiệu quả hoạt động của Ban Thanh tra Nhân dân, Ban Giám sát đầu tư của cộng đồng (sau khi Ban Thường vụ Tỉnh ủy phê duyệt).

   - Chủ động xây dựng, nhân rộng một số mô hình "Dân vận khéo" trong các cơ quan nhà nước, chính quyền các cấp; nhất là các mô hình trong cải cách hành chính, nâng cao chỉ số hài lòng của tổ chức, công dân; vận động người dân tham gia bảo vệ môi trường; vận động ngư dân chấm dứt hoạt động khai thác thủy hải sản trái phép; xây dựng "nông thôn mới, đô thị văn minh".

   - Tiếp tục chỉ đạo các cơ quan chức năng và chính quyền các cấp thực hiện chủ trương "nói không với rác thải nhựa"; có biện pháp phù hợp hạn chế tình trạng tách hộ, tách thửa, chuyển đổi mục đích sử dụng đất của người dân khi triển khai các dự án có thu hồi đất.

   - Chỉ đạo, đôn đốc các cơ quan, đơn vị, địa phương nghiêm túc triển khai việc thực hiện chấm điểm công tác dân vận năm 2021 theo Quyết định số 436/QĐ-UBND ngày 11/6/2019 của Chủ tịch UBND tỉnh. Sửa đổi một số nội dung tiêu chí chấm điểm công tác dân vận phù hợp với tiêu chí chấm điểm của Bộ Nội vụ. Chỉ đạo Sở Nội vụ dự toán kinh phí kế hoạch phối hợp công tác dân vận gửi Sở Tài chính thẩm định, báo cáo UBND tỉnh bố trí kinh phí cho công tác dân vận chính quyền.

4. Định kỳ 6 tháng và cuối năm, tổ chức hội nghị đánh giá kết quả thực hiện Kế hoạch phối hợp và bàn bạc về kế hoạch triển khai tiếp theo. Khi có những nội dung quan trọng cần tổ chức hội nghị đột xuất, Lãnh đạo Ban Dân vận Tỉnh ủy và Ban Cán sự đảng UBND tỉnh bàn bạc, trao đổi để thống nhất thực hiện. Hội nghị tổng kết năm về triển khai thực hiện Kế hoạch phối hợp được tổ chức vào tháng 12/2021.

Trong quá trình thực hiện, nếu có vấn đề chưa phù hợp hoặc cần sửa đổi, bổ sung, Ban Dân vận Tỉnh ủy và Ban Cán sự đảng UBND tỉnh cùng trao đổi để thống nhất điều chỉnh khi cần thiết.

---

| T/M BAN CÁN SỰ ĐẢNG UBND TỈNH | BAN DÂN VẬN TỈNH ỦY |
| :---: | :---: |
| PHÓ BÍ THƯ | TRƯỞNG BAN |
| **Võ Phiên** | **Võ Thanh An** |

**Nơi nhận:**

- BCSĐ Chính phủ (báo cáo),
- Ban Dân vận Trung ương (báo cáo),
- Ban Thường vụ Tỉnh ủy (báo cáo),
- BCSĐ UBND tỉnh,
- Ban Dân vận Tỉnh ủy,
- Chủ tịch, Phó Chủ tịch UBND tỉnh,
- Lãnh đạo Ban Dân vận Tỉnh ủy,
- MTTQVN, các tổ chức CT-XH tỉnh,
- Các sở, ban, ngành tỉnh,
- Văn phòng Tỉnh ủy,
- Văn phòng UBND tỉnh,
- Các huyện, thị, thành ủy, đảng ủy trực thuộc TU,
- UBND các huyện, thị, thành phố,
- Ban Dân vận các huyện, thị, thành ủy,
- Phòng Nội vụ (Tổ chức - Nội vụ) các huyện, thị, thành phố,
- Phòng DVCQ&ĐT, Ban Dân vận TU,
- Lưu VPTU, VPBCSĐ UBND tỉnh.
"""

MD_45 = r"""| ỦY BAN NHÂN DÂN<br>TỈNH KON TUM | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>**Độc lập - Tự do - Hạnh phúc** |
| :---: | :---: |
| Số: 45/KH-UBND | *Kon Tum, ngày 10 tháng 3 năm 2023* |

# KẾ HOẠCH

**Triển khai thi hành Luật Thực hiện dân chủ ở cơ sở trên địa bàn tỉnh Kon Tum năm 2023**

---

Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022; Luật Phổ biến, giáo dục pháp luật ngày 20 tháng 6 năm 2012;

Căn cứ Quyết định số 30/QĐ-TTg ngày 17/01/2023 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai thi hành Luật Thực hiện dân chủ ở cơ sở;

Thực hiện Kế hoạch số 12-KH/TU ngày 15/02/2023 của Ban Thường vụ Tỉnh ủy về tiếp tục thực hiện Chỉ thị số 30-CT/TW ngày 18/02/1998 của Bộ Chính trị; Công văn số 4325/BTP-PBGDPL ngày 28/11/2022 của Bộ Tư pháp về việc phổ biến Luật Thực hiện dân chủ ở cơ sở,

Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai thi hành Luật Thực hiện dân chủ ở cơ sở trên địa bàn tỉnh năm 2023 như sau:

## I. MỤC ĐÍCH, YÊU CẦU

### 1. Mục đích

- Tổ chức triển khai thi hành Luật Thực hiện dân chủ ở cơ sở kịp thời, đồng bộ, thống nhất và hiệu quả.
- Xác định cụ thể nội dung công việc, thời hạn, tiến độ hoàn thành và trách nhiệm của các cơ quan, đơn vị có liên quan.
- Nâng cao nhận thức, trách nhiệm của cán bộ, công chức, viên chức và Nhân dân về thực hiện dân chủ ở cơ sở.

### 2. Yêu cầu

- Bảo đảm sự lãnh đạo, chỉ đạo thống nhất của Ủy ban nhân dân tỉnh; sự phối hợp chặt chẽ giữa các sở, ban, ngành và Ủy ban nhân dân các huyện, thành phố.
- Các nhiệm vụ phải gắn với trách nhiệm của cơ quan chủ trì, cơ quan phối hợp và có thời hạn hoàn thành cụ thể.

## II. NỘI DUNG

**1. Tổ chức hội nghị quán triệt, phổ biến Luật Thực hiện dân chủ ở cơ sở**

- Cơ quan chủ trì: Sở Tư pháp.
- Cơ quan phối hợp: Sở Nội vụ, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh.
- Thời gian thực hiện: Quý II/2023.

**2. Rà soát văn bản quy phạm pháp luật của tỉnh có liên quan đến thực hiện dân chủ ở cơ sở**

- Cơ quan chủ trì: Sở Tư pháp.
- Cơ quan phối hợp: các sở, ban, ngành; Ủy ban nhân dân các huyện, thành phố.
- Thời gian hoàn thành: trước ngày 30/6/2023.

**3. Các nhiệm vụ cụ thể khác:** theo Phụ lục phân công nhiệm vụ kèm theo Kế hoạch này.

## III. TỔ CHỨC THỰC HIỆN

1. Các sở, ban, ngành, Ủy ban nhân dân các huyện, thành phố căn cứ nhiệm vụ được giao chủ động triển khai thực hiện; báo cáo kết quả hằng quý, 6 tháng, một năm và đột xuất khi có yêu cầu về Sở Tư pháp.

2. Sở Tài chính chủ trì, phối hợp với Sở Tư pháp tham mưu bố trí kinh phí thực hiện Kế hoạch; hoàn thành trong tháng 4/2023.

3. Giao Sở Tư pháp theo dõi, đôn đốc, tổng hợp, báo cáo Ủy ban nhân dân tỉnh và Bộ Tư pháp trước ngày 15/12/2023.

---

| **Nơi nhận:**<br>- Bộ Tư pháp (b/c);<br>- TT Tỉnh ủy, TT HĐND tỉnh (b/c);<br>- Chủ tịch, các PCT UBND tỉnh;<br>- Các sở, ban, ngành tỉnh;<br>- UBND các huyện, thành phố;<br>- Lưu: VT, NC. | **TM. ỦY BAN NHÂN DÂN**<br>**KT. CHỦ TỊCH**<br>**PHÓ CHỦ TỊCH**<br><br><br>**Nguyễn Văn Hòa** |
| --- | :---: |

## PHỤ LỤC

**PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI THI HÀNH LUẬT THỰC HIỆN DÂN CHỦ Ở CƠ SỞ NĂM 2023**

*(Kèm theo Kế hoạch số 45/KH-UBND ngày 10/3/2023 của Ủy ban nhân dân tỉnh Kon Tum)*

| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
| :---: | --- | --- | --- | --- |
| **I** | **Tuyên truyền, phổ biến Luật** | | | |
| 1 | Biên soạn tài liệu giới thiệu Luật Thực hiện dân chủ ở cơ sở | Sở Tư pháp | Sở Nội vụ | Quý II/2023 |
| 2 | Tuyên truyền Luật trên Báo Kon Tum, Đài Phát thanh và Truyền hình tỉnh | Sở Thông tin và Truyền thông | Báo Kon Tum; Đài Phát thanh và Truyền hình tỉnh | Thường xuyên |
| 3 | Tổ chức cuộc thi tìm hiểu Luật Thực hiện dân chủ ở cơ sở | Sở Tư pháp | Tỉnh Đoàn; Hội Liên hiệp Phụ nữ tỉnh | Tháng 9/2023 |
| **II** | **Rà soát, hoàn thiện văn bản** | | | |
| 4 | Rà soát quy chế thực hiện dân chủ trong hoạt động của cơ quan, đơn vị | Sở Nội vụ | Các sở, ban, ngành | Trước ngày 31/7/2023 |
| 5 | Tham mưu sửa đổi, bổ sung quy chế dân chủ ở xã, phường, thị trấn | Ủy ban nhân dân các huyện, thành phố | Sở Nội vụ | Quý III/2023 |
| 6 | Rà soát quy chế thực hiện dân chủ ở doanh nghiệp nhà nước | Sở Lao động - Thương binh và Xã hội | Liên đoàn Lao động tỉnh | 6 tháng cuối năm 2023 |
| **III** | **Tập huấn, kiểm tra, sơ kết** | | | |
| 7 | Tập huấn chuyên sâu cho đội ngũ báo cáo viên pháp luật | Sở Tư pháp | Sở Nội vụ | Tháng 5/2023 |
| 8 | Tập huấn cho cán bộ, công chức cấp xã | Ủy ban nhân dân các huyện, thành phố | Sở Tư pháp | Quý III/2023 |
| 9 | Kiểm tra việc thực hiện dân chủ ở cơ sở tại một số địa phương | Sở Nội vụ | Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh | Quý IV/2023 |
| 10 | Bố trí kinh phí thực hiện Kế hoạch | Sở Tài chính | Sở Tư pháp | Tháng 4/2023 |
| 11 | Tổng hợp, báo cáo kết quả thực hiện Kế hoạch | Sở Tư pháp | Các cơ quan, đơn vị liên quan | Hằng quý, 6 tháng, năm |
"""


# ---------------------------------------------------------------- Markdown lines → blocks


def blocks(md: str) -> list[tuple[str, Any]]:
    """('table', rows) | ('heading', (level, text)) | ('number', (n, text)) | ('bullet', (depth, text))
    | ('rule', None) | ('para', text), in order; blank lines dropped."""
    out: list[tuple[str, Any]] = []
    table: list[list[str]] = []
    for line in md.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                table.append(cells)
            continue
        if table:
            out.append(("table", table))
            table = []
        if not line.strip():
            continue
        if line.strip() == "---":
            out.append(("rule", None))
        elif m := re.match(r"^(#{1,6})\s+(.*)$", line):
            out.append(("heading", (len(m.group(1)), m.group(2))))
        elif m := re.match(r"^(\d{1,2})\.\s+(.*)$", line):
            out.append(("number", (int(m.group(1)), m.group(2))))
        elif m := re.match(r"^(\s*)-\s+(.*)$", line):
            out.append(("bullet", (len(m.group(1)) // 2, m.group(2))))
        else:
            out.append(("para", line))
    return out


# ---------------------------------------------------------------- Word


def new_document() -> Any:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    return doc


def runs(paragraph: Any, text: str, bold: bool = False, italic: bool = False) -> None:
    """Add `text` to `paragraph` as runs, **bold** and *italic* spans kept as run properties."""
    for piece in re.split(r"(\*\*[^*]+\*\*)", text.replace("\\*", "*")):
        if not piece:
            continue
        strong = piece.startswith("**") and piece.endswith("**") and len(piece) > 4
        words = piece[2:-2] if strong else piece
        em = re.fullmatch(r"\*([^*]+)\*", words)
        run = paragraph.add_run(em.group(1) if em else words)
        run.bold = bold or strong or None
        run.italic = italic or bool(em) or None


def el(tag: str, **attrs: str) -> Any:
    """A WordprocessingML element `w:<tag>` with `w:` attributes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), v)
    return e


def borderless(table: Any) -> None:
    borders = el("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(f"w:{edge}", val="nil"))
    table._tbl.tblPr.append(borders)


def cell_lines(cell: Any, text: str) -> None:
    """A cell holding `text`, each <br> a paragraph of its own (as Word keeps a header block)."""
    first = cell.paragraphs[0]
    for k, part in enumerate(text.split("<br>")):
        runs(first if k == 0 else cell.add_paragraph(), part)


def word_table(doc: Any, rows: list[list[str]], border: bool, merge_groups: bool = False) -> Any:
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=0, cols=width)
    if border:
        table.style = "Table Grid"
    else:
        borderless(table)
    for row in rows:
        cells = table.add_row().cells
        row = row + [""] * (width - len(row))
        if merge_groups and all(not c for c in row[2:]) and re.fullmatch(r"\**[IVX]+\**", row[0] or ""):
            merged = cells[1].merge(cells[width - 1])  # a group row: its title across the columns (gridSpan)
            cell_lines(cells[0], row[0])
            cell_lines(merged, row[1])
            continue
        for cell, text in zip(cells, row, strict=True):
            cell_lines(cell, text)
    return table


def add_multilevel(doc: Any, levels: list[tuple[str, str]], restarts: dict[int, int] | None = None,
                   starts: dict[int, int] | None = None) -> int:
    """A numbering definition (abstractNum + num) with the given (numFmt, lvlText) per level;
    returns its numId. `restarts`: a level's lvlRestart; `starts`: a level's start."""
    from docx.oxml.ns import qn

    numbering = doc.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    aid, nid = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    abstract = el("w:abstractNum", abstractNumId=str(aid))
    abstract.append(el("w:multiLevelType", val="multilevel"))
    for ilvl, (fmt, text) in enumerate(levels):
        lvl = el("w:lvl", ilvl=str(ilvl))
        lvl.append(el("w:start", val=str((starts or {}).get(ilvl, 1))))
        lvl.append(el("w:numFmt", val=fmt))
        if restarts and ilvl in restarts:
            lvl.append(el("w:lvlRestart", val=str(restarts[ilvl])))
        lvl.append(el("w:lvlText", val=text))
        lvl.append(el("w:lvlJc", val="left"))
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))  # abstractNum elements come before num elements
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = el("w:num", numId=str(nid))
    num.append(el("w:abstractNumId", val=str(aid)))
    numbering.append(num)
    return nid


def restart_list(doc: Any, num_id: int, start: int = 1, ilvl: int = 0) -> int:
    """A new <w:num> over the abstractNum of `num_id` with a startOverride at `ilvl`: how Word
    restarts a list ("List Number" at 1)."""
    from docx.oxml.ns import qn

    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
    aid = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    nid = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    new = el("w:num", numId=str(nid))
    new.append(el("w:abstractNumId", val=aid))
    override = el("w:lvlOverride", ilvl=str(ilvl))
    override.append(el("w:startOverride", val=str(start)))
    new.append(override)
    numbering.append(new)
    return nid


def style_num_id(doc: Any, style_name: str) -> int:
    return int(doc.styles[style_name].element.pPr.numPr.numId.val)


def numbered(paragraph: Any, num_id: int, ilvl: int | None = 0) -> None:
    """A paragraph's own numPr (`ilvl` None: the list only, the level from the style)."""
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = el("w:numPr")
    if ilvl is not None:
        num_pr.append(el("w:ilvl", val=str(ilvl)))
    num_pr.append(el("w:numId", val=str(num_id)))
    ppr.insert(0, num_pr)


def plan_2021(auto: bool, md: str = MD_2021) -> Any:
    """The 2021 plan as a Word document: numbers typed, or Word's automatic numbering."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = new_document()
    sections = add_multilevel(doc, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")]) if auto else 0
    objectives = restart_list(doc, style_num_id(doc, "List Number")) if auto else 0
    section = ""
    for kind, value in blocks(md):
        if kind == "table":
            word_table(doc, value, border=False)
        elif kind == "rule":
            continue  # Word has no rule paragraph
        elif kind == "heading":
            level, text = value
            m = re.match(r"^([IVX]+|\d+)\.\s+(.*)$", text)
            p = doc.add_paragraph()
            if level in (2, 3) and m:
                section = m.group(1) if level == 2 else section
                if auto:
                    numbered(p, sections, level - 2)
                runs(p, m.group(2) if auto else text, bold=True)
            else:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                runs(p, text, bold=True)
        elif kind == "number":
            n, text = value
            if not auto:
                runs(doc.add_paragraph(), f"{n}. {text}")
            elif section == "I":
                p = doc.add_paragraph(style="List Number")  # style numbering, restarted by its own num
                numbered(p, objectives, 0)
                runs(p, text)
            else:
                p = doc.add_paragraph()
                numbered(p, sections, 1)
                runs(p, text)
        elif kind == "bullet":
            text = value[1]
            if auto:
                runs(doc.add_paragraph(style="List Bullet"), text)  # "•" from the style, not the text
            else:
                runs(doc.add_paragraph(), f"- {text}")
        else:
            runs(doc.add_paragraph(), value)
    return doc


def plan_45(table_body: bool, md: str = MD_45, column_numbers: bool = False) -> Any:
    """The State plan as a Word document: the assignment table as section II's body, or as the
    appendix after the signatures; `column_numbers`: a row "(1) | (2) | …" under its header, as
    official tables number their columns."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = new_document()
    items = blocks(md)
    assignment = next(v for k, v in items if k == "table" and v[0][0] == "STT")
    if column_numbers:
        assignment[1:1] = [[f"({k + 1})" for k in range(len(assignment[0]))]]
    in_section_ii = False
    for kind, value in items:
        if kind == "heading" and value[1].startswith("II. NỘI DUNG") and table_body:
            runs(doc.add_paragraph(), "II. NHIỆM VỤ CỤ THỂ", bold=True)
            word_table(doc, assignment, border=True, merge_groups=True)
            in_section_ii = True
            continue
        if in_section_ii:
            if kind == "heading" and value[1].startswith("III."):
                in_section_ii = False
            else:
                continue
        if kind == "heading" and value[1] == "PHỤ LỤC" and table_body:
            break  # the table is the body: no appendix
        if kind == "table":
            word_table(doc, value, border=value is assignment, merge_groups=value is assignment)
        elif kind == "rule":
            continue
        elif kind == "heading":
            p = doc.add_paragraph()
            if value[0] == 1 or value[1] == "PHỤ LỤC":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            runs(p, value[1], bold=True)
        elif kind == "number":
            runs(doc.add_paragraph(), f"{value[0]}. {value[1]}")
        elif kind == "bullet":
            runs(doc.add_paragraph(), f"- {value[1]}")
        else:
            runs(doc.add_paragraph(), value)
    return doc


def docx_2021(path: Path, auto: bool = False) -> Path:
    plan_2021(auto).save(str(path))
    return path


def docx_45(path: Path, table_body: bool = False, column_numbers: bool = False) -> Path:
    plan_45(table_body, column_numbers=column_numbers).save(str(path))
    return path


# ---------------------------------------------------------------- PDF


def to_pdf(docx_path: Path, out: Path) -> Path:
    """`docx_path` printed to PDF by LibreOffice (the caller skips when `soffice` is absent)."""
    soffice = shutil.which("soffice")
    assert soffice, "soffice is not installed"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(docx_path)], check=True, capture_output=True, timeout=180)
    return out / (docx_path.stem + ".pdf")


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF file of the given objects (object 1 the catalogue), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(head: bytes, data: bytes) -> bytes:
    return head[:-2] + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def image_pdf(path: Path, pages: int = 1) -> Path:
    """A PDF whose pages are a picture each and no text: what a scanner gives."""
    side = 64
    pixels = bytes((x * 4 + y * 2) % 256 for y in range(side) for x in range(side))
    kids = b" ".join(b"%d 0 R" % (5 + k) for k in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        _stream(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /FlateDecode >>" % (side, side), zlib.compress(pixels)),
        _stream(b"<< >>", b"q 495 0 0 742 50 50 cm /Im0 Do Q"),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 3 0 R >> >> "
                b"/Contents 4 0 R >>" for _ in range(pages)]
    path.write_bytes(pdf_bytes(objects))
    return path


def text_pdf(path: Path, lines: list[str], pages: int = 1) -> Path:
    """A PDF of `pages` pages each showing `lines` (Latin letters only: the standard Helvetica font)."""
    content = b"BT /F1 12 Tf 50 780 Td 14 TL " + b" ".join(
        b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '" for line in lines) + b" ET"
    kids = b" ".join(b"%d 0 R" % (5 + k) for k in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(b"<< >>", content),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents 4 0 R >>" for _ in range(pages)]
    path.write_bytes(pdf_bytes(objects))
    return path


def placed_pdf(path: Path, pages: list[list[tuple[float, float, str]]], size: int = 11,
               font: str = "Helvetica") -> Path:
    """A PDF whose pages show each `(x, y, text)` where it says (a standard font, Latin letters
    only): a page laid out by hand, to test how the reader puts paragraphs, columns and tables
    back. Courier, whose letters are all one width, keeps a table's columns where they are drawn."""
    streams = []
    for placed in pages:
        ops = b" ".join(b"1 0 0 1 %.1f %.1f Tm (" % (x, y)
                        + text.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj"
                        for x, y, text in placed)
        streams.append(_stream(b"<< >>", b"BT /F1 %d Tf " % size + ops + b" ET"))
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + count + k) for k in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /" + font.encode("ascii") + b" >>",
        *streams,
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents %d 0 R >>" % (4 + k) for k in range(count)]
    path.write_bytes(pdf_bytes(objects))
    return path
