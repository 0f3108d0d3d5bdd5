#pragma once

#include "journal/sqlitejournal.h"

#include <QStringList>
#include <QToolBar>

#include <vector>

class QLabel;
class QPushButton;

namespace md {

/// The amber strip that says which orders earlier runs left open (from the journal, confirmed or
/// not yet checked on the exchange) and cancels them with one click. It shows what it is given;
/// the window decides what the click does. Hidden while there is nothing to say.
/// Thread: the UI thread.
class LeftoverOrdersBar : public QToolBar {
    Q_OBJECT
public:
    explicit LeftoverOrdersBar(QWidget* parent = nullptr);

    void setOrders(std::vector<JournalOrder> orders);
    const std::vector<JournalOrder>& orders() const { return m_orders; }
    /// The markets the shown orders belong to, in order of first appearance.
    QStringList markets() const;

    QLabel* label() const { return m_label; }
    QPushButton* cancelButton() const { return m_cancel; }

signals:
    void cancelRequested(const QStringList& markets);

private:
    std::vector<JournalOrder> m_orders;
    QLabel* m_label;
    QPushButton* m_cancel;
};

} // namespace md
