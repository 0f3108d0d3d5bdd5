#include "theme.h"

#include "appicon.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace md {
namespace {

ThemeColors g_colors;

const QPalette& systemPalette() {
    static const QPalette palette = QApplication::palette(); // first call: before any theme is applied
    return palette;
}

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
    const QString header = c.dark ? "#151c25" : "#e9edf1";
    const QString title = c.dark ? "#1a222d" : "#dde3e9";
    QString css = R"(
QMainWindow::separator { background: @border; width: 2px; height: 2px; }
QDockWidget { font-weight: 600; }
QDockWidget::title { background: @title; padding: 3px 8px; border-bottom: 1px solid @border; text-align: left; }
QHeaderView::section { background: @header; border: none; border-right: 1px solid @border;
                       border-bottom: 1px solid @border; padding: 2px 6px; font-weight: 600; color: @muted; }
QTableView { border: none; selection-background-color: palette(highlight); outline: 0; }
QTableView::item { padding: 0px 6px; border: none; }
QTabWidget::pane { border: none; }
QTabBar::tab { padding: 4px 14px; border: none; color: @muted; background: transparent; }
QTabBar::tab:selected { color: @text; border-bottom: 2px solid @accent; }
QToolBar { border: none; border-bottom: 1px solid @border; spacing: 8px; padding: 4px 6px; }
QToolBar#haltBar { background: @danger; border: none; padding: 0px; }
QLabel#haltedBanner { color: white; font-weight: 800; font-size: 13pt; padding: 7px; letter-spacing: 1px; }
QToolBar#leftoverBar { background: @warning; border: none; padding: 2px 8px; }
QLabel#leftoverBanner { color: #1a1300; font-weight: 700; font-size: 11pt; padding: 4px; }
QPushButton#leftoverCancel { background: #1a1300; color: white; font-weight: 700; border: none; border-radius: 4px;
                             padding: 4px 14px; }
QPushButton#leftoverCancel:disabled { background: rgba(0,0,0,0.35); }
QLabel#engineState { font-weight: 800; padding: 3px 12px; border-radius: 4px; }
QLabel#engineState[tone="ok"] { color: @ok; border: 1px solid @ok; }
QLabel#engineState[tone="danger"] { color: white; background: @danger; border: 1px solid @danger; }
QLabel#engineState[tone="warning"] { color: @warning; border: 1px solid @warning; }
QStatusBar { border-top: 1px solid @border; }
QStatusBar QLabel { padding: 0 10px; }
QPushButton { padding: 3px 12px; }
QPushButton#haltButton { background: @danger; color: white; font-weight: 800; border: none; border-radius: 4px;
                         padding: 6px 18px; letter-spacing: 1px; }
QPushButton#haltButton:hover { background: @dangerHover; }
QPushButton#haltButton:disabled { background: @border; color: @muted; }
QLineEdit, QComboBox { padding: 2px 6px; }
QCheckBox::indicator, QTableView::indicator { width: 13px; height: 13px; border: 1px solid @checkBorder; border-radius: 3px;
                                              background: @checkBase; }
QCheckBox::indicator:hover { border-color: @accent; }
QCheckBox::indicator:checked, QTableView::indicator:checked { background: @accent; border-color: @accent;
                                                              image: url(:/marketdesk/icons/@checkIcon); }
QCheckBox::indicator:disabled { border-color: @border; background: transparent; }
QToolButton#alertBadge { font-weight: 700; padding: 1px 10px; border-radius: 4px; color: @muted; }
QToolButton#alertBadge[tone="warning"] { color: #1a1300; background: @warning; }
QToolButton#alertBadge[tone="critical"] { color: white; background: @danger; }
QPushButton#resumeButton { font-weight: 700; border: 1px solid @ok; color: @ok; border-radius: 4px; padding: 5px 14px; }
QLabel#closeOutPositions { padding: 4px 0px; }
QDialog#shutdownDialog { border: 1px solid @border; }
QDialog#shutdownDialog QLabel#shutdownTitle { font-size: 14pt; font-weight: 700; }
QDialog#shutdownDialog QLabel#shutdownSeconds { font-size: 20pt; font-weight: 700; font-family: "DejaVu Sans Mono"; }
QProgressBar { border: none; background: @border; border-radius: 3px; }
QProgressBar::chunk { background: @warning; border-radius: 3px; }
)";
    // Check boxes that can be told apart from the panel in both themes (Fusion's dark ones could not).
    css.replace("@checkBorder", c.dark ? "#8a96a8" : "#6b7480")
        .replace("@checkBase", c.dark ? "#0b1016" : "#ffffff")
        .replace("@checkIcon", "check.svg");
    css.replace("@border", border)
        .replace("@header", header)
        .replace("@title", title)
        .replace("@muted", c.muted.name())
        .replace("@text", c.text.name())
        .replace("@accent", c.accent.name())
        .replace("@dangerHover", c.danger.lighter(112).name())
        .replace("@danger", c.danger.name())
        .replace("@warning", c.warning.name())
        .replace("@ok", c.ok.name());
    return css;
}

} // namespace

bool systemPrefersDark() {
    return systemPalette().color(QPalette::Window).lightness() < 128;
}

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
        // Qt 6.4 has no colour-scheme API: the desktop's own palette (as it was before we set
        // ours) tells by its window colour.
        dark = systemPrefersDark();
    g_colors = dark ? darkColors() : lightColors();
    appIcon(); // the compiled-in resources (the check mark of the check boxes) are registered by it
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
