#pragma once

#include "kraken/krakenmessages.h"

#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace md::kraken {

struct ParseError {
    std::string message;
};

/// Turns Kraken WebSocket v2 frames (public and authenticated) into messages, with simdjson on-demand.
/// Book prices and quantities become integer units at the pair's precision, read from the JSON number
/// text (jsonnumber.h); a book frame before the precision is known, or a level finer than it, is an
/// error. Keeps simdjson's buffers between calls, so one parser serves one thread.
/// Errors: a malformed or unexpected frame gives a ParseError naming what was wrong.
class Parser {
public:
    Parser();
    ~Parser();

    /// The pair's price and quantity precision (from `instrument`); -1 while unknown.
    void setBookPrecision(int pricePrecision, int qtyPrecision);
    int pricePrecision() const;
    int qtyPrecision() const;

    std::variant<Message, ParseError> parse(std::string_view frame);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace md::kraken
