#pragma once

#include "domain/instrument.h"
#include "domain/types.h"

#include <QJsonObject>

#include <string>

namespace md {

/// One configured market: what strategies, the engine and connectors all know about it.
struct MarketSpec {
    MarketId id = 0;
    std::string name;
    std::string connector;
    Instrument instrument;
    QJsonObject settings;
    /// Unique to this run (app sets it from the journal's run): connectors that send our client
    /// order ids to an exchange put it in them, because every run's strategy counts from 1 and
    /// an order of an earlier run may still be open there under the same number.
    std::string orderTag;
};

} // namespace md
