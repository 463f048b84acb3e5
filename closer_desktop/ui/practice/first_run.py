"""The first run's guide: three steps (record, listen, rate) over the practice page until the first
take is rated, then never again (a setting); Esc or Skip ends it sooner.

It replaces the welcome banner, a paragraph above every page until dismissed. The guide floats
over the top of the review card (a child of the practice page in no layout, like the toast), so
showing, advancing or closing it moves nothing; the step being done is the one in bold.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from closer_desktop import settings as S
from closer_desktop.app.practice import PracticeController
from closer_desktop.domain.practice import Take
from closer_desktop.ui.design import SPACE_S, SPACE_XS
from closer_desktop.ui.theme import set_style_property

RECORD, LISTEN, RATE = 0, 1, 2


def step_texts(from_memory: bool) -> tuple[str, str, str]:
    """The three steps; from memory the line is hidden, so the first says to say it from
    memory, never to read it."""
    say = "say it from memory" if from_memory else "say the line aloud"
    return (
        f"1. Record: press Space, {say}, press Space again",
        "2. Listen: press P to play it back",
        "3. Rate: two digits, professionalism then clarity",
    )


class FirstRunGuide(QFrame):
    """Over `page` (the practice page), anchored to the top of `anchor` (its review card)."""

    def __init__(self, controller: PracticeController, page: QWidget, anchor: QWidget) -> None:
        super().__init__(page)
        self.controller = controller
        self.anchor = anchor
        self.setObjectName("firstRunGuide")
        self.setAccessibleName("First steps")
        self.steps = [QLabel() for _ in range(3)]
        for label in self.steps:
            label.setObjectName("firstRunStep")
        self.skip_button = QPushButton("Skip (Esc)")
        self.skip_button.setAccessibleName("Skip the first steps")
        self.skip_button.setToolTip("Hide these steps for good")
        self.skip_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Space stays the shortcut's
        self.skip_button.clicked.connect(self.skip)
        steps = QVBoxLayout()
        steps.setSpacing(2)
        for label in self.steps:
            steps.addWidget(label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE_S, SPACE_XS, SPACE_XS, SPACE_XS)
        layout.setSpacing(SPACE_S)
        layout.addLayout(steps, 1)
        layout.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignTop)
        self.step = RECORD
        self._played = False
        self.active = not controller.settings.get(S.FIRST_RUN_TIP_DISMISSED)
        controller.current_take_changed.connect(self._take_changed)
        controller.playback_changed.connect(self._playback_changed)
        controller.question_changed.connect(lambda _: self.refresh())
        node: QWidget | None = anchor
        while node is not None and node is not self.parentWidget():
            node.installEventFilter(self)  # a scrolled page moves the anchor's ancestors
            node = node.parentWidget()
        page.installEventFilter(self)
        self.refresh()

    def set_from_memory(self, from_memory: bool) -> None:
        for label, text in zip(self.steps, step_texts(from_memory), strict=True):
            label.setText(text)
        self.place()

    def skip(self) -> None:
        """Esc, Skip, or the first rated take: gone, and not shown again."""
        self.active = False
        self.controller.settings.set(S.FIRST_RUN_TIP_DISMISSED, True)
        self.hide()

    def _take_changed(self, take: Take | None) -> None:
        if not self.active:
            return
        if take is not None and take.professionalism is not None and take.clarity is not None:
            self.skip()  # the first rated take: the loop is learnt
            return
        if take is None:
            self.step = RECORD
        elif take.professionalism is not None or take.clarity is not None or self._played:
            self.step = RATE
        else:
            self.step = LISTEN
        self.refresh()

    def _playback_changed(self, playing: bool) -> None:
        if playing and self.active and self.step == LISTEN:
            self._played = True
            self.step = RATE
            self.refresh()

    def refresh(self) -> None:
        """Show the steps (the current one in bold) in the wording of the mode in force."""
        if not self.active:
            self.hide()
            return
        self.set_from_memory(self.controller.settings.get(S.FROM_MEMORY))
        for index, label in enumerate(self.steps):
            set_style_property(label, "current", index == self.step)
            font = label.font()
            font.setBold(index == self.step)
            label.setFont(font)
        self.setAccessibleDescription(self.steps[self.step].text())
        self.place()
        self.show()
        self.raise_()

    def place(self) -> None:
        """Over the top of the anchor, as wide as it (within the page)."""
        page = self.parentWidget()
        if page is None:
            return
        top_left = self.anchor.mapTo(page, QPoint(0, 0))
        width = min(self.anchor.width(), page.width() - top_left.x())
        height = self.sizeHint().height()
        y = top_left.y()
        view = self._viewport()
        if view is not None:  # the anchor scrolled away: the steps stay in the visible part
            shown = view.rect().translated(view.mapTo(page, QPoint(0, 0)))
            y = max(shown.top(), min(y, shown.bottom() - height))
        self.setGeometry(top_left.x(), y, max(width, 0), height)

    def _viewport(self) -> QWidget | None:
        """The viewport of the scroll area the anchor is in, if any."""
        node = self.anchor.parentWidget()
        while node is not None and node is not self.parentWidget():
            if isinstance(node.parentWidget(), QAbstractScrollArea):
                return node
            node = node.parentWidget()
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.isVisible() and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.place()
        return super().eventFilter(watched, event)
