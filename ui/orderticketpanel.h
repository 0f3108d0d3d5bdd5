#pragma once

#include "engine/manualorder.h"
#include "engine/marketview.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace md {

/// The trader's order ticket (issue 15 part 4): market, side, limit price, quantity, time in force,
/// post-only; Send, Cancel all (the market's working orders) and Flatten. A level clicked on the ladder
/// prepares an order at its price with the ticket's quantity; a second click on that level, Send or
/// Enter sends it (or the first click, in single-click mode). Before anything is sent the fat-finger
/// guard asks for confirmation (distance from the mid in %, notional). What it asks is emitted as
/// orderRequested; the engine checks everything again (risk gate, the guard against its own book).
/// Thread: the UI thread.
class OrderTicketPanel : public QWidget {
    Q_OBJECT
public:
    OrderTicketPanel(const QStringList& markets, ManualTradingSettings settings, QWidget* parent = nullptr);

    /// The latest view of the ticket's market (its touch and mid for the guard, the engine's notice).
    void setView(const std::shared_ptr<const MarketView>& view);
    int market() const;
    void setMarket(int market);
    /// A ladder click: prepares (or, when this level is already prepared or in single-click mode, sends).
    void clickLevel(Side side, Price price);
    /// Fills the ticket with side and price, the quantity kept; Send is focused (Enter sends).
    void prepare(Side side, Price price);
    /// Sends what the ticket holds (through the fat-finger guard); false when nothing was sent.
    bool send();
    /// Hotkeys: the ticket's quantity at the touch of that side (a buy joins the best bid, a sell the best ask).
    bool sendAtTouch(Side side);
    void requestCancelAll();
    void requestFlatten();
    /// How the guard asks (a modal QMessageBox by default; tests may answer it themselves).
    void setConfirmer(std::function<bool(const QString& text)> confirm) { m_confirm = std::move(confirm); }
    bool isPrepared() const { return m_prepared.has_value(); }
    QString statusText() const;

signals:
    void marketSelected(int market);
    void orderRequested(md::MarketId market, md::ManualOrder order);
    void cancelAllRequested(md::MarketId market);
    void flattenRequested(md::MarketId market);

private:
    void setSide(Side side);
    void updateSendButton();
    void say(const QString& text, bool bad = false);
    bool askFatFinger(const QString& text);

    ManualTradingSettings m_settings;
    std::shared_ptr<const MarketView> m_view;
    std::function<bool(const QString&)> m_confirm;
    QComboBox* m_market;
    QPushButton* m_buy;
    QPushButton* m_sell;
    QLineEdit* m_price;
    QLineEdit* m_quantity;
    QComboBox* m_tif;
    QCheckBox* m_postOnly;
    QPushButton* m_send;
    QPushButton* m_cancelAll;
    QPushButton* m_flatten;
    QLabel* m_status;
    QLabel* m_notice;
    Side m_side = Side::Bid;
    std::optional<std::pair<Side, Price>> m_prepared; // the ladder level a click prepared
};

} // namespace md
