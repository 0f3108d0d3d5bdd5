// The order side of Binance's wire protocol: REST answers and user-data events parsed exactly (bare
// and wrapped), error bodies, exchange info, and the tracker that merges REST answers and execution
// reports arriving in any order into Placed, Filled..., then one Cancelled or Done.
#include "binance/orderparser.h"
#include "binance/ordertracker.h"

#include <QTest>

using namespace md;
using namespace md::binance;

namespace {

// Shapes as in Binance's Spot API documentation (values changed).
const QByteArray kExecutionReport =
    R"({"e":"executionReport","E":1499405658658,"s":"BTCUSDT","c":"md-7","S":"BUY","o":"LIMIT","f":"GTC",)"
    R"("q":"0.00300000","p":"64000.00000000","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"TRADE",)"
    R"("X":"PARTIALLY_FILLED","r":"NONE","i":4293153,"l":"0.00100000","z":"0.00100000","L":"63999.50000000",)"
    R"("n":"0","N":null,"T":1499405658657,"t":11,"I":8641984,"w":false,"m":false,"M":false,)"
    R"("O":1499405658657,"Z":"63.99950000","Y":"63.99950000","Q":"0.00000000","W":1499405658657,"V":"NONE"})";

std::vector<std::string> names(const std::vector<TradingEventPayload>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        std::visit(Overloaded{[&](const OrderPlaced& p) { out.push_back("placed " + std::to_string(p.id)); },
                              [&](const OrderFilled& f) {
                                  out.push_back("filled " + f.quantity.toString() + "@" + f.price.toString());
                              },
                              [&](const OrderCancelled&) { out.push_back("cancelled"); },
                              [&](const OrderDone&) { out.push_back("done"); },
                              [&](const OrderRejected& r) { out.push_back("rejected: " + r.reason); },
                              [&](const auto&) { out.push_back("other"); }},
                   e);
    return out;
}

OrderReport report(const char* status, const char* executed, const char* quote) {
    OrderReport r;
    r.clientOrderId = "md-7";
    r.side = Side::Bid;
    r.status = status;
    r.price = *Price::parse("64000.00");
    r.quantity = *Quantity::parse("0.00300");
    r.executed = *Quantity::parse(executed);
    r.executedQuote = *Notional::parse(quote);
    return r;
}

} // namespace

class TestOrderWire : public QObject {
    Q_OBJECT
private slots:
    void executionReportIsParsedExactly_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("bare") << kExecutionReport;
        QTest::newRow("WebSocket API {\"event\": ...}")
            << QByteArray(R"({"subscriptionId":0,"event":)") + kExecutionReport + "}";
        QTest::newRow("combined stream {\"data\": ...}")
            << QByteArray(R"({"stream":"x","data":)") + kExecutionReport + "}";
    }
    void executionReportIsParsedExactly() {
        QFETCH(QByteArray, frame);
        const OrderParser parser(2, 5);
        auto parsed = parser.parseUserData(frame);
        QVERIFY(std::holds_alternative<UserDataEvent>(parsed));
        const auto& r = std::get<OrderReport>(std::get<UserDataEvent>(parsed));
        QCOMPARE(r.clientOrderId, std::string("md-7"));
        QCOMPARE(r.orderId, std::uint64_t(4293153));
        QCOMPARE(r.status, std::string("PARTIALLY_FILLED"));
        QCOMPARE(r.price.toString(), std::string("64000.00"));
        QCOMPARE(r.executed.toString(), std::string("0.00100"));
        QCOMPARE(r.lastPrice.toString(), std::string("63999.50"));
        QCOMPARE(r.executedQuote.toTrimmedString(), std::string("63.9995"));
        QCOMPARE(r.eventTimeMs, std::int64_t(1499405658657));
    }

    // The commission of an execution (`n`, in `N`) reaches the strategy's fill; "n":"0","N":null is none.
    void executionCommissionReachesTheFill() {
        const OrderParser parser(2, 5);
        QByteArray frame = kExecutionReport;
        frame.replace(R"("n":"0","N":null)", R"("n":"0.00000100","N":"BTC")");
        auto parsed = parser.parseUserData(frame);
        QVERIFY(std::holds_alternative<UserDataEvent>(parsed));
        const auto r = std::get<OrderReport>(std::get<UserDataEvent>(parsed));
        QCOMPARE(r.commission, *Decimal::parse("0.000001"));
        QCOMPARE(r.commissionAsset, std::string("BTC"));
        const auto none = std::get<OrderReport>(std::get<UserDataEvent>(parser.parseUserData(kExecutionReport)));
        QVERIFY(none.commission.isZero());
        QVERIFY(none.commissionAsset.empty());

        std::vector<TradingEventPayload> events;
        OrderTracker tracker([&](TradingEventPayload e, std::int64_t) { events.push_back(std::move(e)); }, 2);
        tracker.expect(PlaceLimit{Side::Bid, *Price::parse("64000.00"), *Quantity::parse("0.00300"), 7});
        OrderReport withRun = r;
        withRun.clientOrderId = "md-7";
        QVERIFY(tracker.apply(withRun));
        QCOMPARE(events.size(), 2u); // placed, filled
        const auto& fill = std::get<OrderFilled>(events[1]);
        QCOMPARE(fill.fee, *Decimal::parse("0.000001"));
        QCOMPARE(fill.feeAsset, std::string("BTC"));
    }

    void cancelNamesTheOriginalClientId() {
        const OrderParser parser(2, 5);
        QByteArray cancelled = kExecutionReport;
        cancelled.replace(R"("c":"md-7")", R"("c":"cancel-1")").replace(R"("C":"")", R"("C":"md-7")");
        const OrderReport r = std::get<OrderReport>(std::get<UserDataEvent>(parser.parseUserData(cancelled)));
        QCOMPARE(r.clientOrderId, std::string("md-7"));
        auto rest = parser.parseOrder(
            R"({"symbol":"BTCUSDT","origClientOrderId":"md-9","orderId":4,"orderListId":-1,"clientOrderId":"cxl",)"
            R"("transactTime":1684804350068,"price":"64000.00000000","origQty":"0.00300000","executedQty":"0.00000000",)"
            R"("cummulativeQuoteQty":"0.00000000","status":"CANCELED","timeInForce":"GTC","type":"LIMIT","side":"SELL"})");
        QVERIFY(std::holds_alternative<OrderReport>(rest));
        QCOMPARE(std::get<OrderReport>(rest).clientOrderId, std::string("md-9"));
        QCOMPARE(std::get<OrderReport>(rest).side, Side::Ask);
    }

    void accountEventsAndErrorsAreParsed() {
        const OrderParser parser(2, 5);
        auto position = parser.parseUserData(
            R"({"e":"outboundAccountPosition","E":1,"u":1,"B":[{"a":"BTC","f":"10.00100000","l":"0.00000000"}]})");
        const auto& p = std::get<AccountPosition>(std::get<UserDataEvent>(position));
        QCOMPARE(p.balances.at(0).free.toTrimmedString(), std::string("10.001"));
        auto delta = parser.parseUserData(R"({"e":"balanceUpdate","E":1,"a":"USDT","d":"-100.50000000","T":1})");
        QCOMPARE(std::get<BalanceDelta>(std::get<UserDataEvent>(delta)).delta.toTrimmedString(), std::string("-100.5"));
        QVERIFY(std::holds_alternative<ListenKeyExpired>(
            std::get<UserDataEvent>(parser.parseUserData(R"({"e":"listenKeyExpired","E":1,"listenKey":"k"})"))));
        const auto error = OrderParser::parseApiError(R"({"code":-2010,"msg":"Account has insufficient balance."})");
        QVERIFY(error);
        QCOMPARE(error->code, -2010);
        QVERIFY(!OrderParser::parseApiError("<html>502 Bad Gateway</html>"));
        // Malformed: named, never thrown.
        auto bad = parser.parseUserData(R"({"e":"executionReport","c":"md-1","S":"SIDEWAYS"})");
        QVERIFY(std::holds_alternative<ParseError>(bad));
        QVERIFY(std::holds_alternative<ParseError>(parser.parseUserData("{not json")));
        QVERIFY(std::holds_alternative<ParseError>(parser.parseOrder(R"({"orderId":"x"})")));
    }

    void exchangeInfoGivesFiltersAndWeightLimit() {
        const OrderParser parser(2, 5);
        auto rules = parser.parseExchangeInfo(
            R"({"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000}],)"
            R"("symbols":[{"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[)"
            R"({"filterType":"PRICE_FILTER","tickSize":"0.01000000"},{"filterType":"LOT_SIZE","stepSize":"0.00001000"},)"
            R"({"filterType":"NOTIONAL","minNotional":"5.00000000"}]}]})",
            "BTCUSDT");
        QVERIFY(std::holds_alternative<SymbolRules>(rules));
        const auto& r = std::get<SymbolRules>(rules);
        QCOMPARE(r.tickSize.toTrimmedString(), std::string("0.01"));
        QCOMPARE(r.stepSize.toTrimmedString(), std::string("0.00001"));
        QCOMPARE(r.minNotional.toTrimmedString(), std::string("5"));
        QCOMPARE(r.requestWeightPerMinute, 6000);
        QVERIFY(std::holds_alternative<ParseError>(parser.parseExchangeInfo(R"({"symbols":[]})", "BTCUSDT")));
    }

    void streamReportBeatingTheRestAnswerIsMergedOnce() {
        std::vector<TradingEventPayload> events;
        OrderTracker tracker([&](TradingEventPayload e, std::int64_t) { events.push_back(std::move(e)); }, 2);
        tracker.expect(PlaceLimit{Side::Bid, *Price::parse("64000.00"), *Quantity::parse("0.00300"), 7});
        // The stream tells of a fill before the REST answer to the placement arrives.
        QVERIFY(tracker.apply(report("PARTIALLY_FILLED", "0.00100", "64.00000000")));
        QVERIFY(tracker.apply(report("NEW", "0.00000", "0.00000000")));               // the late REST answer
        QVERIFY(tracker.apply(report("PARTIALLY_FILLED", "0.00100", "64.00000000"))); // repeated: nothing new
        QVERIFY(tracker.apply(report("FILLED", "0.00300", "191.99000000")));          // two fills merged
        QVERIFY(!tracker.apply(report("FILLED", "0.00300", "191.99000000")));         // after the end: ignored
        QCOMPARE(names(events),
                 (std::vector<std::string>{"placed 7", "filled 0.00100@64000.00", "filled 0.00200@63995.00", "done"}));
        QVERIFY(!tracker.isTracked(7));
    }

    void rejectionsAndForeignOrders() {
        std::vector<TradingEventPayload> events;
        OrderTracker tracker([&](TradingEventPayload e, std::int64_t) { events.push_back(std::move(e)); }, 2);
        tracker.expect(PlaceLimit{Side::Bid, *Price::parse("64000.00"), *Quantity::parse("0.00300"), 7});
        tracker.reject(7, "binance: HTTP 400, Binance -2010: Account has insufficient balance");
        OrderReport foreign = report("NEW", "0.00000", "0");
        foreign.clientOrderId = "web_8f3a"; // a person's order on the same account
        QVERIFY(!tracker.apply(foreign));
        QCOMPARE(tracker.ourId("md-12"), std::optional<ClientOrderId>(12));
        QCOMPARE(tracker.ourId("md-12x"), std::nullopt);
        QCOMPARE(names(events), (std::vector<std::string>{
                                    "rejected: binance: HTTP 400, Binance -2010: Account has insufficient balance"}));
    }

    // Found by fuzz_binance_user: a report claiming more executed than ordered. The strategy hears
    // at most the order's quantity (at its price), the order ends, the report is counted.
    void reportClaimingMoreThanOrderedIsCapped() {
        std::vector<TradingEventPayload> events;
        OrderTracker tracker([&](TradingEventPayload e, std::int64_t) { events.push_back(std::move(e)); }, 2);
        tracker.expect(PlaceLimit{Side::Bid, *Price::parse("64000.00"), *Quantity::parse("0.00300"), 7});
        QVERIFY(tracker.apply(report("PARTIALLY_FILLED", "0.00100", "64.00000000")));
        QVERIFY(tracker.apply(report("FILLED", "0.00500", "320.00000000")));
        QCOMPARE(names(events),
                 (std::vector<std::string>{"placed 7", "filled 0.00100@64000.00", "filled 0.00200@64000.00", "done"}));
        QCOMPARE(tracker.inconsistentReports(), std::size_t(1));
    }

    // Every run counts its ids from 1, so the run tag keeps an earlier run's "#3" apart from this one's.
    void runTagKeepsRunsApart() {
        std::vector<TradingEventPayload> events;
        OrderTracker tracker([&](TradingEventPayload e, std::int64_t) { events.push_back(std::move(e)); }, 2,
                             "mx3wswxu");
        QCOMPARE(tracker.exchangeClientId(3), std::string("md-mx3wswxu-3"));
        QCOMPARE(tracker.ourId("md-mx3wswxu-3"), std::optional<ClientOrderId>(3));
        QCOMPARE(tracker.ourId("md-mx3wswxa-3"), std::nullopt); // an earlier run's #3
        QCOMPARE(tracker.ourId("md-3"), std::nullopt);          // untagged
        const auto earlier = OrderTracker::parseClientId("md-mx3wswxa-3");
        QVERIFY(earlier);
        QCOMPARE(earlier->runTag, std::string("mx3wswxa"));
        QCOMPARE(earlier->id, ClientOrderId(3));
        QCOMPARE(OrderTracker::parseClientId("md-3")->runTag, std::string());
        for (const char* notOurs : {"md--3", "md-MX-3", "md-a-0", "md-a-", "web_8f3a", "md-a-3-4", "md-a b-3"})
            QVERIFY2(!OrderTracker::parseClientId(notOurs), notOurs);
        // An earlier run's report for "#3" does not touch this run's #3.
        tracker.expect(PlaceLimit{Side::Bid, *Price::parse("64000.00"), *Quantity::parse("0.00300"), 3});
        OrderReport earlierReport = report("FILLED", "0.00300", "192.00000000");
        earlierReport.clientOrderId = "md-mx3wswxa-3";
        QVERIFY(!tracker.apply(earlierReport));
        QVERIFY(events.empty());
        QVERIFY(tracker.isTracked(3));
    }
};

QTEST_GUILESS_MAIN(TestOrderWire)
#include "tst_orderwire.moc"
