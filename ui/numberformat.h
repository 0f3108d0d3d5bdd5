#pragma once

#include "domain/decimal.h"
#include "domain/instrument.h"

#include <QString>

#include <string>

namespace md {

/// How a market's numbers are printed: its name and the instrument's decimals.
struct MarketLabel {
    QString name;
    int priceScale = -1; // -1: as the value carries it
    int quantityScale = -1;

    static MarketLabel of(const std::string& name, const Instrument& instrument);
};

/// Exact decimal text at `scale` digits (rounded to nearest when the value is finer), or as it is
/// when scale < 0. Never goes through double.
QString decimalText(Decimal value, int scale);
inline QString priceText(Price p, int scale) {
    return decimalText(p.decimal(), scale);
}
inline QString quantityText(Quantity q, int scale) {
    return decimalText(q.decimal(), scale);
}
/// "SIM-THIN #17": client ids are unique per market only, so the UI always names the market with one.
QString orderIdText(const QString& market, std::uint64_t id);
/// "HH:mm:ss.zzz" in local time. The time columns of every live table call it for each cell painted;
/// the offset from UTC is looked up once per quarter of an hour (see numberformat.cpp).
QString clockText(std::int64_t msSinceEpoch);
/// Forgets the offsets clockText() keeps, so the next call asks the time zone again (tests that change
/// TZ; a change of the machine's zone otherwise shows from the next quarter of an hour). This thread only.
void forgetClockOffsets();
/// "yyyy-MM-dd HH:mm:ss.zzz" in local time (exports: a time without its date is ambiguous in a file).
QString dateTimeText(std::int64_t msSinceEpoch);

} // namespace md
