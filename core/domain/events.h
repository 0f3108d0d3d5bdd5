#pragma once

#include "decimal.h"
#include "orderbook.h"
#include "types.h"

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace md {

/// Book changes from the exchange. `snapshot` replaces the whole book with `changes`.
struct BookUpdated {
    std::uint64_t updateId = 0;
    bool snapshot = false;
    std::vector<BookChange> changes;
};

struct TradePrinted {
    Price price;
    Quantity quantity;
    Side aggressor = Side::Bid;
};

/// Per order: Placed first, then zero or more Filled, then exactly one Cancelled or Done.
/// Rejected instead of Placed when the exchange refused the placement.
struct OrderPlaced {
    ClientOrderId id = 0;
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
};

/// The code of an asset a fee is charged in ("BTC", "USDT", "BNB", "1000SATS"), kept inline so that
/// an OrderFilled stays as small as the other events (a TradingEvent is 96 bytes; a std::string here
/// made it 128, and every event of the hot path is copied at that size). Up to kMaxLength characters,
/// which every Binance and Kraken asset code fits; a longer one is refused (fits() says so first).
class AssetCode {
public:
    static constexpr std::size_t kMaxLength = 14;

    constexpr AssetCode() = default;
    /// Errors: throws std::length_error when the code is longer than kMaxLength.
    AssetCode(std::string_view code) { // NOLINT: implicit, a fee asset is written as a string
        if (code.size() > kMaxLength)
            throw std::length_error("asset code longer than 14 characters: " + std::string(code));
        code.copy(m_text.data(), code.size());
    }
    AssetCode(const std::string& code)
        : AssetCode(std::string_view(code)) {} // NOLINT
    AssetCode(const char* code)
        : AssetCode(std::string_view(code)) {} // NOLINT

    static constexpr bool fits(std::string_view code) { return code.size() <= kMaxLength; }
    std::string_view view() const {
        std::size_t n = 0;
        while (n < kMaxLength && m_text[n] != '\0')
            ++n;
        return {m_text.data(), n};
    }
    std::string str() const { return std::string(view()); }
    bool empty() const { return m_text[0] == '\0'; }
    friend bool operator==(const AssetCode& a, const AssetCode& b) { return a.m_text == b.m_text; }

private:
    std::array<char, kMaxLength> m_text{};
};

/// One execution of one of our orders. The fee is what the venue charged for this execution, in
/// `feeAsset()` (the base, the quote or a third asset such as BNB); zero with an empty asset when the
/// venue charged nothing or did not say. The fee is an exact decimal kept as units and scale beside
/// the side and the asset code, so the event stays 64 bytes (TradingEvent 96).
struct OrderFilled {
    OrderFilled() = default;
    OrderFilled(ClientOrderId id_, Side side_, Price price_, Quantity quantity_, Decimal fee = {},
                AssetCode feeAsset = {})
        : id(id_)
        , price(price_)
        , quantity(quantity_)
        , m_feeUnits(fee.units())
        , side(side_)
        , m_feeScale(static_cast<std::int8_t>(fee.scale()))
        , m_feeAsset(feeAsset) {}

    Decimal fee() const { return Decimal(m_feeUnits, m_feeScale); }
    std::string feeAsset() const { return m_feeAsset.str(); }
    const AssetCode& feeAssetCode() const { return m_feeAsset; }

    ClientOrderId id = 0;
    Price price;
    Quantity quantity;

private:
    std::int64_t m_feeUnits = 0;

public:
    Side side = Side::Bid;

private:
    std::int8_t m_feeScale = 0;
    AssetCode m_feeAsset;
};

struct OrderCancelled {
    ClientOrderId id = 0;
};

struct OrderDone {
    ClientOrderId id = 0;
};

struct OrderRejected {
    ClientOrderId id = 0;
    std::string reason;
};

struct BalanceUpdated {
    std::string asset;
    Quantity free;
    Quantity locked;
};

struct MarketStatusChanged {
    MarketState state = MarketState::Running;
    std::string reason;
};

using TradingEventPayload = std::variant<BookUpdated, TradePrinted, OrderPlaced, OrderFilled, OrderCancelled, OrderDone,
                                         OrderRejected, BalanceUpdated, MarketStatusChanged>;

/// One event of one market, as the strategy sees it.
struct TradingEvent {
    MarketId market = 0;
    std::int64_t receivedNs = 0;     // steady clock when the connector received it (for tick-to-action)
    std::int64_t exchangeTimeMs = 0; // exchange's own time, 0 when unknown
    TradingEventPayload payload;
};
// The hot path copies events by value through the queues (docs/BENCHMARKS.md, issue 15 part 9).
static_assert(sizeof(OrderFilled) <= 64, "OrderFilled outgrew the other events");
static_assert(sizeof(TradingEvent) <= 96, "TradingEvent outgrew 96 bytes");

/// Events the framework sends the strategy about the lifecycle.
struct ShuttingDown {};
struct MarketStopping {
    MarketId market = 0;
};
struct MarketStarted {
    MarketId market = 0;
};
using ControlEvent = std::variant<ShuttingDown, MarketStopping, MarketStarted>;

/// What the strategy answers to control events.
struct ShutdownDone {};
struct StrategyError {
    int code = 0;
    std::string message;
};
using ControlAction = std::variant<ShutdownDone, StrategyError>;

template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace md
