"""The orientation sheet's page: fpdf2 with the DejaVu Sans font shipped inside matplotlib.

Imported by ``console.advisor.sheet.build_sheet`` at the first sheet, so that the web app does
not hold fpdf2 and matplotlib (about 60 MiB) until an advisor prints one.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fpdf import FPDF

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
INK = (33, 37, 41)
MUTED = (90, 98, 106)
ACCENT = (0, 94, 82)


class Sheet(FPDF):
    """A Letter page with the sheet's font, margins, footer and text styles."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="Letter", unit="mm")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text} — {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 11.5)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def paragraph(self, text: str, size: float = 9.5, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(0.8)

    def bullets(self, lines: list[str], size: float = 9.5) -> None:
        self.set_font(FONT, "", size)
        for line in lines:
            self.set_x(self.l_margin)
            self.cell(5, size * 0.5, "•")
            self.multi_cell(0, size * 0.5, line, new_x="LMARGIN", new_y="NEXT")
            self.ln(0.6)
