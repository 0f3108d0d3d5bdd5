// Binance's user data and order answers fed arbitrary input: the first byte chooses the scales,
// the rest is split into frames at newlines; each frame's first byte chooses the parser (user data
// event, order answer, order list, account, exchange info, error body, WebSocket API frame). Every
// order report goes through the OrderTracker, which holds four orders of ours and adopts any other
// order of this run a report tells of. Never a crash, and the events it makes keep DESIGN §1's
// order: Placed first, fills of positive size that never exceed the order, then exactly one
// Cancelled or Done, nothing after it.
#include "binance/orderparser.h"

#include "common/ordertracker.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string_view>

namespace {

struct Story {
    bool placed = false;
    bool ended = false;
    md::Quantity filled;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1)
        return 0;
    const int priceScale = data[0] % 9;
    const int quantityScale = (data[0] / 9) % 9;
    const md::binance::OrderParser parser(priceScale, quantityScale);
    std::map<md::ClientOrderId, Story> stories;
    std::map<md::ClientOrderId, md::Quantity> sizes;
    auto check = [&](md::TradingEventPayload event, std::int64_t) {
        std::visit(
            [&](const auto& e) {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, md::OrderPlaced> || std::is_same_v<T, md::OrderFilled> ||
                              std::is_same_v<T, md::OrderCancelled> || std::is_same_v<T, md::OrderDone>) {
                    if (e.id == 0)
                        std::abort(); // an event for an order that is not ours
                    Story& s = stories[e.id];
                    if (s.ended)
                        std::abort(); // anything after the end
                    if constexpr (std::is_same_v<T, md::OrderPlaced>) {
                        if (s.placed)
                            std::abort(); // placed twice
                        s.placed = true;
                        if (!sizes.count(e.id)) { // adopted: its size is the one it was placed with
                            sizes[e.id] = e.quantity;
                            s.filled = md::Quantity(0, e.quantity.scale());
                        }
                    } else {
                        if (!s.placed)
                            std::abort(); // before Placed
                        if constexpr (std::is_same_v<T, md::OrderFilled>) {
                            if (!e.quantity.decimal().isPositive())
                                std::abort();
                            s.filled += e.quantity;
                            if (sizes[e.id] < s.filled)
                                std::abort(); // more filled than ordered
                        } else {
                            s.ended = true;
                        }
                    }
                }
            },
            event);
    };
    md::venue::OrderTracker tracker(check, priceScale, md::venue::ClientIdCodec("fz"));
    for (md::ClientOrderId id = 1; id < 5; ++id) {
        sizes[id] = md::Quantity(static_cast<std::int64_t>(id) * 1000, quantityScale);
        stories[id].filled = md::Quantity(0, quantityScale);
        tracker.expect(md::PlaceLimit{id % 2 ? md::Side::Bid : md::Side::Ask,
                                      md::Price(100 * static_cast<std::int64_t>(id), priceScale), sizes[id], id});
    }
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        std::string_view frame = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (frame.empty())
            continue;
        const char kind = frame.front();
        frame.remove_prefix(1);
        const QByteArray bytes(frame.data(), static_cast<qsizetype>(frame.size()));
        using md::binance::OrderParser;
        switch (kind % 7) {
        case 0: {
            auto event = parser.parseUserData(bytes);
            if (auto* user = std::get_if<md::binance::UserDataEvent>(&event))
                if (auto* report = std::get_if<md::binance::OrderReport>(user))
                    tracker.apply(OrderParser::toUpdate(*report));
            break;
        }
        case 1: {
            auto order = parser.parseOrder(bytes);
            if (auto* report = std::get_if<md::binance::OrderReport>(&order))
                tracker.apply(OrderParser::toUpdate(*report));
            break;
        }
        case 2: {
            auto list = parser.parseOrderList(bytes);
            if (auto* reports = std::get_if<std::vector<md::binance::OrderReport>>(&list))
                for (const auto& report : *reports)
                    tracker.apply(OrderParser::toUpdate(report));
            break;
        }
        case 3:
            (void)parser.parseAccount(bytes);
            break;
        case 4:
            (void)parser.parseExchangeInfo(bytes, "BTCUSDT");
            (void)md::venue::ClientIdCodec::parse(bytes.toStdString());
            break;
        case 5: {
            // A WebSocket API frame: an answer (its result may be an order) or a pushed event.
            auto message = OrderParser::parseWsApi(bytes);
            if (auto* m = std::get_if<md::binance::WsApiMessage>(&message)) {
                auto event = parser.parseUserData(m->isEvent ? m->event : m->result);
                if (auto* user = std::get_if<md::binance::UserDataEvent>(&event))
                    if (auto* report = std::get_if<md::binance::OrderReport>(user))
                        tracker.apply(OrderParser::toUpdate(*report));
                auto order = parser.parseOrder(m->result);
                if (auto* report = std::get_if<md::binance::OrderReport>(&order))
                    tracker.apply(OrderParser::toUpdate(*report));
            }
            break;
        }
        default:
            (void)OrderParser::parseApiError(bytes);
            (void)OrderParser::parseServerTime(bytes);
            (void)OrderParser::parseAvgPrice(bytes);
            break;
        }
    }
    return 0;
}
