#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace md {
namespace {

ThemeColors g_colors;

ThemeColors darkColors() {
    ThemeColors c;
    c.dark = true;
    c.bid = QColor("#26a69a");
    c.ask = QColor("#ef5350");
    c.bidBar = QColor(38, 166, 154, 60);
    c.askBar = QColor(239, 83, 80, 60);
    c.ok = QColor("#4caf50");
    c.warning = QColor("#f0b90b");
    c.danger = QColor("#ff5252");
    c.muted = QColor("#7d8796");
    c.accent = QColor("#3d8bfd");
    c.text = QColor("#d6dde6");
    c.panel = QColor("#161b22");
    return c;
}

ThemeColors lightColors() {
    ThemeColors c;
    c.dark = false;
    c.bid = QColor("#00897b");
    c.ask = QColor("#d32f2f");
    c.bidBar = QColor(0, 137, 123, 45);
    c.askBar = QColor(211, 47, 47, 45);
    c.ok = QColor("#2e7d32");
    c.warning = QColor("#b26a00");
    c.danger = QColor("#c62828");
    c.muted = QColor("#6b7480");
    c.accent = QColor("#1565c0");
    c.text = QColor("#1d232b");
    c.panel = QColor("#f6f8fa");
    return c;
}

QPalette paletteFor(const ThemeColors& c) {
    QPalette p;
    if (c.dark) {
        p.setColor(QPalette::Window, QColor("#0f141b"));
        p.setColor(QPalette::WindowText, c.text);
        p.setColor(QPalette::Base, QColor("#121820"));
        p.setColor(QPalette::AlternateBase, QColor("#161d26"));
        p.setColor(QPalette::Text, c.text);
        p.setColor(QPalette::Button, QColor("#1b232d"));
        p.setColor(QPalette::ButtonText, c.text);
        p.setColor(QPalette::Highlight, QColor("#24476e"));
        p.setColor(QPalette::HighlightedText, QColor("#ffffff"));
        p.setColor(QPalette::ToolTipBase, QColor("#1b232d"));
        p.setColor(QPalette::ToolTipText, c.text);
        p.setColor(QPalette::PlaceholderText, c.muted);
        p.setColor(QPalette::Mid, QColor("#2a3441"));
        p.setColor(QPalette::Disabled, QPalette::Text, c.muted);
        p.setColor(QPalette::Disabled, QPalette::ButtonText, c.muted);
    } else {
        p.setColor(QPalette::Window, QColor("#eef1f4"));
        p.setColor(QPalette::WindowText, c.text);
        p.setColor(QPalette::Base, QColor("#ffffff"));
        p.setColor(QPalette::AlternateBase, QColor("#f4f6f8"));
        p.setColor(QPalette::Text, c.text);
        p.setColor(QPalette::Button, QColor("#e4e8ec"));
        p.setColor(QPalette::ButtonText, c.text);
        p.setColor(QPalette::Highlight, QColor("#cfe2ff"));
        p.setColor(QPalette::HighlightedText, QColor("#0b1f3a"));
        p.setColor(QPalette::PlaceholderText, c.muted);
    }
    return p;
}

QString styleSheetFor(const ThemeColors& c) {
    const QString border = c.dark ? "#263140" : "#d0d7de";
    const QString header = c.dark ? "#18202a" : "#e9edf1";
    return QString(R"(
QMainWindow::separator { background: %1; width: 3px; height: 3px; }
QDockWidget { font-weight: 600; }
QDockWidget::title { background: %2; padding: 4px 8px; border-bottom: 1px solid %1; }
QHeaderView::section { background: %2; border: none; border-right: 1px solid %1; border-bottom: 1px solid %1;
                       padding: 3px 6px; font-weight: 600; color: %3; }
QTableView { gridline-color: %1; border: none; selection-background-color: palette(highlight); }
QTableView::item { padding: 0px 6px; }
QToolBar { border: none; border-bottom: 1px solid %1; spacing: 6px; padding: 3px; }
QStatusBar { border-top: 1px solid %1; }
QStatusBar QLabel { padding: 0 8px; }
QPushButton#haltButton { background: %4; color: white; font-weight: 700; border-radius: 4px; padding: 5px 14px; }
QPushButton#haltButton:checked { background: %5; }
QLabel#haltedBanner { background: %4; color: white; font-weight: 800; padding: 6px; letter-spacing: 2px; }
QLineEdit, QComboBox { padding: 3px 6px; }
)")
        .arg(border, header, c.muted.name(), c.danger.name(), c.ok.name());
}

} // namespace

ThemeChoice themeChoiceFromString(const QString& text) {
    if (text == "dark")
        return ThemeChoice::Dark;
    if (text == "light")
        return ThemeChoice::Light;
    return ThemeChoice::System;
}

QString themeChoiceName(ThemeChoice choice) {
    switch (choice) {
    case ThemeChoice::Dark:
        return "dark";
    case ThemeChoice::Light:
        return "light";
    default:
        return "system";
    }
}

void applyTheme(QApplication& app, ThemeChoice choice) {
    bool dark = true;
    if (choice == ThemeChoice::Light)
        dark = false;
    else if (choice == ThemeChoice::System)
        // Qt 6.4 has no colour-scheme API: the platform palette's window colour tells.
        dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    g_colors = dark ? darkColors() : lightColors();
    app.setStyle(QStyleFactory::create("Fusion"));
    app.setPalette(paletteFor(g_colors));
    app.setStyleSheet(styleSheetFor(g_colors));
}

const ThemeColors& themeColors() {
    if (!g_colors.bid.isValid())
        g_colors = darkColors();
    return g_colors;
}

} // namespace md
