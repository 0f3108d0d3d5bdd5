// Kraken v2 frames (public and private) fed arbitrary input: the first bytes choose the pair's precision
// and the book depth, the rest is split into frames at newlines; every frame is parsed, every book
// message applied to the book and its checksum computed, every execution mapped for the order tracker.
// Never a crash; the book never holds an empty level, is never deeper than its depth, stays sorted; the
// JSON-number reader agrees with itself.
#include "kraken/executionmapping.h"
#include "kraken/jsonnumber.h"
#include "kraken/krakenbook.h"
#include "kraken/krakenparser.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3)
        return 0;
    const int pricePrecision = data[0] % 10;
    const int qtyPrecision = data[1] % 10;
    static const int depths[] = {10, 25, 100, 500, 1000};
    md::kraken::Parser parser;
    parser.setBookPrecision(pricePrecision, qtyPrecision);
    md::kraken::KrakenBook book(depths[data[2] % 5]);
    std::string_view rest(reinterpret_cast<const char*>(data + 3), size - 3);
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const std::string_view frame = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        // The number reader: an exact value, when there is one, reads back at its own scale.
        if (const auto d = md::kraken::exactDecimal(frame)) {
            const auto units = md::kraken::unitsAt(frame, d->scale());
            if (!units || *units != d->units())
                std::abort();
        }
        auto parsed = parser.parse(frame);
        auto* message = std::get_if<md::kraken::Message>(&parsed);
        if (!message)
            continue;
        if (auto* b = std::get_if<md::kraken::BookMessage>(message)) {
            book.apply(*b);
            (void)book.checksum();
        } else if (auto* e = std::get_if<md::kraken::ExecutionsMessage>(message)) {
            for (const auto& x : e->executions)
                (void)md::kraken::toOrderUpdate(x, 8, 8);
        }
    }
    for (const auto* side : {&book.bids(), &book.asks()}) {
        if (side->size() > static_cast<std::size_t>(book.depth()))
            std::abort();
        for (std::size_t i = 0; i < side->size(); ++i) {
            if ((*side)[i].quantity <= 0)
                std::abort();
            if (i > 0 && (side == &book.bids() ? (*side)[i - 1].price <= (*side)[i].price
                                               : (*side)[i - 1].price >= (*side)[i].price))
                std::abort();
        }
    }
    return 0;
}
