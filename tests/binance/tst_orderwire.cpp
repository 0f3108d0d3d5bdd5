// The order side of Binance's wire protocol: WebSocket API frames (answers, pushed events, errors
// with retryAfter and rateLimits), order answers and user data events parsed exactly — including the
// commission `n`/`N` of an execution and prices finer than the tick — exchange info's filters and
// rate limits, their mapping to the venue-neutral OrderUpdate, and the filter check before sending.
#include "binance/filtercheck.h"
#include "binance/orderparser.h"
#include "binance/ratelimits.h"
#include "common/ordertracker.h"

#include <QTest>

using namespace md;
using namespace md::binance;

namespace {

// Shapes as in Binance's Spot API documentation (user-data-stream.md "Order Update"; values changed).
const QByteArray kExecutionReport =
    R"({"e":"executionReport","E":1499405658658,"s":"BTCUSDT","c":"md-7","S":"BUY","o":"LIMIT","f":"GTC",)"
    R"("q":"0.00300000","p":"64000.00000000","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"TRADE",)"
    R"("X":"PARTIALLY_FILLED","r":"NONE","i":4293153,"l":"0.00100000","z":"0.00100000","L":"63999.50000000",)"
    R"("n":"0.00000100","N":"BTC","T":1499405658657,"t":11,"I":8641984,"w":false,"m":false,"M":false,)"
    R"("O":1499405658657,"Z":"63.99950000","Y":"63.99950000","Q":"0.00000000","W":1499405658657,"V":"NONE"})";

const QByteArray kExchangeInfo =
    R"({"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},)"
    R"({"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100},)"
    R"({"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":300000}],)"
    R"("symbols":[{"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[)"
    R"({"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},)"
    R"({"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},)"
    R"({"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000"},)"
    R"({"filterType":"PERCENT_PRICE_BY_SIDE","bidMultiplierUp":"5","bidMultiplierDown":"0.2","askMultiplierUp":"5",)"
    R"("askMultiplierDown":"0.2","avgPriceMins":5},{"filterType":"MAX_NUM_ORDERS","maxNumOrders":200}]}]})";

} // namespace

class TestOrderWire : public QObject {
    Q_OBJECT
private slots:
    void executionReportIsParsedExactly_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("bare") << kExecutionReport;
        QTest::newRow("WebSocket API {\"subscriptionId\": 0, \"event\": ...}")
            << QByteArray(R"({"subscriptionId":0,"event":)") + kExecutionReport + "}";
    }
    void executionReportIsParsedExactly() {
        QFETCH(QByteArray, frame);
        const OrderParser parser(2, 5);
        auto parsed = parser.parseUserData(frame);
        QVERIFY(std::holds_alternative<UserDataEvent>(parsed));
        const auto& r = std::get<OrderReport>(std::get<UserDataEvent>(parsed));
        QCOMPARE(r.symbol, std::string("BTCUSDT"));
        QCOMPARE(r.clientOrderId, std::string("md-7"));
        QCOMPARE(r.orderId, std::uint64_t(4293153));
        QCOMPARE(r.status, std::string("PARTIALLY_FILLED"));
        QCOMPARE(r.executionType, std::string("TRADE"));
        QCOMPARE(r.price.toString(), std::string("64000.00"));
        QCOMPARE(r.executed.toString(), std::string("0.00100"));
        QCOMPARE(r.lastPrice.toString(), std::string("63999.50"));
        QCOMPARE(r.executedQuote.toTrimmedString(), std::string("63.9995"));
        QCOMPARE(r.commission.toTrimmedString(), std::string("0.000001")); // n
        QCOMPARE(r.commissionAsset, std::string("BTC"));                   // N
        QCOMPARE(r.eventTimeMs, std::int64_t(1499405658657));
        const venue::OrderUpdate u = OrderParser::toUpdate(r);
        QCOMPARE(u.state, venue::OrderState::PartiallyFilled);
        QCOMPARE(u.exchangeOrderId, std::string("4293153"));
    }

    // Orders left from before a precision change (or placed by hand) are finer than today's tick:
    // read at the exchange's precision, never refused.
    void pricesFinerThanTheTickAreKept() {
        const OrderParser parser(2, 0);
        QByteArray finer = kExecutionReport;
        finer.replace(R"("p":"64000.00000000")", R"("p":"64000.12345000")")
            .replace(R"("q":"0.00300000")", R"("q":"11979.30000000")");
        auto parsed = parser.parseUserData(finer);
        if (auto* error = std::get_if<ParseError>(&parsed))
            QFAIL(error->message.c_str());
        const auto& r = std::get<OrderReport>(std::get<UserDataEvent>(parsed));
        QCOMPARE(r.price.toTrimmedString(), std::string("64000.12345"));
        QCOMPARE(r.quantity.toTrimmedString(), std::string("11979.3"));
    }

    void commissionIsNullWhenThereIsNone() {
        QByteArray fresh = kExecutionReport;
        fresh.replace(R"("n":"0.00000100","N":"BTC")", R"("n":"0","N":null)");
        const auto r = std::get<OrderReport>(std::get<UserDataEvent>(OrderParser(2, 5).parseUserData(fresh)));
        QVERIFY(r.commission.isZero());
        QCOMPARE(r.commissionAsset, std::string());
    }

    // The commission of an execution (`n`, in `N`) reaches the strategy's fill through the
    // venue-neutral OrderUpdate (commissionIsNullWhenThereIsNone covers "n":"0","N":null).
    void executionCommissionReachesTheFill() {
        const OrderParser parser(2, 5);
        auto parsed = parser.parseUserData(kExecutionReport);
        QVERIFY(std::holds_alternative<UserDataEvent>(parsed));
        const auto r = std::get<OrderReport>(std::get<UserDataEvent>(parsed));
        const venue::OrderUpdate u = OrderParser::toUpdate(r);
        QCOMPARE(u.lastFee, *Decimal::parse("0.000001"));
        QCOMPARE(u.lastFeeAsset, std::string("BTC"));

        std::vector<TradingEventPayload> events;
        venue::OrderTracker tracker([&](TradingEventPayload e, std::int64_t) { events.push_back(std::move(e)); }, 2,
                                    venue::ClientIdCodec()); // "md-7": the untagged form
        tracker.expect(PlaceLimit{Side::Bid, *Price::parse("64000.00"), *Quantity::parse("0.00300"), 7});
        QVERIFY(tracker.apply(u));
        QCOMPARE(events.size(), 2u); // placed, filled
        const auto& fill = std::get<OrderFilled>(events[1]);
        QCOMPARE(fill.fee(), *Decimal::parse("0.000001"));
        QCOMPARE(fill.feeAsset(), std::string("BTC"));
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
        QCOMPARE(OrderParser::toUpdate(std::get<OrderReport>(rest)).state, venue::OrderState::Cancelled);
    }

    void webSocketApiFramesAreTold() {
        // web-socket-api.md "Response format": a success with rateLimits.
        auto ok = OrderParser::parseWsApi(
            R"({"id":"7","status":200,"result":{"serverTime":1656400526260},"rateLimits":[{"rateLimitType":)"
            R"("REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":70}]})");
        const auto& m = std::get<WsApiMessage>(ok);
        QVERIFY(!m.isEvent);
        QCOMPARE(m.id, std::string("7"));
        QCOMPARE(m.status, 200);
        QCOMPARE(m.result, QByteArray(R"({"serverTime":1656400526260})"));
        QCOMPARE(m.rateLimits.at(0).count, std::int64_t(70));
        // A ban with error.data.retryAfter ("IP Limits" example).
        auto banned = OrderParser::parseWsApi(
            R"({"id":"fc93","status":418,"error":{"code":-1003,"msg":"Way too much request weight used; IP banned )"
            R"(until 1659146400000.","data":{"serverTime":1659142907531,"retryAfter":1659146400000}},"rateLimits":[]})");
        const auto& b = std::get<WsApiMessage>(banned);
        QCOMPARE(b.error->code, -1003);
        QCOMPARE(b.retryAfterMs, std::int64_t(1659146400000));
        // A user data event and serverShutdown ("Event format", "Server Shutdown").
        auto event = OrderParser::parseWsApi(R"({"subscriptionId":3,"event":{"e":"outboundAccountPosition","E":1}})");
        QVERIFY(std::get<WsApiMessage>(event).isEvent);
        QCOMPARE(*std::get<WsApiMessage>(event).subscriptionId, 3);
        auto shutdown = OrderParser::parseWsApi(R"({"event":{"e":"serverShutdown","E":1770123456789}})");
        QVERIFY(!std::get<WsApiMessage>(shutdown).subscriptionId);
        QVERIFY(std::holds_alternative<ServerShutdown>(
            std::get<UserDataEvent>(OrderParser(2, 5).parseUserData(std::get<WsApiMessage>(shutdown).event))));
        QVERIFY(std::holds_alternative<StreamTerminated>(std::get<UserDataEvent>(
            OrderParser(2, 5).parseUserData(R"({"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":1}})"))));
        QVERIFY(std::holds_alternative<ParseError>(OrderParser::parseWsApi("{not json")));
    }

    void accountEventsAndErrorsAreParsed() {
        const OrderParser parser(2, 5);
        auto position = parser.parseUserData(
            R"({"e":"outboundAccountPosition","E":1,"u":1,"B":[{"a":"BTC","f":"10.00100000","l":"0.00000000"}]})");
        QCOMPARE(std::get<AccountPosition>(std::get<UserDataEvent>(position)).balances.at(0).free.toTrimmedString(),
                 std::string("10.001"));
        auto delta = parser.parseUserData(R"({"e":"balanceUpdate","E":1,"a":"USDT","d":"-100.50000000","T":1})");
        QCOMPARE(std::get<BalanceDelta>(std::get<UserDataEvent>(delta)).delta.toTrimmedString(), std::string("-100.5"));
        const auto error = OrderParser::parseApiError(R"({"code":-2010,"msg":"Account has insufficient balance."})");
        QVERIFY(error);
        QCOMPARE(error->code, -2010);
        QVERIFY(!OrderParser::parseApiError("<html>502 Bad Gateway</html>"));
        auto bad = parser.parseUserData(R"({"e":"executionReport","c":"md-1","S":"SIDEWAYS"})");
        QVERIFY(std::holds_alternative<ParseError>(bad));
        QVERIFY(std::holds_alternative<ParseError>(parser.parseUserData("{not json")));
        QVERIFY(std::holds_alternative<ParseError>(parser.parseOrder(R"({"orderId":"x"})")));
    }

    void exchangeInfoGivesFiltersAndRateLimits() {
        auto rules = OrderParser(2, 5).parseExchangeInfo(kExchangeInfo, "BTCUSDT");
        QVERIFY(std::holds_alternative<SymbolRules>(rules));
        const auto& r = std::get<SymbolRules>(rules);
        QCOMPARE(r.filters.tickSize.toTrimmedString(), std::string("0.01"));
        QCOMPARE(r.filters.stepSize.toTrimmedString(), std::string("0.00001"));
        QCOMPARE(r.filters.minNotional.toTrimmedString(), std::string("5"));
        QCOMPARE(r.filters.maxNotional.toTrimmedString(), std::string("9000000"));
        QVERIFY(r.filters.hasPercentPriceBySide);
        QCOMPARE(r.filters.maxNumOrders, 200);
        QCOMPARE(r.rateLimits.size(), std::size_t(3));
        QVERIFY(
            std::holds_alternative<ParseError>(OrderParser(2, 5).parseExchangeInfo(R"({"symbols":[]})", "BTCUSDT")));
    }

    // Part 5: each filter of a LIMIT order, named as Binance names it, before anything is sent.
    void filtersAreCheckedBeforeSending_data() {
        QTest::addColumn<int>("side");
        QTest::addColumn<QString>("price");
        QTest::addColumn<QString>("quantity");
        QTest::addColumn<int>("open");
        QTest::addColumn<QString>("failure");
        QTest::newRow("passes") << 0 << "64000.00"
                                << "0.001" << 0 << "";
        QTest::newRow("price below min") << 0 << "0.001"
                                         << "100" << 0 << "PRICE_FILTER (price 0.001 below minPrice";
        QTest::newRow("price above max") << 1 << "2000000"
                                         << "0.001" << 0 << "PRICE_FILTER (price 2000000 above";
        QTest::newRow("off the tick") << 0 << "64000.005"
                                      << "0.001" << 0 << "PRICE_FILTER (price 64000.005 not a multiple";
        QTest::newRow("below minQty") << 0 << "64000"
                                      << "0.000001" << 0 << "LOT_SIZE (quantity 0.000001 below minQty";
        QTest::newRow("above maxQty") << 0 << "1"
                                      << "9001" << 0 << "LOT_SIZE (quantity 9001 above maxQty 9000)";
        QTest::newRow("off the step") << 0 << "64000"
                                      << "0.000015" << 0 << "LOT_SIZE (quantity 0.000015 not a";
        QTest::newRow("notional") << 0 << "64000"
                                  << "0.00001" << 0 << "NOTIONAL (price × quantity 0.64 below minNotional 5)";
        QTest::newRow("bid too high") << 0 << "400000"
                                      << "0.001" << 0 << "PERCENT_PRICE_BY_SIDE (bid price 400000 outside";
        QTest::newRow("ask too low") << 1 << "10000"
                                     << "0.001" << 0 << "PERCENT_PRICE_BY_SIDE (ask price 10000 outside";
        QTest::newRow("too many open") << 0 << "64000"
                                       << "0.001" << 200 << "MAX_NUM_ORDERS (200 orders open";
    }
    void filtersAreCheckedBeforeSending() {
        QFETCH(int, side);
        QFETCH(QString, price);
        QFETCH(QString, quantity);
        QFETCH(int, open);
        QFETCH(QString, failure);
        const auto rules = std::get<SymbolRules>(OrderParser(2, 5).parseExchangeInfo(kExchangeInfo, "BTCUSDT"));
        const auto result =
            checkFilters(rules.filters, side == 0 ? Side::Bid : Side::Ask, *Price::parse(price.toStdString()),
                         *Quantity::parse(quantity.toStdString()), *Decimal::parse("64250"), open);
        if (failure.isEmpty()) {
            QVERIFY2(!result, result ? result->c_str() : "");
            return;
        }
        QVERIFY(result);
        QVERIFY2(result->rfind("Filter failure: " + failure.toStdString(), 0) == 0, result->c_str());
    }

    // Part 6: what Binance says it counted raises the host's shared budget.
    void countersInHeadersAndAnswersFeedTheBudget() {
        auto clock = std::make_shared<venue::ManualClock>(60'000 * 1000);
        auto budget = std::make_shared<venue::RateBudget>("api.binance.com", clock, 0.9);
        RateLimits limits(budget);
        limits.configure({{"REQUEST_WEIGHT", "MINUTE", 1, 6000}, {"ORDERS", "SECOND", 10, 100}});
        limits.observeHeader("X-MBX-USED-WEIGHT-1M", "5399");
        limits.observeHeader("x-mbx-order-count-10s", "89");
        limits.observeHeader("Content-Type", "application/json");
        QVERIFY(budget->tryAcquire(limits.costs(1, 1)).granted); // 5400 and 90: exactly the headroom
        const auto refused = budget->tryAcquire(limits.costs(1, 0));
        QVERIFY(!refused.granted);
        QVERIFY2(refused.reason.find("REQUEST_WEIGHT/60s 5400 of 6000") != std::string::npos, refused.reason.c_str());
        limits.observe("REQUEST_WEIGHT", "MINUTE", 1, 5000); // lower: ignored
        QVERIFY(!budget->tryAcquire(limits.costs(1, 0)).granted);
    }
};

QTEST_GUILESS_MAIN(TestOrderWire)
#include "tst_orderwire.moc"
