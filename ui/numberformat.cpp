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

QString clockText(std::int64_t msSinceEpoch) {
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QStringLiteral("HH:mm:ss.zzz"));
}

} // namespace md
