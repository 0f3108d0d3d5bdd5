// Binance frames and the depth-sync state machine fed arbitrary input: the first bytes choose the
// scales, the rest is split into frames at newlines; every frame is parsed, every diff and snapshot
// fed to the state machine. Never a crash; the synced book is never left with an empty level.
#include "binance/binanceparser.h"
#include "binance/depthsync.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    const int priceScale = data[0] % 10;
    const int quantityScale = data[1] % 10;
    md::binance::Parser parser(priceScale, quantityScale);
    md::binance::DepthSync sync(priceScale, quantityScale, 64);
    std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const std::string_view frame = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (frame.rfind("{\"lastUpdateId\"", 0) == 0) {
            auto snapshot = parser.parseDepthSnapshot(frame);
            if (auto* s = std::get_if<md::binance::DepthSnapshot>(&snapshot))
                sync.onSnapshot(*s);
            continue;
        }
        auto parsed = parser.parseStreamFrame(frame);
        if (auto* message = std::get_if<md::binance::StreamMessage>(&parsed))
            if (auto* diff = std::get_if<md::binance::DepthDiff>(message))
                sync.onDiff(std::move(*diff));
    }
    for (md::Side side : {md::Side::Bid, md::Side::Ask})
        for (const auto& level : sync.book().rawSide(side))
            if (level.quantity <= 0)
                std::abort();
    return 0;
}
