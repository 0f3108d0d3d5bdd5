#include "strategy/strategyparams.h"

#include <cmath>

namespace md {

void StrategyParams::fail(const char* key, const std::string& message) {
    if (m_error.empty())
        m_error = m_path + "." + key + ": " + message;
}

void StrategyParams::allowOnly(std::initializer_list<const char*> keys) {
    for (auto it = m_params.begin(); it != m_params.end(); ++it) {
        bool known = it.key() == "kind";
        std::string list;
        for (const char* k : keys) {
            known = known || it.key() == QLatin1String(k);
            list += (list.empty() ? "" : ", ") + std::string(k);
        }
        if (!known) {
            fail(it.key().toUtf8().constData(), "unknown key (expected one of: " + list + ")");
            return;
        }
    }
}

std::optional<MarketId> StrategyParams::market(const char* key) {
    const QJsonValue v = m_params.value(key);
    if (!v.isString()) {
        fail(key, v.isUndefined() ? "missing (a market name)" : "expected a market name");
        return std::nullopt;
    }
    for (const auto& m : m_markets)
        if (m.name == v.toString().toStdString())
            return m.id;
    fail(key, "no market named '" + v.toString().toStdString() + "'");
    return std::nullopt;
}

std::optional<Decimal> StrategyParams::positiveDecimal(const char* key, bool required) {
    auto d = nonNegativeDecimal(key, required);
    if (d && d->isZero()) {
        fail(key, "must be greater than zero");
        return std::nullopt;
    }
    return d;
}

std::optional<Decimal> StrategyParams::nonNegativeDecimal(const char* key, bool required) {
    const QJsonValue v = m_params.value(key);
    if (v.isUndefined()) {
        if (required)
            fail(key, "missing (a decimal string)");
        return std::nullopt;
    }
    auto d = v.isString() ? Decimal::parse(v.toString().toStdString()) : std::nullopt;
    if (!d || d->isNegative()) {
        fail(key, "expected a non-negative decimal string such as \"0.5\"");
        return std::nullopt;
    }
    return d;
}

std::optional<int> StrategyParams::integer(const char* key, int min, int max, int fallback) {
    const QJsonValue v = m_params.value(key);
    if (v.isUndefined())
        return fallback;
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() < min || v.toDouble() > max) {
        fail(key, "expected an integer between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return static_cast<int>(v.toDouble());
}

std::optional<std::string> StrategyParams::oneOf(const char* key, std::initializer_list<const char*> values,
                                                 const char* fallback) {
    const QJsonValue v = m_params.value(key);
    if (v.isUndefined())
        return std::string(fallback);
    std::string list;
    for (const char* value : values) {
        if (v.isString() && v.toString() == QLatin1String(value))
            return std::string(value);
        list += (list.empty() ? "" : ", ") + std::string(value);
    }
    fail(key, "expected one of " + list);
    return std::nullopt;
}

} // namespace md
