"""Help > Keyboard shortcuts (F1): the keys in a two-column table that scrolls.

It was a message box of rich text, which grows with every shortcut and was taller than an
800x600 screen; a table keeps the Close button in view whatever the list's length.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from closer_desktop.domain.anchors import anchor_summary
from closer_desktop.domain.practice import RatingScale


class ShortcutsDialog(QDialog):
    def __init__(self, shortcuts: tuple[tuple[str, str], ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(len(shortcuts), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setToolTip("Each key and what it does")
        self.table.setHorizontalHeaderLabels(["Key", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        for row, (key, action) in enumerate(shortcuts):
            key_item = QTableWidgetItem(key)
            font = key_item.font()
            font.setBold(True)
            key_item.setFont(font)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(action))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        # What the digits mean: the anchors of levels 1, 3 and 5 (all five on the buttons).
        self.ratings_help = QLabel(
            "<b>What the ratings mean</b> (hover a rating button for every level)<br>"
            f"Professionalism: {html.escape(anchor_summary(RatingScale.PROFESSIONALISM))}<br>"
            f"Clarity: {html.escape(anchor_summary(RatingScale.CLARITY))}"
        )
        self.ratings_help.setWordWrap(True)
        self.ratings_help.setAccessibleName("What the ratings mean")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.ratings_help)
        layout.addWidget(buttons)
        self.resize(620, 480)
