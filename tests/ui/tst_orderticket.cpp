// The trader's order ticket, click-to-trade on the ladder, the fat-finger confirmation and the hotkeys
// (issue 15 parts 4, 5, 8), in the real window offscreen over two simulated markets. With
// MD_SCREENSHOT_DIR set, saves docs/screenshot-manual-trading.png (ticket, ladder, confirmation).
#include "bookpanel.h"
#include "desk.h"
#include "numberformat.h"
#include "orderbookmodel.h"
#include "ordersmodel.h"
#include "orderticketpanel.h"

#include "domain/orderowner.h"
#include "logging/logging.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QPainter>
#include <QTableView>
#include <QTest>

using namespace md;
using namespace md::test;

namespace {

DeskOptions noStrategy(bool singleClick = false) {
    DeskOptions o;
    o.strategy = QJsonObject{{"kind", "none"}};
    o.manual.singleClick = singleClick;
    o.manual.fatFinger = FatFingerLimits{5, Decimal::parse("20000")};
    return o;
}

bool hasBook(const Desk& desk, MarketId m) {
    auto v = desk.engine->marketView(m);
    return v && !v->bids.empty() && !v->asks.empty();
}

/// The trader's orders on a market as the engine's view holds them.
std::vector<OrderView> manualOrders(const Desk& desk, MarketId m) {
    std::vector<OrderView> out;
    if (auto v = desk.engine->marketView(m))
        for (const auto* list : {&v->openOrders, &v->closedOrders})
            for (const auto& o : *list)
                if (o.owner == kManualOwner)
                    out.push_back(o);
    return out;
}

/// Clicks the ladder's row of the best bid (the row under the best ask).
std::optional<Price> clickBestBid(MainWindow& window) {
    BookPanel* book = window.bookPanel();
    const int row = book->model()->bestAskRow() + 1;
    const auto level = book->model()->levelAt(row);
    if (!level)
        return std::nullopt;
    QTableView* ladder = book->view();
    ladder->scrollTo(book->model()->index(row, OrderBookModel::Price));
    const QRect cell = ladder->visualRect(book->model()->index(row, OrderBookModel::Price));
    QTest::mouseClick(ladder->viewport(), Qt::LeftButton, {}, cell.center());
    return level->second;
}

} // namespace

class TestOrderTicket : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    // A click on a bid level prepares a buy at its price; a second click on it sends it; the order is
    // the trader's (Source "manual" in the orders panel) and rests on the exchange.
    void clickPreparesSecondClickSends() {
        Desk desk(noStrategy());
        desk.window->resize(1280, 800);
        QTRY_VERIFY_WITH_TIMEOUT(hasBook(desk, 1), 20000);
        desk.window->bookPanel()->setMarket(1); // selects the market everywhere
        OrderTicketPanel* ticket = desk.window->ticketPanel();
        ticket->findChild<QLineEdit*>("ticketQuantity")->setText("0.01");
        QTRY_VERIFY_WITH_TIMEOUT(
            desk.window->bookPanel()->model()->levelAt(desk.window->bookPanel()->model()->bestAskRow() + 1), 5000);
        // Freeze the ladder's rows between the two clicks: the book moves, a level's row may not.
        const auto price = clickBestBid(*desk.window);
        QVERIFY(price);
        QVERIFY(ticket->isPrepared());
        QCOMPARE(ticket->findChild<QLineEdit*>("ticketPrice")->text(),
                 priceText(*price, desk.engine->marketView(1)->instrument.priceScale()));
        QTest::qWait(300);
        QVERIFY2(manualOrders(desk, 1).empty(), "a single click must only prepare the order");
        // The second click on that level sends (re-prepared at the same price: the same level).
        ticket->clickLevel(Side::Bid, *price);
        QTRY_VERIFY_WITH_TIMEOUT(!manualOrders(desk, 1).empty(), 5000);
        const OrderView o = manualOrders(desk, 1).front();
        QCOMPARE(o.price, *price);
        QCOMPARE(o.quantity.toTrimmedString(), std::string("0.01"));
        QCOMPARE(o.side, Side::Bid);
        // The orders panel says whose it is.
        OrdersModel* orders = desk.window->ordersModel();
        QTRY_VERIFY_WITH_TIMEOUT(orders->rowOf(1, o.id) >= 0, 5000);
        QCOMPARE(orders->index(orders->rowOf(1, o.id), OrdersModel::Source).data().toString(), QString("manual"));
    }

    // Single-click mode: the first click sends.
    void singleClickModeSendsAtOnce() {
        Desk desk(noStrategy(true));
        QTRY_VERIFY_WITH_TIMEOUT(hasBook(desk, 1), 20000);
        desk.window->bookPanel()->setMarket(1); // selects the market everywhere
        desk.window->ticketPanel()->findChild<QLineEdit*>("ticketQuantity")->setText("0.01");
        QTRY_VERIFY_WITH_TIMEOUT(
            desk.window->bookPanel()->model()->levelAt(desk.window->bookPanel()->model()->bestAskRow() + 1), 5000);
        QVERIFY(clickBestBid(*desk.window));
        QTRY_VERIFY_WITH_TIMEOUT(!manualOrders(desk, 1).empty(), 5000);
    }

    // The fat-finger guard: a price 10 % under the mid asks, showing the distance and the notional;
    // "No" sends nothing, "Yes" sends it (marked confirmed, the engine lets it through its own check).
    void fatFingerAsksFirst() {
        Desk desk(noStrategy());
        desk.window->resize(1280, 800);
        desk.window->findChild<QAction*>("resetLayoutAction")->trigger(); // the first-start arrangement at this size
        QTRY_VERIFY_WITH_TIMEOUT(hasBook(desk, 1), 20000);
        desk.window->bookPanel()->setMarket(1); // selects the market everywhere
        QTest::qWait(200);                      // the ticket has the market's view
        OrderTicketPanel* ticket = desk.window->ticketPanel();
        const auto view = desk.engine->marketView(1);
        const Price far = view->bids.front().price.roundedTo(view->instrument.tick, Rounding::Down) -
                          Price(Decimal::parse("6425.0").value());
        ticket->findChild<QLineEdit*>("ticketQuantity")->setText("0.01");
        ticket->findChild<QLineEdit*>("ticketPrice")->setText(QString::fromStdString(far.toString()));

        BoxAnswer no;
        no.answer("No");
        QVERIFY(!ticket->send());
        QVERIFY(no.came);
        QVERIFY2(no.seen.contains("% from the mid") && no.seen.contains("notional"), qPrintable(no.seen));
        QTest::qWait(300);
        QVERIFY(manualOrders(desk, 1).empty());

        // Yes: sent. The screenshot shows the ticket, the ladder and the question over them.
        bool asked = false;
        QTimer::singleShot(0, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box)
                return;
            asked = true;
            if (qEnvironmentVariableIsSet("MD_SCREENSHOT_DIR")) {
                QPixmap shot = desk.window->grab();
                const QPixmap dialog = box->grab();
                QPainter painter(&shot);
                painter.drawPixmap((shot.width() - dialog.width()) / 2, (shot.height() - dialog.height()) / 3, dialog);
                painter.end();
                shot.save(qEnvironmentVariable("MD_SCREENSHOT_DIR") + "/screenshot-manual-trading.png");
            }
            box->button(QMessageBox::Yes)->click();
        });
        QVERIFY(ticket->send());
        QVERIFY(asked);
        QTRY_VERIFY_WITH_TIMEOUT(!manualOrders(desk, 1).empty(), 5000);
        QCOMPARE(manualOrders(desk, 1).front().price, far);
        QTRY_COMPARE_WITH_TIMEOUT(manualOrders(desk, 1).front().status, OrderStatus::Open, 5000);
    }

    // Hotkeys: buy at the touch, cancel-all (through the window's actions and their configured keys).
    void hotkeysBuyAtTouchAndCancelAll() {
        Desk desk(noStrategy());
        QTRY_VERIFY_WITH_TIMEOUT(hasBook(desk, 1), 20000);
        desk.window->bookPanel()->setMarket(1); // selects the market everywhere
        QTest::qWait(200);
        desk.window->ticketPanel()->findChild<QLineEdit*>("ticketQuantity")->setText("0.01");
        auto* buy = desk.window->findChild<QAction*>("buyAtTouchAction");
        QVERIFY(buy);
        QCOMPARE(buy->shortcut(), QKeySequence("Ctrl+B"));
        desk.window->activateWindow();
        QTest::keyClick(desk.window.get(), Qt::Key_B, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!manualOrders(desk, 1).empty(), 5000);
        const OrderView bought = manualOrders(desk, 1).front();
        QCOMPARE(bought.side, Side::Bid);
        QCOMPARE(bought.quantity.toTrimmedString(), std::string("0.01"));
        // Cancel-all (its hotkey's action) on an order resting well under the touch (it cannot fill meanwhile).
        const auto view = desk.engine->marketView(1);
        const Price low = view->bids.front().price - Price(Decimal::parse("500.0").value());
        desk.engine->placeManualOrder(
            1, ManualOrder{Side::Bid, low, *Quantity::parse("0.01"), TimeInForce::Gtc, false, true});
        const auto resting = [&] {
            for (const auto& o : desk.engine->marketView(1)->openOrders)
                if (o.owner == kManualOwner && o.price == low && o.status == OrderStatus::Open)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(resting(), 5000);
        QCOMPARE(desk.window->findChild<QAction*>("cancelAllAction")->shortcut(), QKeySequence("Ctrl+Shift+X"));
        desk.window->findChild<QAction*>("cancelAllAction")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(desk.engine->marketView(1)->openOrders.empty(), 5000);
        bool cancelled = false;
        for (const auto& o : manualOrders(desk, 1))
            cancelled = cancelled || (o.price == low && o.status == OrderStatus::Cancelled);
        QVERIFY(cancelled);
    }
};

QTEST_MAIN(TestOrderTicket)
#include "tst_orderticket.moc"
