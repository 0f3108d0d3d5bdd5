#include "closeoutview.h"

#include "numberformat.h"
#include "theme.h"

#include "engine/closeouttext.h"
#include "positions/moneytext.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace md {
namespace {

QTableWidget* table(const QStringList& headers, QWidget* parent, const char* name) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->horizontalHeader()->setStretchLastSection(true);
    t->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(22);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setTextElideMode(Qt::ElideMiddle);
    t->setWordWrap(false);
    return t;
}

void set(QTableWidget* t, int row, int column, const QString& text, const QColor& colour = {}) {
    auto* item = new QTableWidgetItem(text);
    item->setToolTip(text);
    if (colour.isValid())
        item->setForeground(colour);
    t->setItem(row, column, item);
}

// As tall as its rows, up to `maxRows` (then it scrolls).
void fit(QTableWidget* t, int maxRows) {
    const int rows = std::min(t->rowCount(), maxRows);
    t->setFixedHeight(t->horizontalHeader()->sizeHint().height() + rows * t->verticalHeader()->defaultSectionSize() +
                      2 * t->frameWidth() + 2);
    for (int c = 0; c + 1 < t->columnCount(); ++c)
        t->resizeColumnToContents(c);
}

} // namespace

CloseOutView::CloseOutView(QWidget* parent)
    : QWidget(parent)
    , m_strategy(new QLabel(this))
    , m_markets(table({tr("Market"), tr("Result"), tr("Executed"), tr("Not executed"), tr("Outcome unknown"),
                       tr("Orders left"), tr("Detail")},
                      this, "closeOutMarkets"))
    , m_ordersTitle(new QLabel(this))
    , m_orders(table({tr("Market"), tr("Order"), tr("Side"), tr("Price"), tr("Qty"), tr("Filled"), tr("State")}, this,
                     "closeOutOrders"))
    , m_positions(new QLabel(this))
    , m_money(new QLabel(this)) {
    m_markets->horizontalHeaderItem(3)->setToolTip(tr("Queued, then taken back: they never reached the exchange"));
    m_markets->horizontalHeaderItem(4)->setToolTip(
        tr("Handed to the connector, which never said how they ended: check them on the exchange"));
    m_strategy->setObjectName("closeOutStrategy");
    m_strategy->setWordWrap(true);
    m_ordersTitle->setObjectName("closeOutOrdersTitle");
    m_positions->setObjectName("closeOutPositions");
    m_positions->setWordWrap(true);
    m_positions->setTextFormat(Qt::RichText);
    m_positions->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_money->setObjectName("closeOutMoney");
    m_money->setWordWrap(true);
    m_money->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_strategy);
    layout->addWidget(m_markets);
    layout->addWidget(m_ordersTitle);
    layout->addWidget(m_orders);
    layout->addWidget(m_positions);
    layout->addWidget(m_money);
}

void CloseOutView::setReport(const ShutdownReport& report) {
    const ThemeColors& c = themeColors();
    // The strategy: what really happened, the same words as the log.
    if (report.strategyAnswered) {
        m_strategy->setText(tr("The strategy answered the shutdown in time."));
        m_strategy->setStyleSheet({});
    } else {
        m_strategy->setText(report.strategyAnsweredLate
                                ? tr("The strategy did not answer in time: it answered only after its timeout, when "
                                     "the markets were already stopping (its last orders may have been cancelled "
                                     "mid-way).")
                                : tr("The strategy did NOT answer the shutdown: the markets were stopped without its "
                                     "word (a hedge it was placing may be missing)."));
        m_strategy->setStyleSheet(QString("color: %1; font-weight: 600").arg(c.warning.name()));
    }

    m_markets->setRowCount(static_cast<int>(report.markets.size()));
    for (std::size_t i = 0; i < report.markets.size(); ++i) {
        const auto& m = report.markets[i];
        const int row = static_cast<int>(i);
        std::uint64_t open = 0, unknown = 0;
        for (const auto& o : m.ordersLeft)
            (o.status == OrderStatus::Pending ? unknown : open) += 1;
        set(m_markets, row, 0, QString::fromStdString(m.name));
        set(m_markets, row, 1, m.clean ? tr("clean") : tr("KILLED"), m.clean ? c.ok : c.danger);
        set(m_markets, row, 2, QString::number(m.actionsExecuted));
        set(m_markets, row, 3, QString::number(m.actionsNotExecuted), m.actionsNotExecuted ? c.warning : QColor());
        set(m_markets, row, 4, QString::number(m.actionsOutcomeUnknown), m.actionsOutcomeUnknown ? c.danger : QColor());
        // Unknown is said as such, never as 0 (the market was cut short: nobody knows what is open). What
        // the desk last saw of it is said beside.
        QString left = unknown ? tr("%1 open, %2 unknown").arg(open).arg(unknown) : QString::number(open);
        if (!m.ordersLeftOpen)
            left = m.ordersLeft.empty() ? tr("unknown") : tr("unknown (last seen: %1)").arg(left);
        if (m.verified)
            left += tr(" (exchange says %1)").arg(m.openOnExchange.size());
        set(m_markets, row, 5, left, open || unknown || !m.ordersLeftOpen ? c.danger : QColor());
        set(m_markets, row, 6, QString::fromStdString(m.detail));
    }
    fit(m_markets, 8);

    // Every order left behind, one row each.
    int rows = 0;
    for (const auto& m : report.markets)
        rows += static_cast<int>(m.ordersLeft.size());
    m_orders->setRowCount(rows);
    int row = 0;
    for (const auto& m : report.markets) {
        const QString market = QString::fromStdString(m.name);
        for (const auto& o : m.ordersLeft) {
            const bool unknown = o.status == OrderStatus::Pending;
            set(m_orders, row, 0, market);
            set(m_orders, row, 1, orderIdText(market, o.id));
            set(m_orders, row, 2, o.side == Side::Bid ? tr("BUY") : tr("SELL"), o.side == Side::Bid ? c.bid : c.ask);
            set(m_orders, row, 3, QString::fromStdString(o.price.toString()));
            set(m_orders, row, 4, QString::fromStdString(o.quantity.toString()));
            set(m_orders, row, 5, QString::fromStdString(o.filled.toString()));
            set(m_orders, row, 6, unknown ? tr("unknown outcome: sent, never acknowledged") : tr("open"),
                unknown ? c.danger : c.warning);
            ++row;
        }
    }
    m_ordersTitle->setText(
        rows == 0   ? tr("No order of ours was left open.")
        : rows == 1 ? tr("1 order left open or of unknown outcome — check it on the exchange:")
                    : tr("%1 orders left open or of unknown outcome — check them on the exchange:").arg(rows));
    m_ordersTitle->setStyleSheet(rows ? QString("color: %1; font-weight: 700").arg(c.danger.name()) : QString());
    m_orders->setVisible(rows > 0);
    fit(m_orders, 8);

    // The position left per base asset (the money's one figure: fees taken in the base included); a base
    // asset that is not flat is exposure.
    if (report.money.assets.empty()) {
        m_positions->setText(tr("Position left: nothing traded."));
        m_positions->setStyleSheet({});
    } else {
        QStringList parts;
        for (const auto& a : report.money.assets) {
            const QString text = QString::fromStdString(a.asset + " " + signedDecimal(a.position));
            parts << (a.position.isZero()
                          ? text.toHtmlEscaped()
                          : QString("<b style='color:%1'>%2</b>").arg(c.danger.name(), text.toHtmlEscaped()));
        }
        m_positions->setText(
            tr("Position left per asset: %1%2")
                .arg(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")),
                     report.exposure.empty() ? QString() : tr(" &nbsp;— <b>exposure left behind</b>")));
    }

    // The position left per market and the P&L per currency (restored positions included): the same
    // words as the log's.
    QStringList money;
    for (const auto& line : moneytext::closeOutLines(report.money, false)) // the per-asset line is above
        money << QString::fromStdString(line).toHtmlEscaped();
    m_money->setText(money.join(QStringLiteral("<br>")));
}

} // namespace md
