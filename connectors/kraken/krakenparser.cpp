#include "kraken/krakenparser.h"

#include "kraken/jsonnumber.h"

#include <simdjson.h>

#include <cstring>
#include <utility>
#include <vector>

namespace md::kraken {

using namespace simdjson;

struct Parser::Impl {
    ondemand::parser parser;
    std::vector<char> buffer; // reused: no allocation per frame once it is large enough
    int pricePrecision = -1;
    int qtyPrecision = -1;
};

namespace {

struct Failure {
    std::string message;
};

std::string_view str(ondemand::value v, const char* what) {
    std::string_view s;
    if (v.get_string().get(s))
        throw Failure{std::string(what) + ": expected a string"};
    return s;
}

std::string_view raw(ondemand::value v, const char* what) {
    // The value's own text: simdjson does not convert it, so no digit goes through a double.
    return v.raw_json_token();
}

std::int64_t units(ondemand::value v, int scale, const char* what) {
    const std::string_view text = raw(v, what);
    const auto u = unitsAt(text, scale);
    if (!u || *u < 0)
        throw Failure{std::string(what) + " " + std::string(text.substr(0, 40)) + " is not a non-negative number at " +
                      std::to_string(scale) + " decimals"};
    return *u;
}

Decimal decimal(ondemand::value v, const char* what) {
    const std::string_view text = raw(v, what);
    const auto d = exactDecimal(text);
    if (!d)
        throw Failure{std::string(what) + " " + std::string(text.substr(0, 40)) + " is not a decimal number"};
    return *d;
}

int integer(ondemand::value v, const char* what) {
    std::int64_t n;
    if (v.get_int64().get(n) || n < 0 || n > 1000000)
        throw Failure{std::string(what) + ": expected a small non-negative integer"};
    return static_cast<int>(n);
}

bool boolean(ondemand::value v, const char* what) {
    bool b;
    if (v.get_bool().get(b))
        throw Failure{std::string(what) + ": expected true or false"};
    return b;
}

// A field that may be absent. Any other error leaves simdjson's iterator unusable (a malformed
// document): it ends the parse, never a further lookup (found by fuzz_kraken).
bool optionalField(ondemand::object& o, std::string_view key, ondemand::value& out) {
    const auto error = o.find_field_unordered(key).get(out);
    if (error == NO_SUCH_FIELD)
        return false;
    if (error)
        throw Failure{"malformed JSON near \"" + std::string(key) + "\""};
    return true;
}

bool isSnapshot(ondemand::object& root) {
    std::string_view type;
    ondemand::value t;
    if (!optionalField(root, "type", t))
        return false;
    if (t.get_string().get(type))
        throw Failure{"type: expected a string"};
    if (type != "snapshot" && type != "update")
        throw Failure{"type: expected snapshot or update"};
    return type == "snapshot";
}

ondemand::value data(ondemand::object& root, const char* channel) {
    ondemand::value v;
    if (root.find_field_unordered("data").get(v))
        throw Failure{std::string(channel) + ": no data"};
    return v;
}

/// Calls fn(key, value) for every field of an object, in document order (simdjson on-demand).
template <class Fn> void eachField(ondemand::object& o, Fn fn) {
    for (auto field : o) {
        std::string_view key;
        if (field.unescaped_key().get(key))
            throw Failure{"bad key"};
        fn(key, field.value());
    }
}

/// Calls fn(object) for every element of an array that must hold objects.
template <class Fn> void eachObject(ondemand::value v, const std::string& what, Fn fn) {
    ondemand::array array;
    if (v.get_array().get(array))
        throw Failure{what + ": expected an array"};
    for (auto entry : array) {
        ondemand::object o;
        if (entry.get_object().get(o))
            throw Failure{what + ": expected objects"};
        fn(o);
    }
}

std::string text(ondemand::value v, const char* what) {
    return std::string(str(v, what));
}

void levels(ondemand::value v, std::vector<Level>& out, int ps, int qs, const char* what) {
    eachObject(v, what, [&](ondemand::object& level) {
        Level l;
        int seen = 0;
        eachField(level, [&](std::string_view key, ondemand::value value) {
            if (key == "price") {
                l.price = units(value, ps, "price");
                seen |= 1;
            } else if (key == "qty") {
                l.quantity = units(value, qs, "qty");
                seen |= 2;
            }
        });
        if (seen != 3)
            throw Failure{std::string(what) + ": a level without price or qty"};
        out.push_back(l);
    });
}

BookMessage book(ondemand::object& root, int ps, int qs) {
    if (ps < 0 || qs < 0)
        throw Failure{"book: the pair's precision is not known yet (instrument first)"};
    BookMessage m;
    m.snapshot = isSnapshot(root);
    bool first = true;
    eachObject(data(root, "book"), "book: data", [&](ondemand::object& o) {
        if (!std::exchange(first, false))
            return; // one symbol per subscription: the first entry is ours
        eachField(o, [&](std::string_view key, ondemand::value v) {
            if (key == "symbol")
                m.symbol = text(v, "symbol");
            else if (key == "bids")
                levels(v, m.bids, ps, qs, "bids");
            else if (key == "asks")
                levels(v, m.asks, ps, qs, "asks");
            else if (key == "checksum") {
                std::uint64_t c;
                if (v.get_uint64().get(c) || c > 0xffffffffULL)
                    throw Failure{"checksum: expected an unsigned 32-bit integer"};
                m.checksum = static_cast<std::uint32_t>(c);
                m.hasChecksum = true;
            }
        });
    });
    if (m.symbol.empty())
        throw Failure{"book: no entry with a symbol"};
    if (!m.hasChecksum)
        throw Failure{"book: no checksum"};
    return m;
}

InstrumentMessage instrument(ondemand::object& root) {
    InstrumentMessage m;
    m.snapshot = isSnapshot(root);
    ondemand::object d;
    if (data(root, "instrument").get_object().get(d))
        throw Failure{"instrument: data: expected an object"};
    ondemand::value pairs;
    if (!optionalField(d, "pairs", pairs))
        return m; // an asset-only update
    eachObject(pairs, "instrument: pairs", [&](ondemand::object& o) {
        PairInfo info;
        eachField(o, [&](std::string_view key, ondemand::value v) {
            if (key == "symbol")
                info.symbol = text(v, "symbol");
            else if (key == "base")
                info.base = text(v, "base");
            else if (key == "quote")
                info.quote = text(v, "quote");
            else if (key == "status")
                info.status = text(v, "status");
            else if (key == "price_precision")
                info.pricePrecision = integer(v, "price_precision");
            else if (key == "qty_precision")
                info.qtyPrecision = integer(v, "qty_precision");
            else if (key == "price_increment")
                info.priceIncrement = decimal(v, "price_increment");
            else if (key == "qty_increment")
                info.qtyIncrement = decimal(v, "qty_increment");
            else if (key == "qty_min")
                info.qtyMin = decimal(v, "qty_min");
            else if (key == "cost_min")
                info.costMin = decimal(v, "cost_min");
        });
        if (info.symbol.empty() || info.pricePrecision < 0 || info.qtyPrecision < 0 ||
            info.pricePrecision > Decimal::kMaxScale || info.qtyPrecision > Decimal::kMaxScale)
            throw Failure{"instrument: a pair without symbol, price_precision or qty_precision"};
        m.pairs.push_back(std::move(info));
    });
    return m;
}

TradeMessage trades(ondemand::object& root) {
    TradeMessage m;
    eachObject(data(root, "trade"), "trade: data", [&](ondemand::object& o) {
        Trade t;
        int seen = 0;
        eachField(o, [&](std::string_view key, ondemand::value v) {
            if (key == "symbol")
                t.symbol = text(v, "symbol");
            else if (key == "side") {
                const auto side = str(v, "side");
                if (side != "buy" && side != "sell")
                    throw Failure{"trade: side: expected buy or sell"};
                t.aggressor = side == "buy" ? Side::Bid : Side::Ask;
                seen |= 1;
            } else if (key == "price") {
                t.price = decimal(v, "price");
                seen |= 2;
            } else if (key == "qty") {
                t.quantity = decimal(v, "qty");
                seen |= 4;
            }
        });
        if (seen != 7)
            throw Failure{"trade: missing side, price or qty"};
        m.trades.push_back(std::move(t));
    });
    return m;
}

StatusMessage status(ondemand::object& root) {
    StatusMessage m;
    eachObject(data(root, "status"), "status: data", [&](ondemand::object& o) {
        eachField(o, [&](std::string_view key, ondemand::value v) {
            if (key == "system")
                m.system = text(v, "system");
            else if (key == "api_version")
                m.apiVersion = text(v, "api_version");
        });
    });
    if (m.system.empty())
        throw Failure{"status: no system state"};
    return m;
}

ExecutionsMessage executions(ondemand::object& root) {
    ExecutionsMessage m;
    m.snapshot = isSnapshot(root);
    eachObject(data(root, "executions"), "executions: data", [&](ondemand::object& o) {
        Execution e;
        eachField(o, [&](std::string_view key, ondemand::value v) {
            auto exact = [&](Decimal& out, bool* has) {
                out = decimal(v, std::string(key).c_str());
                if (has)
                    *has = true;
            };
            if (key == "exec_type")
                e.execType = text(v, "exec_type");
            else if (key == "order_status")
                e.orderStatus = text(v, "order_status");
            else if (key == "order_id")
                e.orderId = text(v, "order_id");
            else if (key == "cl_ord_id")
                e.clOrdId = text(v, "cl_ord_id");
            else if (key == "symbol")
                e.symbol = text(v, "symbol");
            else if (key == "side")
                e.side = text(v, "side");
            else if (key == "order_qty")
                exact(e.orderQty, &e.hasOrderQty);
            else if (key == "limit_price")
                exact(e.limitPrice, &e.hasLimitPrice);
            else if (key == "cum_qty")
                exact(e.cumQty, &e.hasCumQty);
            else if (key == "last_qty")
                exact(e.lastQty, &e.hasLast);
            else if (key == "last_price")
                exact(e.lastPrice, nullptr);
            else if (key == "reason")
                e.reason = text(v, "reason");
            else if (key == "fees")
                eachObject(v, "executions: fees", [&](ondemand::object& f) {
                    Execution::Fee fee;
                    int seen = 0;
                    eachField(f, [&](std::string_view k, ondemand::value fv) {
                        if (k == "asset") {
                            fee.asset = text(fv, "fees: asset");
                            seen |= 1;
                        } else if (k == "qty") {
                            fee.qty = decimal(fv, "fees: qty");
                            seen |= 2;
                        }
                    });
                    if (seen != 3 || fee.asset.empty())
                        throw Failure{"executions: a fee without asset or qty"};
                    e.fees.push_back(std::move(fee));
                });
        });
        if (e.execType.empty() || e.orderId.empty())
            throw Failure{"executions: an entry without exec_type or order_id"};
        if (!e.side.empty() && e.side != "buy" && e.side != "sell")
            throw Failure{"executions: side: expected buy or sell"};
        m.executions.push_back(std::move(e));
    });
    return m;
}

BalancesMessage balances(ondemand::object& root) {
    BalancesMessage m;
    m.snapshot = isSnapshot(root);
    eachObject(data(root, "balances"), "balances: data", [&](ondemand::object& o) {
        Balance b;
        int seen = 0;
        eachField(o, [&](std::string_view key, ondemand::value v) {
            if (key == "asset") {
                b.asset = text(v, "asset");
                seen |= 1;
            } else if (key == "balance") {
                b.balance = decimal(v, "balance");
                seen |= 2;
            }
        });
        if (seen != 3)
            throw Failure{"balances: an entry without asset or balance"};
        m.balances.push_back(std::move(b));
    });
    return m;
}

MethodAnswer answer(ondemand::object& root) {
    MethodAnswer a;
    eachField(root, [&](std::string_view key, ondemand::value v) {
        if (key == "method")
            a.method = text(v, "method");
        else if (key == "req_id") {
            if (v.get_uint64().get(a.reqId))
                throw Failure{"req_id: expected an unsigned integer"};
            a.hasReqId = true;
        } else if (key == "success")
            a.success = boolean(v, "success");
        else if (key == "error")
            a.error = text(v, "error");
        else if (key == "result") {
            ondemand::object r;
            if (v.get_object().get(r))
                return; // batch answers carry arrays; we send none
            eachField(r, [&](std::string_view rk, ondemand::value rv) {
                if (rk == "order_id")
                    a.orderId = text(rv, "order_id");
                else if (rk == "cl_ord_id")
                    a.clOrdId = text(rv, "cl_ord_id");
                else if (rk == "channel")
                    a.channel = text(rv, "channel");
                else if (rk == "count")
                    a.count = integer(rv, "count");
                else if (rk == "triggerTime")
                    a.triggerTime = text(rv, "triggerTime");
                else if (rk == "currentTime")
                    a.currentTime = text(rv, "currentTime");
            });
        }
    });
    if (a.method.empty())
        throw Failure{"an answer without method"};
    // pong carries no success flag: it is its own answer.
    if (a.method == "pong")
        a.success = true;
    return a;
}

} // namespace

Parser::Parser()
    : d(std::make_unique<Impl>()) {}

Parser::~Parser() = default;

void Parser::setBookPrecision(int pricePrecision, int qtyPrecision) {
    d->pricePrecision = pricePrecision;
    d->qtyPrecision = qtyPrecision;
}
int Parser::pricePrecision() const {
    return d->pricePrecision;
}
int Parser::qtyPrecision() const {
    return d->qtyPrecision;
}

std::variant<Message, ParseError> Parser::parse(std::string_view frame) {
    try {
        if (d->buffer.size() < frame.size() + SIMDJSON_PADDING)
            d->buffer.resize(frame.size() + SIMDJSON_PADDING);
        std::memcpy(d->buffer.data(), frame.data(), frame.size());
        ondemand::document doc;
        if (d->parser.iterate(padded_string_view(d->buffer.data(), frame.size(), d->buffer.size())).get(doc))
            return ParseError{"not JSON"};
        ondemand::object root;
        if (doc.get_object().get(root))
            return ParseError{"not a JSON object"};
        std::string_view channel;
        ondemand::value c;
        if (!optionalField(root, "channel", c)) {
            root.reset();
            return Message(answer(root));
        }
        if (c.get_string().get(channel))
            return ParseError{"channel: expected a string"};
        if (channel == "book")
            return Message(book(root, d->pricePrecision, d->qtyPrecision));
        if (channel == "heartbeat")
            return Message(Heartbeat{});
        if (channel == "trade")
            return Message(trades(root));
        if (channel == "instrument")
            return Message(instrument(root));
        if (channel == "status")
            return Message(status(root));
        if (channel == "executions")
            return Message(executions(root));
        if (channel == "balances")
            return Message(balances(root));
        return Message(Ignored{std::string(channel)});
    } catch (const Failure& f) {
        return ParseError{f.message};
    } catch (const simdjson_error& e) {
        return ParseError{std::string("malformed JSON: ") + e.what()};
    }
}

} // namespace md::kraken
