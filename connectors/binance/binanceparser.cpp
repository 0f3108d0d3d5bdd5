#include "binance/binanceparser.h"

#include <simdjson.h>

namespace md::binance {

using namespace simdjson;

struct Parser::Impl {
    ondemand::parser parser;
    padded_string buffer;
    int priceScale;
    int quantityScale;
};

namespace {

struct Failure {
    std::string message;
};

// Exact decimal from a JSON string value, at a fixed scale (refuses digits that would be lost).
template <class T> std::int64_t units(std::string_view text, int scale, const char* what) {
    auto d = Decimal::parse(text, scale);
    if (!d)
        throw Failure{std::string(what) + " \"" + std::string(text) + "\" is not a decimal at scale " +
                      std::to_string(scale)};
    return d->units();
}

template <class T> T fixed(std::string_view text, int scale, const char* what) {
    return T(units<T>(text, scale, what), scale);
}

std::string_view str(ondemand::value v, const char* what) {
    std::string_view s;
    if (v.get_string().get(s))
        throw Failure{std::string(what) + ": expected a string"};
    return s;
}

std::uint64_t u64(ondemand::value v, const char* what) {
    std::uint64_t n;
    if (v.get_uint64().get(n))
        throw Failure{std::string(what) + ": expected an unsigned integer"};
    return n;
}

std::int64_t i64(ondemand::value v, const char* what) {
    std::int64_t n;
    if (v.get_int64().get(n))
        throw Failure{std::string(what) + ": expected an integer"};
    return n;
}

void levels(ondemand::value v, std::vector<Level>& out, int priceScale, int quantityScale, const char* what) {
    ondemand::array array;
    if (v.get_array().get(array))
        throw Failure{std::string(what) + ": expected an array of [price, quantity]"};
    for (auto entry : array) {
        ondemand::array pair;
        if (entry.get_array().get(pair))
            throw Failure{std::string(what) + ": expected [price, quantity]"};
        Level level;
        int i = 0;
        for (auto field : pair) {
            ondemand::value value;
            if (field.get(value))
                throw Failure{std::string(what) + ": bad level"};
            if (i == 0)
                level.price = units<Price>(str(value, what), priceScale, "price");
            else if (i == 1)
                level.quantity = units<Quantity>(str(value, what), quantityScale, "quantity");
            ++i;
        }
        if (i != 2)
            throw Failure{std::string(what) + ": expected [price, quantity]"};
        out.push_back(level);
    }
}

} // namespace

Parser::Parser(int priceScale, int quantityScale)
    : d(std::make_unique<Impl>()) {
    d->priceScale = priceScale;
    d->quantityScale = quantityScale;
}

Parser::~Parser() = default;

std::variant<StreamMessage, ParseError> Parser::parseStreamFrame(std::string_view frame) {
    try {
        d->buffer = padded_string(frame);
        ondemand::document doc;
        if (d->parser.iterate(d->buffer).get(doc))
            return ParseError{"not JSON"};
        ondemand::object root;
        if (doc.get_object().get(root))
            return ParseError{"not a JSON object"};
        std::string_view stream;
        ondemand::object data;
        bool haveData = false;
        // Binance writes "stream" before "data"; fields are read in document order (on-demand).
        for (auto field : root) {
            std::string_view key;
            if (field.unescaped_key().get(key))
                return ParseError{"bad key"};
            if (key == "stream") {
                stream = str(field.value(), "stream");
            } else if (key == "data") {
                if (field.value().get_object().get(data))
                    return ParseError{"data: expected an object"};
                haveData = true;
                break;
            }
        }
        if (stream.empty() || !haveData)
            return ParseError{"expected {\"stream\": ..., \"data\": {...}}"};
        if (stream == "!serverShutdown") {
            StreamShutdown notice;
            for (auto field : data) {
                std::string_view key;
                if (field.unescaped_key().get(key))
                    return ParseError{"bad key"};
                if (key == "E")
                    notice.eventTimeMs = i64(field.value(), "E");
            }
            return StreamMessage(notice);
        }
        const auto at = stream.find('@');
        const std::string_view kind = at == std::string_view::npos ? std::string_view() : stream.substr(at + 1);
        if (kind.rfind("depth", 0) == 0) {
            DepthDiff diff;
            bool haveU = false, haveu = false;
            for (auto field : data) {
                std::string_view key;
                if (field.unescaped_key().get(key))
                    return ParseError{"bad key"};
                ondemand::value v = field.value();
                if (key == "s")
                    diff.symbol = std::string(str(v, "s"));
                else if (key == "U") {
                    diff.firstUpdateId = u64(v, "U");
                    haveU = true;
                } else if (key == "u") {
                    diff.finalUpdateId = u64(v, "u");
                    haveu = true;
                } else if (key == "E")
                    diff.eventTimeMs = i64(v, "E");
                else if (key == "b")
                    levels(v, diff.bids, d->priceScale, d->quantityScale, "b");
                else if (key == "a")
                    levels(v, diff.asks, d->priceScale, d->quantityScale, "a");
            }
            if (!haveU || !haveu || diff.finalUpdateId < diff.firstUpdateId)
                return ParseError{"depthUpdate without a valid U/u range"};
            return StreamMessage(std::move(diff));
        }
        if (kind == "bookTicker") {
            BookTicker t;
            int seen = 0;
            for (auto field : data) {
                std::string_view key;
                if (field.unescaped_key().get(key))
                    return ParseError{"bad key"};
                ondemand::value v = field.value();
                if (key == "u") {
                    t.updateId = u64(v, "u");
                    ++seen;
                } else if (key == "s") {
                    t.symbol = std::string(str(v, "s"));
                } else if (key == "b") {
                    t.bid = fixed<Price>(str(v, "b"), d->priceScale, "b");
                    ++seen;
                } else if (key == "B") {
                    t.bidQuantity = fixed<Quantity>(str(v, "B"), d->quantityScale, "B");
                    ++seen;
                } else if (key == "a") {
                    t.ask = fixed<Price>(str(v, "a"), d->priceScale, "a");
                    ++seen;
                } else if (key == "A") {
                    t.askQuantity = fixed<Quantity>(str(v, "A"), d->quantityScale, "A");
                    ++seen;
                }
            }
            if (seen != 5)
                return ParseError{"bookTicker: missing u, b, B, a or A"};
            return StreamMessage(std::move(t));
        }
        if (kind == "aggTrade" || kind == "trade") {
            Trade t;
            int seen = 0;
            for (auto field : data) {
                std::string_view key;
                if (field.unescaped_key().get(key))
                    return ParseError{"bad key"};
                ondemand::value v = field.value();
                if (key == "s") {
                    t.symbol = std::string(str(v, "s"));
                } else if (key == "p") {
                    t.price = fixed<Price>(str(v, "p"), d->priceScale, "p");
                    ++seen;
                } else if (key == "q") {
                    t.quantity = fixed<Quantity>(str(v, "q"), d->quantityScale, "q");
                    ++seen;
                } else if (key == "m") {
                    bool maker = false;
                    if (v.get_bool().get(maker))
                        return ParseError{"m: expected a boolean"};
                    t.buyerIsMaker = maker;
                } else if (key == "T") {
                    t.tradeTimeMs = i64(v, "T");
                }
            }
            if (seen != 2)
                return ParseError{"trade: missing p or q"};
            return StreamMessage(std::move(t));
        }
        return StreamMessage(Ignored{std::string(stream)});
    } catch (const Failure& f) {
        return ParseError{f.message};
    } catch (const simdjson_error& e) {
        return ParseError{std::string("malformed JSON: ") + e.what()};
    }
}

std::variant<DepthSnapshot, ParseError> Parser::parseDepthSnapshot(std::string_view body) {
    try {
        d->buffer = padded_string(body);
        ondemand::document doc;
        if (d->parser.iterate(d->buffer).get(doc))
            return ParseError{"not JSON"};
        ondemand::object root;
        if (doc.get_object().get(root))
            return ParseError{"not a JSON object"};
        DepthSnapshot snapshot;
        bool haveId = false;
        for (auto field : root) {
            std::string_view key;
            if (field.unescaped_key().get(key))
                return ParseError{"bad key"};
            ondemand::value v = field.value();
            if (key == "lastUpdateId") {
                snapshot.lastUpdateId = u64(v, "lastUpdateId");
                haveId = true;
            } else if (key == "bids") {
                levels(v, snapshot.bids, d->priceScale, d->quantityScale, "bids");
            } else if (key == "asks") {
                levels(v, snapshot.asks, d->priceScale, d->quantityScale, "asks");
            }
        }
        if (!haveId)
            return ParseError{"depth snapshot without lastUpdateId"};
        return snapshot;
    } catch (const Failure& f) {
        return ParseError{f.message};
    } catch (const simdjson_error& e) {
        return ParseError{std::string("malformed JSON: ") + e.what()};
    }
}

} // namespace md::binance
