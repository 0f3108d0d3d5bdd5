#include "numberformat.h"

#include <QDateTime>

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

QString clockText(std::int64_t msSinceEpoch) {
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString dateTimeText(std::int64_t msSinceEpoch) {
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace md
