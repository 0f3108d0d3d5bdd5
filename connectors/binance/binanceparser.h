#pragma once

#include "binance/binancemessages.h"

#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace md::binance {

struct ParseError {
    std::string message;
};

/// Turns Binance frames and REST bodies into messages, with simdjson (on-demand) and exact decimals
/// at one instrument's scales. Keeps simdjson's buffers between calls, so one parser serves one
/// thread. Errors: a malformed or unexpected frame gives a ParseError naming what was wrong.
class Parser {
public:
    Parser(int priceScale, int quantityScale);
    ~Parser();

    /// A combined-stream frame: {"stream": "...", "data": {...}}.
    std::variant<StreamMessage, ParseError> parseStreamFrame(std::string_view frame);
    /// The body of GET /api/v3/depth.
    std::variant<DepthSnapshot, ParseError> parseDepthSnapshot(std::string_view body);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace md::binance
