"""The record area shows the whole microphone line (issue 19: no widget's text cut): at the
practice page's width in an 800x600 window the no-microphone advice wrapped to four lines in a
slot as tall as the meter (three), and its last line was cut."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from closer_desktop.app.microphones import NO_MICROPHONE
from closer_desktop.ui.design import style_sheet
from closer_desktop.ui.practice.record_area import RecordArea


def test_the_no_microphone_advice_is_shown_whole_on_a_narrow_page(qtbot: QtBot) -> None:
    area = RecordArea()
    area.setStyleSheet(style_sheet("light"))
    qtbot.addWidget(area)
    area.resize(550, 80)  # the practice page's main column at 800x600
    area.show()
    qtbot.waitExposed(area)
    area.show_microphone(NO_MICROPHONE, "problem")
    QApplication.processEvents()
    label = area.mic_label
    assert label.heightForWidth(label.width()) > 3 * label.fontMetrics().lineSpacing()  # wraps
    assert label.height() >= label.heightForWidth(label.width())  # and none of it is cut

    area.show_microphone("Microphone: default", "ok")
    QApplication.processEvents()
    assert area.slot.height() == area._meter_height  # a short line: the meter's room only
