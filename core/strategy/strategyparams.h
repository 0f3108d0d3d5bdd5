#pragma once

#include "domain/decimal.h"
#include "domain/marketspec.h"

#include <QJsonObject>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace md {

/// Reads a strategy's parameters strictly, naming the field on the first problem.
/// Thread: any.
class StrategyParams {
public:
    StrategyParams(const QJsonObject& params, const std::vector<MarketSpec>& markets, std::string path)
        : m_params(params)
        , m_markets(markets)
        , m_path(std::move(path)) {}

    /// Refuses keys other than `kind` and these.
    void allowOnly(std::initializer_list<const char*> keys);
    std::optional<MarketId> market(const char* key);
    std::optional<Decimal> positiveDecimal(const char* key, bool required);
    std::optional<Decimal> nonNegativeDecimal(const char* key, bool required);
    std::optional<int> integer(const char* key, int min, int max, int fallback);
    std::optional<std::string> oneOf(const char* key, std::initializer_list<const char*> values, const char* fallback);

    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }

private:
    void fail(const char* key, const std::string& message);

    const QJsonObject& m_params;
    const std::vector<MarketSpec>& m_markets;
    std::string m_path;
    std::string m_error;
};

} // namespace md
