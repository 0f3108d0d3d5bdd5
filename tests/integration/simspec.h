#pragma once

#include "domain/marketspec.h"

#include <QJsonObject>

#include <string>

namespace md::test {

/// A simulated BTCUSDT market for the integration tests (one place, not one copy per test).
inline MarketSpec simSpec(MarketId id, const std::string& name, const QJsonObject& settings,
                          const char* tick = "0.01") {
    MarketSpec spec;
    spec.id = id;
    spec.name = name;
    spec.connector = "sim";
    spec.instrument.symbol = "BTCUSDT";
    spec.instrument.base = "BTC";
    spec.instrument.quote = "USDT";
    spec.instrument.tick = *Price::parse(tick);
    spec.instrument.step = *Quantity::parse("0.0001");
    spec.settings = settings;
    return spec;
}

} // namespace md::test
