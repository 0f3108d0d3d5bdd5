#pragma once

#include <QColor>
#include <QString>

class QApplication;

namespace md {

/// Colours that carry meaning on a trading screen; one set per theme.
struct ThemeColors {
    QColor bid, ask, bidBar, askBar;
    QColor ok, warning, danger, muted, accent, text, panel;
    bool dark = true;
};

enum class ThemeChoice { System, Dark, Light };

/// Applies the Fusion style with a dark or light palette and the stylesheet; System follows the
/// desktop's palette (dark when its window colour is dark).
void applyTheme(QApplication& app, ThemeChoice choice);
const ThemeColors& themeColors();
/// True when the desktop's palette (before ours was applied) is dark.
bool systemPrefersDark();
ThemeChoice themeChoiceFromString(const QString& text);
QString themeChoiceName(ThemeChoice choice);

} // namespace md
