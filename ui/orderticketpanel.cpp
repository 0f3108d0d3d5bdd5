#include "orderticketpanel.h"

#include "numberformat.h"
#include "tableview.h"
#include "theme.h"

#include "risk/fatfingerguard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace md {

namespace {
QString text(const std::string& s) {
    return QString::fromStdString(s);
}
} // namespace

OrderTicketPanel::OrderTicketPanel(const QStringList& markets, ManualTradingSettings settings, QWidget* parent)
    : QWidget(parent)
    , m_settings(std::move(settings))
    , m_market(new QComboBox(this))
    , m_buy(new QPushButton(tr("Buy"), this))
    , m_sell(new QPushButton(tr("Sell"), this))
    , m_price(new QLineEdit(this))
    , m_quantity(new QLineEdit(this))
    , m_tif(new QComboBox(this))
    , m_postOnly(new QCheckBox(tr("Post-only"), this))
    , m_send(new QPushButton(this))
    , m_cancelAll(new QPushButton(tr("Cancel all"), this))
    , m_flatten(new QPushButton(tr("Flatten"), this))
    , m_status(new QLabel(this))
    , m_notice(new QLabel(this)) {
    m_market->addItems(markets);
    m_market->setObjectName("ticketMarket");
    m_market->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_market->setMinimumContentsLength(10);
    m_buy->setObjectName("ticketBuy");
    m_sell->setObjectName("ticketSell");
    for (auto* b : {m_buy, m_sell}) {
        b->setCheckable(true);
        b->setAutoExclusive(true);
    }
    m_price->setObjectName("ticketPrice");
    m_price->setPlaceholderText(tr("limit price"));
    m_price->setFont(numberFont(font()));
    m_quantity->setObjectName("ticketQuantity");
    m_quantity->setPlaceholderText(tr("quantity"));
    m_quantity->setFont(numberFont(font()));
    m_tif->setObjectName("ticketTif");
    m_tif->addItem(tr("GTC"), static_cast<int>(TimeInForce::Gtc));
    m_tif->addItem(tr("IOC"), static_cast<int>(TimeInForce::Ioc));
    m_tif->setItemData(0, tr("Good till cancelled: rests until cancelled"), Qt::ToolTipRole);
    m_tif->setItemData(1, tr("Immediate or cancel: trades now what it can, the rest is cancelled"), Qt::ToolTipRole);
    m_postOnly->setObjectName("ticketPostOnly");
    m_postOnly->setToolTip(tr("Refused by the venue rather than trade on arrival (maker only)"));
    m_send->setObjectName("ticketSend");
    // Enter on the focused button sends (a prepared ladder click focuses it).
    m_send->setAutoDefault(true);
    m_cancelAll->setObjectName("ticketCancelAll");
    m_cancelAll->setToolTip(tr("Cancels every working order of this run on the market: the strategy's and the "
                               "manual ones (%1)")
                                .arg(text(m_settings.hotkeyCancelAll)));
    m_flatten->setObjectName("ticketFlatten");
    m_flatten->setToolTip(tr("Closes the market's position with a limit order at the touch; refused when the touch "
                             "is more than %1 % from the mid (%2)")
                              .arg(m_settings.flattenBandPercent)
                              .arg(text(m_settings.hotkeyFlatten)));
    m_status->setObjectName("ticketStatus");
    m_status->setWordWrap(true);
    m_notice->setObjectName("ticketNotice");
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Compact (a grid of short rows): the ticket shares the column with the ladder it trades from.
    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(4);
    grid->addWidget(new QLabel(tr("Market"), this), 0, 0);
    grid->addWidget(m_market, 0, 1, 1, 3);
    grid->addWidget(m_buy, 1, 0, 1, 2);
    grid->addWidget(m_sell, 1, 2, 1, 2);
    grid->addWidget(new QLabel(tr("Price"), this), 2, 0);
    grid->addWidget(m_price, 2, 1);
    grid->addWidget(new QLabel(tr("Qty"), this), 2, 2);
    grid->addWidget(m_quantity, 2, 3);
    grid->addWidget(new QLabel(tr("TIF"), this), 3, 0);
    grid->addWidget(m_tif, 3, 1);
    grid->addWidget(m_postOnly, 3, 2, 1, 2);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    auto* actions = new QHBoxLayout;
    actions->addWidget(m_cancelAll);
    actions->addWidget(m_flatten);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addLayout(grid);
    layout->addWidget(m_send);
    layout->addLayout(actions);
    layout->addWidget(m_status);
    layout->addWidget(m_notice);
    layout->addStretch(1);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    connect(m_buy, &QPushButton::clicked, this, [this] { setSide(Side::Bid); });
    connect(m_sell, &QPushButton::clicked, this, [this] { setSide(Side::Ask); });
    connect(m_price, &QLineEdit::textEdited, this, [this] {
        m_prepared.reset();
        updateSendButton();
    });
    connect(m_quantity, &QLineEdit::textChanged, this, &OrderTicketPanel::updateSendButton);
    connect(m_send, &QPushButton::clicked, this, &OrderTicketPanel::send);
    connect(m_cancelAll, &QPushButton::clicked, this, &OrderTicketPanel::requestCancelAll);
    connect(m_flatten, &QPushButton::clicked, this, &OrderTicketPanel::requestFlatten);
    connect(m_market, &QComboBox::currentIndexChanged, this, [this](int market) {
        m_prepared.reset();
        m_view.reset();
        updateSendButton();
        emit marketSelected(market);
    });
    m_confirm = [this](const QString& warning) { return askFatFinger(warning); };
    setSide(Side::Bid);
    say(m_settings.singleClick ? tr("Click-to-trade: a click on a ladder level sends at once.")
                               : tr("Click-to-trade: a click on a ladder level prepares; click it again or press "
                                    "Enter to send."));
}

int OrderTicketPanel::market() const {
    return m_market->currentIndex();
}

void OrderTicketPanel::setMarket(int market) {
    m_market->setCurrentIndex(market);
}

void OrderTicketPanel::setView(const std::shared_ptr<const MarketView>& view) {
    if (!view || static_cast<int>(view->id) != market())
        return;
    m_view = view;
    if (m_quantity->text().isEmpty())
        m_quantity->setText(text(view->instrument.step.toTrimmedString()));
    m_flatten->setEnabled(!view->halted);
    m_notice->setText(text(view->manualNotice));
    m_notice->setToolTip(m_notice->text());
}

void OrderTicketPanel::setSide(Side side) {
    m_side = side;
    m_buy->setChecked(side == Side::Bid);
    m_sell->setChecked(side == Side::Ask);
    updateSendButton();
}

void OrderTicketPanel::updateSendButton() {
    const QString verb = m_side == Side::Bid ? tr("BUY") : tr("SELL");
    const QString what =
        m_price->text().isEmpty() ? verb : tr("%1 %2 @ %3").arg(verb, m_quantity->text(), m_price->text());
    m_send->setText(m_prepared ? tr("Send %1  (click again / Enter)").arg(what) : tr("Send %1").arg(what));
    const ThemeColors& c = themeColors();
    m_send->setStyleSheet(QString("QPushButton#ticketSend { font-weight: bold; color: %1; }")
                              .arg((m_side == Side::Bid ? c.bid : c.ask).name()));
}

void OrderTicketPanel::say(const QString& message, bool bad) {
    m_status->setText(message);
    m_status->setStyleSheet(bad ? QString("color: %1;").arg(themeColors().danger.name()) : QString());
}

QString OrderTicketPanel::statusText() const {
    return m_status->text();
}

void OrderTicketPanel::prepare(Side side, Price price) {
    setSide(side);
    const int scale = m_view ? m_view->instrument.priceScale() : price.scale();
    m_price->setText(priceText(price, scale));
    m_prepared = std::make_pair(side, price);
    updateSendButton();
    m_send->setFocus(Qt::OtherFocusReason);
    say(tr("Prepared: %1 %2 @ %3. Click the level again or press Enter to send.")
            .arg(side == Side::Bid ? tr("buy") : tr("sell"), m_quantity->text(), m_price->text()));
}

void OrderTicketPanel::clickLevel(Side side, Price price) {
    if (m_settings.singleClick || (m_prepared && m_prepared->first == side && m_prepared->second == price)) {
        prepare(side, price);
        send();
        return;
    }
    prepare(side, price);
}

bool OrderTicketPanel::send() {
    m_prepared.reset();
    updateSendButton();
    if (!m_view) {
        say(tr("No book for this market yet: nothing sent."), true);
        return false;
    }
    const Instrument& instrument = m_view->instrument;
    const auto price = Price::parse(m_price->text().trimmed().toStdString(), instrument.priceScale());
    if (!price || !price->isPositive() || !price->isMultipleOf(instrument.tick)) {
        say(tr("Price: \"%1\" is not a positive price on the tick %2. Nothing sent.")
                .arg(m_price->text(), text(instrument.tick.toTrimmedString())),
            true);
        return false;
    }
    const auto quantity = Quantity::parse(m_quantity->text().trimmed().toStdString(), instrument.quantityScale());
    if (!quantity || !quantity->isPositive() || !quantity->isMultipleOf(instrument.step)) {
        say(tr("Quantity: \"%1\" is not a positive quantity on the step %2. Nothing sent.")
                .arg(m_quantity->text(), text(instrument.step.toTrimmedString())),
            true);
        return false;
    }
    ManualOrder order{
        m_side, *price, *quantity, static_cast<TimeInForce>(m_tif->currentData().toInt()), m_postOnly->isChecked(),
        false};
    std::optional<Price> mid;
    if (!m_view->bids.empty() && !m_view->asks.empty())
        mid =
            Price(Decimal((m_view->bids.front().price.decimal().units() + m_view->asks.front().price.decimal().units()),
                          m_view->bids.front().price.scale()) *
                  Decimal(5, 1));
    if (auto warning = FatFingerGuard(m_settings.fatFinger).check(instrument, *price, *quantity, mid)) {
        if (!m_confirm(text(warning->text))) {
            say(tr("Not sent: %1").arg(text(warning->text)), true);
            return false;
        }
        order.confirmed = true;
    }
    say(tr("Sent: %1 %2 @ %3 %4%5")
            .arg(m_side == Side::Bid ? tr("buy") : tr("sell"), text(quantity->toTrimmedString()),
                 text(price->toTrimmedString()), m_tif->currentIndex() == 1 ? "IOC" : "GTC",
                 m_postOnly->isChecked() ? tr(" post-only") : QString()));
    emit orderRequested(static_cast<MarketId>(market()), order);
    return true;
}

bool OrderTicketPanel::sendAtTouch(Side side) {
    if (!m_view || (side == Side::Bid ? m_view->bids.empty() : m_view->asks.empty())) {
        say(tr("No touch on that side: nothing sent."), true);
        return false;
    }
    const Price touch = side == Side::Bid ? m_view->bids.front().price : m_view->asks.front().price;
    prepare(side, touch);
    return send();
}

void OrderTicketPanel::requestCancelAll() {
    say(tr("Cancel-all sent for %1: every working order of this run there.").arg(m_market->currentText()));
    emit cancelAllRequested(static_cast<MarketId>(market()));
}

void OrderTicketPanel::requestFlatten() {
    say(tr("Flatten asked for %1 (limit at the touch, band %2 %).")
            .arg(m_market->currentText())
            .arg(m_settings.flattenBandPercent));
    emit flattenRequested(static_cast<MarketId>(market()));
}

bool OrderTicketPanel::askFatFinger(const QString& warning) {
    QMessageBox box(QMessageBox::Warning, tr("Confirm order"),
                    tr("This order is outside the fat-finger guard:\n\n%1\n\nSend it anyway?").arg(warning),
                    QMessageBox::Yes | QMessageBox::No, this);
    box.setObjectName("fatFingerDialog");
    box.setDefaultButton(QMessageBox::No); // Enter twice must not send a fat finger
    return box.exec() == QMessageBox::Yes;
}

} // namespace md
