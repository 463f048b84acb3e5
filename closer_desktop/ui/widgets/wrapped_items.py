"""Items of a list that wrap their lines at the list's width and are as tall as that makes them.

Qt's list asks an item's size without a width, so an item whose line wraps in a narrow list
(the practice page's takes at 800x600: "Take 4 · 0:09 · 06 Dec, 11:44" over the ratings) was
given the height of its unwrapped lines and painted its last line cut, with "…".
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem


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
        # The text's own width in an item as wide as the viewport, as the style will draw it
        # (the style sheet's padding and the style's text margins off).
        laid = QStyleOptionViewItem(option)
        self.initStyleOption(laid, index)
        laid.rect = QRect(0, 0, self.view.viewport().width(), hint.height())
        style = self.view.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, laid, self.view)
        # QCommonStyle wraps inside that less its focus-frame margin and a pixel, a side.
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.view) + 1
        width = max(1, text_rect.width() - 2 * margin)
        flags = int(Qt.TextFlag.TextWordWrap)
        wrapped = metrics.boundingRect(QRect(0, 0, width, 1 << 16), flags, text).height()
        unwrapped = metrics.boundingRect(QRect(0, 0, 1 << 16, 1 << 16), 0, text).height()
        return QSize(hint.width(), hint.height() + max(0, wrapped - unwrapped))
