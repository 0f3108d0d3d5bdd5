#include "numberformat.h"

#include <QDateTime>

#include <limits>

namespace md {

MarketLabel MarketLabel::of(const std::string& name, const Instrument& instrument) {
    return {QString::fromStdString(name), instrument.priceScale(), instrument.quantityScale()};
}

QString decimalText(Decimal value, int scale) {
    if (scale >= 0 && scale != value.scale())
        value = value.rounded(scale, Rounding::Nearest);
    return QString::fromStdString(value.toString());
}

QString orderIdText(const QString& market, std::uint64_t id) {
    return market + QStringLiteral(" #") + QString::number(id);
}

namespace {

// Local time changes its offset from UTC only at a transition, and the transitions of today's zones fall
// on UTC quarters of an hour (offsets are whole quarters: +05:45, +12:45, -03:30, Lord Howe's 30-minute
// DST; the last odd one, Monrovia's -00:44:30, ended in 1972). So the offset at the start of a UTC
// quarter holds for all of it. Asking it once per quarter instead of per cell matters: with TZ unset,
// glibc checks /etc/localtime (a stat) on every local-time conversion, and QDateTime's conversion with
// its formatting was 3 % of the UI thread under load (perf over bench_ui).
constexpr std::int64_t kQuarterMs = 15 * 60 * 1000;

struct ClockOffset {
    std::int64_t quarter = std::numeric_limits<std::int64_t>::min();
    std::int64_t offsetMs = 0;
};
thread_local ClockOffset t_offset;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

} // namespace

QString clockText(std::int64_t msSinceEpoch) {
    const std::int64_t quarter = floorDiv(msSinceEpoch, kQuarterMs);
    if (quarter != t_offset.quarter) {
        t_offset.quarter = quarter;
        t_offset.offsetMs = QDateTime::fromMSecsSinceEpoch(quarter * kQuarterMs).offsetFromUtc() * 1000LL;
    }
    constexpr std::int64_t kDayMs = 24 * 3600 * 1000;
    const std::int64_t local = msSinceEpoch + t_offset.offsetMs;
    const auto ofDay = static_cast<int>(local - floorDiv(local, kDayMs) * kDayMs);
    const int h = ofDay / 3'600'000, m = ofDay / 60'000 % 60, sec = ofDay / 1000 % 60, ms = ofDay % 1000;
    const char16_t text[12] = {char16_t(u'0' + h / 10),   char16_t(u'0' + h % 10),       u':',
                               char16_t(u'0' + m / 10),   char16_t(u'0' + m % 10),       u':',
                               char16_t(u'0' + sec / 10), char16_t(u'0' + sec % 10),     u'.',
                               char16_t(u'0' + ms / 100), char16_t(u'0' + ms / 10 % 10), char16_t(u'0' + ms % 10)};
    return QString(reinterpret_cast<const QChar*>(text), 12);
}

void forgetClockOffsets() {
    t_offset = ClockOffset{};
}

QString dateTimeText(std::int64_t msSinceEpoch) {
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace md
