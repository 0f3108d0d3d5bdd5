#include "metrics/prometheusformatter.h"

#include <QTest>

using namespace md;

class TestPrometheusFormatter : public QObject {
    Q_OBJECT
private slots:
    void rendersEveryRequiredSeries() {
        MarketHealth h;
        h.name = "SIM \"A\"";
        h.connector = "sim";
        h.state = MarketState::Running;
        h.eventsTotal = 123;
        h.actionsEnqueued = 4;
        h.actionsExecuted = 3;
        h.queueDepth = 1;
        h.openOrders = 2;
        h.bestBid = 100.5;
        h.bestAsk = 100.75;
        h.parseErrors = 9;
        h.tickToAction.counts[0] = 2;
        h.tickToAction.counts[3] = 1;
        h.tickToAction.total = 3;
        h.tickToAction.sumUs = 40;
        h.details.push_back({"weight headroom", 1100, "1100/1200"});
        const QString text = QString::fromStdString(formatPrometheus({h}, false, 12.5));
        const QString label = "market=\"SIM \\\"A\\\"\"";
        for (const QString& line :
             {QString("marketdesk_market_up{%1} 1").arg(label),
              QString("marketdesk_market_state{%1,state=\"running\"} 1").arg(label),
              QString("marketdesk_market_state{%1,state=\"killed\"} 0").arg(label),
              QString("marketdesk_events_total{%1} 123").arg(label),
              QString("marketdesk_actions_enqueued_total{%1} 4").arg(label),
              QString("marketdesk_actions_executed_total{%1} 3").arg(label),
              QString("marketdesk_action_queue_depth{%1} 1").arg(label),
              QString("marketdesk_open_orders{%1} 2").arg(label), QString("marketdesk_best_bid{%1} 100.5").arg(label),
              QString("marketdesk_best_ask{%1} 100.75").arg(label),
              QString("marketdesk_parse_errors_total{%1} 9").arg(label),
              QString("marketdesk_tick_to_action_seconds_bucket{%1,le=\"5e-06\"} 2").arg(label),
              QString("marketdesk_tick_to_action_seconds_bucket{%1,le=\"3e-05\"} 3").arg(label),
              QString("marketdesk_tick_to_action_seconds_bucket{%1,le=\"+Inf\"} 3").arg(label),
              QString("marketdesk_tick_to_action_seconds_count{%1} 3").arg(label),
              QString("marketdesk_connector_weight_headroom{%1,connector=\"sim\"} 1100").arg(label)}) {
            QVERIFY2(text.contains(line + "\n"), qPrintable("missing: " + line));
        }
        QVERIFY(text.contains("# TYPE marketdesk_tick_to_action_seconds histogram"));
    }

    // Rejections are counted by reason (every reason listed, so a rate query never misses a series),
    // with the actions whose outcome is unknown, the age of the market's own data and a stuck executor.
    void rendersRejectionsByReasonAndTheTruthUnderFaults() {
        MarketHealth h;
        h.name = "B";
        h.ordersRejected = 120;
        h.rejectionsByReason = {{"exchange", 117}, {"market_stopping", 3}};
        h.actionsOutcomeUnknown = 1;
        h.lastDataAgeSeconds = 12.5;
        h.executorStuck = true;
        const QString text = QString::fromStdString(formatPrometheus({h}, false, 1));
        for (const char* line :
             {"marketdesk_orders_rejected_total{market=\"B\",reason=\"exchange\"} 117",
              "marketdesk_orders_rejected_total{market=\"B\",reason=\"market_stopping\"} 3",
              "marketdesk_orders_rejected_total{market=\"B\",reason=\"max_open_orders\"} 0",
              "marketdesk_actions_outcome_unknown_total{market=\"B\"} 1",
              "marketdesk_last_data_age_seconds{market=\"B\"} 12.5", "marketdesk_executor_stuck{market=\"B\"} 1"})
            QVERIFY2(text.contains(QString(line) + "\n"), line);
        QVERIFY(text.contains("# TYPE marketdesk_orders_rejected_total counter"));
    }
};

QTEST_APPLESS_MAIN(TestPrometheusFormatter)
#include "tst_prometheusformatter.moc"
