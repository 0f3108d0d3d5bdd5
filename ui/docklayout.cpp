#include "docklayout.h"

#include <QAbstractItemView>
#include <QDockWidget>
#include <QGuiApplication>
#include <QMainWindow>
#include <QScreen>
#include <QTimer>

#include <algorithm>

namespace md {

DockLayout::DockLayout(QMainWindow* window)
    : QObject(window)
    , m_window(window) {
    // A floating dock shown again (View menu) comes back where it can be seen, in front.
    for (auto* d : m_window->findChildren<QDockWidget*>())
        connect(d, &QDockWidget::visibilityChanged, this, [this, d](bool visible) {
            if (visible && d->isFloating())
                QTimer::singleShot(0, this, &DockLayout::bringFloatingDocksOnScreen);
        });
}

QDockWidget* DockLayout::dock(const char* name) const {
    return m_window->findChild<QDockWidget*>(name);
}

void DockLayout::arrangeDefault() {
    auto* markets = dock("marketsDock");
    auto* book = dock("bookDock");
    auto* reasoning = dock("reasoningDock");
    auto* orders = dock("ordersDock");
    for (auto* d : m_window->findChildren<QDockWidget*>()) {
        d->setFloating(false);
        d->show();
    }
    m_window->addDockWidget(Qt::TopDockWidgetArea, markets);
    m_window->addDockWidget(Qt::LeftDockWidgetArea, book);
    // The order ticket under the ladder it trades from (narrow: on the right); the trades tape on the
    // right under the reasoning (narrow: a tab at the bottom).
    // The depth chart goes under the ticket only when the window is tall enough for the ladder to keep
    // a useful height beside both; otherwise it is a tab behind the tape. The ladder keeps its width.
    auto* tape = dock("tapeDock");
    auto* depth = dock("depthDock");
    auto* ticket = dock("ticketDock");
    const int width = m_window->width();
    if (ticket && width >= kNarrowWidth)
        m_window->splitDockWidget(book, ticket, Qt::Vertical);
    const int height = m_window->height();
    const bool depthUnderLadder = depth && width >= kNarrowWidth && height >= kTallHeight;
    if (depthUnderLadder)
        m_window->splitDockWidget(ticket ? ticket : book, depth, Qt::Vertical);
    arrangeBottom(width < kNarrowWidth);
    // The markets strip as tall as its markets (up to a quarter of the window), the ladder and the
    // reasoning a quarter and two sevenths of the width, the bottom panels a third of the height.
    int rows = 2;
    if (auto* view = markets->findChild<QAbstractItemView*>())
        rows = std::max(1, view->model() ? view->model()->rowCount() : 2);
    m_window->resizeDocks({markets}, {std::clamp(24 * rows + 56, 80, height / 4)}, Qt::Vertical);
    if (width < kNarrowWidth)
        m_window->resizeDocks({book}, {std::clamp(width / 4, 250, 440)}, Qt::Horizontal);
    else
        m_window->resizeDocks({book, reasoning}, {std::clamp(width / 4, 250, 440), std::clamp(width * 2 / 7, 250, 640)},
                              Qt::Horizontal);
    m_window->resizeDocks({orders}, {std::clamp(height * 3 / 10, 190, 420)}, Qt::Vertical);
    if (tape && depth) {
        if (width < kNarrowWidth) {
            // Narrow: the ladder keeps the whole left column; the order ticket has the right column to
            // itself, and the tape and the depth chart join the tabs at the bottom (a tape stacked
            // under the ticket would not let the window fit 1024x700).
            if (ticket) {
                m_window->addDockWidget(Qt::RightDockWidgetArea, ticket);
                m_window->resizeDocks({ticket}, {std::clamp(width / 4, 240, 360)}, Qt::Horizontal);
            }
            m_window->tabifyDockWidget(orders, tape);
            m_window->tabifyDockWidget(tape, depth);
            orders->raise();
        } else {
            m_window->splitDockWidget(reasoning, tape, Qt::Vertical);
            if (depthUnderLadder) {
                m_window->resizeDocks({book, depth}, {height / 2, std::clamp(height / 5, 140, 260)}, Qt::Vertical);
            } else {
                m_window->tabifyDockWidget(tape, depth);
                tape->raise();
            }
        }
    }
    if (ticket && width >= kNarrowWidth) // the ticket as tall as it needs, the ladder the rest
        m_window->resizeDocks({ticket}, {ticket->widget()->minimumSizeHint().height() + 28}, Qt::Vertical);
}

void DockLayout::arrangeBottom(bool narrow) {
    auto* reasoning = dock("reasoningDock");
    auto* orders = dock("ordersDock");
    auto* log = dock("logDock");
    auto* alerts = dock("alertsDock");
    m_narrow = narrow;
    m_window->addDockWidget(Qt::BottomDockWidgetArea, orders);
    // Positions and balances are tabs beside the orders in both arrangements: the money next to the
    // orders that made it.
    const auto besideOrders = [this, orders] {
        for (const char* name : {"positionsDock", "balancesDock", "strategiesDock"})
            if (auto* d = dock(name))
                m_window->tabifyDockWidget(orders, d);
    };
    if (!narrow) {
        // Ladder left, chart in the middle, reasoning right; orders and log side by side at the bottom,
        // alerts tabbed behind the log.
        m_window->addDockWidget(Qt::RightDockWidgetArea, reasoning);
        m_window->addDockWidget(Qt::BottomDockWidgetArea, log);
        m_window->splitDockWidget(orders, log, Qt::Horizontal);
        m_window->tabifyDockWidget(log, alerts);
        besideOrders();
        orders->raise();
        log->raise();
        const int width = m_window->width();
        m_window->resizeDocks({orders, log}, {width * 7 / 16, width * 9 / 16}, Qt::Horizontal);
    } else {
        // Narrow: the chart keeps the middle; orders, log, reasoning and alerts share the bottom as tabs,
        // each with the whole width (a table squeezed to a third of 1024 px shows nothing readable).
        // Tabbed straight onto the orders (never side by side first: that would widen the window).
        besideOrders();
        m_window->tabifyDockWidget(orders, log);
        m_window->tabifyDockWidget(orders, reasoning);
        m_window->tabifyDockWidget(orders, alerts);
        orders->raise();
    }
}

void DockLayout::adapt(int newWidth) {
    const bool narrow = newWidth < kNarrowWidth;
    if (narrow == m_narrow)
        return;
    // Only docks that sit in the window and show are moved: a floating or closed panel is the trader's.
    for (const char* name : {"bookDock", "reasoningDock", "ordersDock", "logDock", "alertsDock", "positionsDock",
                             "balancesDock", "ticketDock", "tapeDock", "depthDock"}) {
        auto* d = dock(name);
        // (A dock behind another's tab is hidden too, but not closed: its View menu entry stays checked.
        // Before the window shows, nothing has been closed yet.)
        if (!d || d->isFloating() || (m_window->isVisible() && !d->toggleViewAction()->isChecked()))
            return;
    }
    // The whole default arrangement for the new width: the ticket, the tape and the depth chart move
    // between the narrow and the wide places too, not only the bottom panels.
    arrangeDefault();
    // Moving docks may have asked for room for a moment: the window keeps the size it was given.
    const QSize wanted(newWidth, m_window->height());
    QTimer::singleShot(0, m_window, [window = m_window, wanted] {
        if (window->width() > wanted.width())
            window->resize(wanted);
    });
}

bool DockLayout::restore(const QByteArray& geometry, const QByteArray& state) {
    if (!m_window->restoreGeometry(geometry)) {
        // The first start: most of the screen, never more than it.
        const QRect available = m_window->screen() ? m_window->screen()->availableGeometry() : QRect(0, 0, 1600, 940);
        m_window->resize(std::min(1600, available.width()), std::min(940, available.height()));
    }
    const bool restored = m_window->restoreState(state);
    if (!restored)
        arrangeDefault();
    else
        m_narrow = m_window->width() < kNarrowWidth; // the trader's arrangement: changed only across the line
    bringFloatingDocksOnScreen();
    return restored;
}

void DockLayout::reset() {
    arrangeDefault();
    const QRect available = m_window->screen() ? m_window->screen()->availableGeometry() : QRect();
    if (available.isValid() && !available.contains(m_window->frameGeometry()))
        m_window->setGeometry(keptOnScreen(m_window->geometry(), available));
}

QRect DockLayout::keptOnScreen(QRect rect, QRect available) {
    // Visible enough: a title bar's worth of it (to grab and move) lies on the screen.
    const QRect titleBar(rect.topLeft(), QSize(rect.width(), 24));
    if (available.intersected(titleBar).width() >= std::min(100, rect.width()) && rect.top() >= available.top())
        return rect;
    rect.setSize(rect.size().boundedTo(available.size()));
    rect.moveTopLeft(QPoint(std::clamp(rect.left(), available.left(), available.right() - rect.width() + 1),
                            std::clamp(rect.top(), available.top(), available.bottom() - rect.height() + 1)));
    return rect;
}

void DockLayout::bringFloatingDocksOnScreen() {
    for (auto* d : m_window->findChildren<QDockWidget*>()) {
        if (!d->isFloating() || !d->isVisible())
            continue;
        // On the screen it is on, if any; else on the window's.
        QScreen* screen = QGuiApplication::screenAt(d->geometry().center());
        if (!screen)
            screen = m_window->screen();
        if (screen) {
            const QRect kept = keptOnScreen(d->geometry(), screen->availableGeometry());
            if (kept != d->geometry())
                d->setGeometry(kept);
        }
        d->raise();
        d->activateWindow();
    }
}

} // namespace md
