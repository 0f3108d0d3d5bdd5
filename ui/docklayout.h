#pragma once

#include <QByteArray>
#include <QObject>
#include <QRect>

class QDockWidget;
class QMainWindow;

namespace md {

/// The window's docks: the first-start arrangement (tabbed where the window is too narrow for panels
/// side by side), View → Reset layout, the saved layout restored, and floating docks that come back
/// on a screen and in front (a dock floated on a monitor that is gone would otherwise stay invisible).
/// Thread: the UI thread.
class DockLayout : public QObject {
    Q_OBJECT
public:
    explicit DockLayout(QMainWindow* window);

    /// Arranges every dock as on a first start, for the window's current size.
    void arrangeDefault();
    /// Restores a saved geometry and state; false (and the default arrangement) when there is none.
    bool restore(const QByteArray& geometry, const QByteArray& state);
    /// Every dock back in the window, shown, in the default arrangement.
    void reset();
    /// The window is now `width` wide: across kNarrowWidth from the arrangement in place, the side-by-side
    /// panels become tabs (narrow), or the tabs side by side again (wide). Floating or closed docks are
    /// left where the trader put them.
    void adapt(int width);
    /// Floating docks off every screen come back onto the window's screen; every floating dock is
    /// raised in front.
    void bringFloatingDocksOnScreen();
    /// A rectangle moved (and shrunk if needed) to lie inside `available`, unless it already shows
    /// at least a title bar's worth there. Pure.
    static QRect keptOnScreen(QRect rect, QRect available);
    /// Narrower than this, the bottom panels are tabbed rather than side by side.
    static constexpr int kNarrowWidth = 1400;
    /// From this height the depth chart has room under the ladder and the ticket.
    static constexpr int kTallHeight = 1000;

private:
    QDockWidget* dock(const char* name) const;
    void arrangeBottom(bool narrow);

    QMainWindow* m_window;
    bool m_narrow = false; // how the bottom panels are arranged now (tabs when narrow)
};

} // namespace md
