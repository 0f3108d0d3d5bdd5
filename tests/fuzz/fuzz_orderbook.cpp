// The order book fed arbitrary changes: sides stay sorted, no empty level survives.
#include "domain/orderbook.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    md::OrderBook book(2, 4);
    for (std::size_t i = 0; i + 5 <= size; i += 5) {
        const md::Side side = data[i] & 1 ? md::Side::Ask : md::Side::Bid;
        std::uint16_t price;
        std::uint16_t qty;
        std::memcpy(&price, data + i + 1, 2);
        std::memcpy(&qty, data + i + 3, 2);
        if (data[i] & 2)
            book.applyChange(side, md::Price(price, data[i] & 4 ? 3 : 2), md::Quantity(qty % 50, 4));
        else
            book.applyRaw(side, price, qty % 50);
    }
    for (md::Side side : {md::Side::Bid, md::Side::Ask}) {
        const auto& levels = book.rawSide(side);
        for (std::size_t i = 0; i < levels.size(); ++i) {
            if (levels[i].quantity <= 0)
                std::abort();
            if (i > 0 && (side == md::Side::Bid ? levels[i - 1].price <= levels[i].price
                                                : levels[i - 1].price >= levels[i].price))
                std::abort();
        }
    }
    (void)book.isCrossed();
    (void)book.mid();
    return 0;
}
