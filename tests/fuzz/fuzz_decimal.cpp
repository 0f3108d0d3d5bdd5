// The decimal parser: never crashes, and whatever it accepts prints back to the same value.
#include "domain/decimal.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const int scale = data[0] % 20; // 18 and 19 exercise the out-of-range refusal
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    for (auto parsed : {md::Decimal::parse(text), md::Decimal::parse(text, scale)}) {
        if (!parsed)
            continue;
        const auto again = md::Decimal::parse(parsed->toString(), parsed->scale());
        if (!again || !(*again == *parsed))
            std::abort();
        (void)parsed->toTrimmedString();
        (void)parsed->roundedToStep(md::Decimal(5, 2), md::Rounding::Nearest);
        (void)parsed->rounded(2, md::Rounding::Up);
        (void)(*parsed + *parsed);
        (void)(*parsed * md::Decimal(3, 1));
    }
    return 0;
}
