#pragma once

// Helpers for tests that run the real marketdesk executable against the fake exchange of this process.
#include "fakebinanceexchange.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace md::test {

/// A market maker on the fake exchange's BTCUSDT quoting 200 USDT either side of the mid, so its bid
/// and ask rest; the API key and secret are read from the two named environment variables.
inline QJsonObject marketMakerOnFakeExchange(const FakeBinanceExchange& exchange, const QString& journal,
                                             const QString& keyEnv, const QString& secretEnv, int graceSeconds,
                                             const QString& logLevel) {
    const QJsonObject market{{"name", "BIN"},
                             {"connector", "binance"},
                             {"instrument", QJsonObject{{"symbol", "BTCUSDT"},
                                                        {"base", "BTC"},
                                                        {"quote", "USDT"},
                                                        {"price_tick", "0.01"},
                                                        {"quantity_step", "0.00001"}}},
                             {"settings", QJsonObject{{"rest_url", exchange.restUrl()},
                                                      {"stream_url", exchange.streamUrl()},
                                                      {"ws_api_url", exchange.wsApiUrl()},
                                                      {"backoff_initial_ms", 100},
                                                      {"request_timeout_ms", 3000},
                                                      {"api_key_env", keyEnv},
                                                      {"api_secret_env", secretEnv}}}};
    return QJsonObject{{"markets", QJsonArray{market}},
                       {"strategy", QJsonObject{{"kind", "market_maker"},
                                                {"market", "BIN"},
                                                {"half_spread_ticks", 20000},
                                                {"order_quantity", "0.00100"},
                                                {"max_position", "1"},
                                                {"requote_ticks", 100000}}},
                       {"grace_seconds", graceSeconds},
                       {"log_level", logLevel},
                       {"journal", journal}};
}

struct Exited {
    int code = -1;
    QByteArray output;
};

/// Waits for a child while this thread's event loop keeps serving the fake exchange.
inline Exited waitForExit(QProcess& p, int timeoutMs) {
    Exited e;
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    e.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    e.output = p.readAllStandardOutput() + p.readAllStandardError();
    return e;
}

} // namespace md::test
