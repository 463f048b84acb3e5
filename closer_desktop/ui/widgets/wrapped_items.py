"""Items of a list that wrap their lines at the list's width and are as tall as that makes them.

Qt's list asks an item's size without a width, so an item whose line wraps in a narrow list
(the practice page's takes at 800x600: "Take 4 · 0:09 · 06 Dec, 11:44" over the ratings) was
given the height of its unwrapped lines and painted its last line cut, with "…".
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem

# px of an item's width that is not its text's: the style sheet's padding (4 a side), the
# style's text margins and the frame, rounded up (a line wrapped early is still whole)
SIDES = 20


class WrappedItems(QStyledItemDelegate):
    """Sizes `view`'s items at its viewport's width; the view lays them out again on resize."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        view.setWordWrap(True)
        view.setResizeMode(QListView.ResizeMode.Adjust)  # a new width: the heights again
        view.setItemDelegate(self)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)  # the unwrapped lines, with the item's padding
        text = str(index.data() or "")
        metrics = option.fontMetrics
        width = max(1, self.view.viewport().width() - SIDES)
        flags = int(Qt.TextFlag.TextWordWrap)
        wrapped = metrics.boundingRect(QRect(0, 0, width, 1 << 16), flags, text).height()
        unwrapped = metrics.boundingRect(QRect(0, 0, 1 << 16, 1 << 16), 0, text).height()
        return QSize(hint.width(), hint.height() + max(0, wrapped - unwrapped))
