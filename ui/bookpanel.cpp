#include "bookpanel.h"

#include "numberformat.h"
#include "orderbookmodel.h"
#include "segmentedlabel.h"
#include "tableview.h"
#include "theme.h"

#include <QComboBox>
#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace md {

BookPanel::BookPanel(const QStringList& markets, int depth, QWidget* parent)
    : QWidget(parent)
    , m_model(new OrderBookModel(depth, this))
    , m_market(new QComboBox(this))
    , m_top(new SegmentedLabel(this))
    , m_ladder(makeTable(m_model, this, "bookView")) {
    m_market->addItems(markets);
    m_market->setObjectName("bookMarket");
    // A long market name does not widen the panel: the box elides, the tooltip has it whole.
    m_market->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_market->setMinimumContentsLength(10);
    for (int i = 0; i < m_market->count(); ++i)
        m_market->setItemData(i, m_market->itemText(i), Qt::ToolTipRole);
    m_market->setToolTip(m_market->currentText());
    m_top->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_top->setObjectName("bookTop");
    m_top->setFont(numberFont(font()));
    m_ladder->setSelectionMode(QAbstractItemView::NoSelection);
    m_ladder->setAlternatingRowColors(false);
    m_ladder->setFocusPolicy(Qt::NoFocus);
    m_ladder->verticalHeader()->setDefaultSectionSize(18);
    QHeaderView* header = m_ladder->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Stretch);
    header->setSectionResizeMode(OrderBookModel::Mine, QHeaderView::Fixed);
    m_ladder->setColumnWidth(OrderBookModel::Mine, 64);
    // The ladder never narrows below whole prices and sizes: an elided price ("64250…") cannot be
    // traded on. Wide enough for nine digits with a point in each number column.
    const int number = QFontMetrics(numberFont(font())).horizontalAdvance(QStringLiteral("888888.888")) + 12;
    m_ladder->setMinimumWidth(64 + 3 * number + m_ladder->verticalScrollBar()->sizeHint().width() + 4);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 6, 2);
    bar->setSpacing(8);
    bar->addWidget(m_market);
    bar->addWidget(m_top, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_ladder, 1);
    connect(m_market, &QComboBox::currentIndexChanged, this, [this](int market) {
        m_centred = false;
        m_market->setToolTip(m_market->currentText());
        emit marketSelected(market);
    });
    m_ladder->viewport()->installEventFilter(this);
    connect(m_ladder, &QTableView::clicked, this, [this](const QModelIndex& index) {
        if (auto level = m_model->levelAt(index.row()))
            emit levelClicked(level->first, level->second);
    });
    m_ladder->setCursor(Qt::PointingHandCursor);
    m_ladder->setToolTip(tr("Click a level to prepare an order at its price (a bid buys, an ask sells); click "
                            "again or press Enter on the ticket to send it"));
}

void BookPanel::centreSpread() {
    if (m_model->rowCount() > 0)
        m_ladder->scrollTo(m_model->index(m_model->bestAskRow(), 0), QAbstractItemView::PositionAtCenter);
}

bool BookPanel::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize && m_centred && watched == m_ladder->viewport())
        QTimer::singleShot(0, this, &BookPanel::centreSpread);
    return QWidget::eventFilter(watched, event);
}

void BookPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    // View → Theme: the top line's bid, ask and muted colours are the theme's, chosen when the quote came;
    // a market that is not quoting (stopped, stalled) would keep the old theme's until its next quote.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        setView(m_view);
}

void BookPanel::setMarket(int market) {
    m_market->setCurrentIndex(market); // emits marketSelected when it changes
}

void BookPanel::setView(const std::shared_ptr<const MarketView>& view) {
    const bool firstBook = !m_centred && view && !view->bids.empty();
    m_view = view;
    m_model->setView(view);
    if (firstBook) {
        centreSpread();
        m_centred = true;
    }
    if (!view || view->bids.empty() || view->asks.empty()) {
        m_top->setSegments({{tr("no book"), {}}});
        return;
    }
    const ThemeColors& c = themeColors();
    const int scale = view->instrument.priceScale();
    const Price bid = view->bids.front().price;
    const Price ask = view->asks.front().price;
    const Price spread(ask.decimal() - bid.decimal());
    const double mid = (bid.toDouble() + ask.toDouble()) / 2;
    const double bps = mid > 0 ? spread.toDouble() / mid * 1e4 : 0;
    const QString bp = QString::number(bps, 'f', bps < 0.1 ? 3 : 2);
    m_top->setSegments({{priceText(bid, scale), c.bid},
                        {QStringLiteral(" / "), {}},
                        {priceText(ask, scale), c.ask},
                        {QStringLiteral("   spread "), c.muted},
                        {priceText(spread, scale), {}},
                        {QStringLiteral(" (%1 bp)").arg(bp), c.muted}});
}

} // namespace md
