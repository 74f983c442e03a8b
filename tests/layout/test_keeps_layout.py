"""The keep rules through LibreOffice, where their chains meet: the end block takes the last lines
of the text along (at least two), a heading keeps with its first two lines, the title with the
heading under it.  Joined, in a short 专题简报 they took the whole text to page 2."""

from __future__ import annotations

import pdfgeom as g

from jianbao.pdf import convert_to_pdf
from jianbao.pipeline import compile_issue, prepare

# 编者按, a two-line title and a subtitle, one section: a two-line item and a one-line item.  The
# text fits on page 1; the text and the end block do not.
SHORT_FEATURE = """\
number: 1
date: 2024-06-03
note: 本期刊发锦城市推进政务服务集成改革的做法，供各地各部门学习借鉴。锦城市聚焦企业和群众办事的难点堵点，推动一批关联性强、办件量大的“一件事”落地见效。
title:
  - 关于推进“高效办成一件事”
  - 提升企业群众办事体验的经验做法
subtitle: ——锦城市推进政务服务集成改革典型经验
sections:
  - title: 主要做法
    items:
      - 建立“牵头部门+配合部门+技术支撑”的协同推进机制。
      - 推动申请表单、申请材料、办理环节“三个精简”。
"""


def test_a_short_feature_keeps_its_title_and_first_section_on_page_one(office, tmp_path):
    p = office.issue(SHORT_FEATURE)
    docx = compile_issue(prepare(p), tmp_path / "x.docx")
    [pdf] = convert_to_pdf([docx], out_dir=tmp_path)
    pages = g.read_pages(pdf)
    assert len(pages) == 2
    on = {t: [pg.number for pg in pages if pg.find(t)] for t in
          ("编者按", "关于推进", "一、主要做法", "（一）建立", "（二）推动", "报：")}
    # the end block takes the last line along; the title, the heading and its item stay on page 1
    assert on == {"编者按": [1], "关于推进": [1], "一、主要做法": [1], "（一）建立": [1], "（二）推动": [2], "报：": [2]}
