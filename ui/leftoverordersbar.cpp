#include "leftoverordersbar.h"

#include <QLabel>
#include <QPushButton>
#include <QSizePolicy>

#include <map>

namespace md {

LeftoverOrdersBar::LeftoverOrdersBar(QWidget* parent)
    : QToolBar(tr("Orders left by an earlier run"), parent)
    , m_label(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel them"), this)) {
    setObjectName("leftoverBar");
    setMovable(false);
    setFloatable(false);
    toggleViewAction()->setVisible(false);
    m_label->setObjectName("leftoverBanner");
    m_label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_label->setTextFormat(Qt::PlainText);
    m_cancel->setObjectName("leftoverCancel");
    m_cancel->setToolTip(
        tr("Cancel, on each exchange, the orders earlier runs left open (this run's orders are kept)"));
    addWidget(m_label);
    addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_cancel->setText(tr("Cancelling…"));
        emit cancelRequested(markets());
    });
    hide();
}

QStringList LeftoverOrdersBar::markets() const {
    QStringList out;
    for (const auto& o : m_orders)
        if (!out.contains(QString::fromStdString(o.market)))
            out << QString::fromStdString(o.market);
    return out;
}

void LeftoverOrdersBar::setOrders(std::vector<JournalOrder> orders) {
    m_orders = std::move(orders);
    if (m_orders.empty()) {
        hide();
        return;
    }
    // "3 orders left open by an earlier run — binance-btc: 2 · sim-b: 1", then one line per order in the tooltip.
    std::map<std::string, int> perMarket;
    QString details;
    for (const auto& o : m_orders) {
        ++perMarket[o.market];
        details +=
            QString("%1  #%2  %3 %4 @ %5  (%6, run %7)\n")
                .arg(QString::fromStdString(o.market))
                .arg(o.id)
                .arg(QString::fromStdString(o.side), QString::fromStdString(o.quantity),
                     QString::fromStdString(o.price), QString::fromStdString(o.status), QString::fromStdString(o.run));
    }
    QStringList parts;
    for (const QString& market : markets())
        parts << QString("%1: %2").arg(market).arg(perMarket[market.toStdString()]);
    const QString count = m_orders.size() == 1 ? tr("1 order") : tr("%1 orders").arg(m_orders.size());
    m_label->setText(tr("⚠  %1 left open by an earlier run  —  %2").arg(count, parts.join(QStringLiteral("  ·  "))));
    m_label->setToolTip(details.trimmed());
    // A new list is the exchange's answer after the last click: the button works again.
    m_cancel->setEnabled(true);
    m_cancel->setText(tr("Cancel them"));
    show();
}

} // namespace md
