#include "positions/netpositions.h"

#include <algorithm>

namespace md {

void NetPositions::onFill(MarketId market, const Instrument& instrument, Side side, Price price, Quantity quantity) {
    const Decimal base = quantity.decimal();
    const Decimal quote = (price * quantity).decimal();
    const bool buy = side == Side::Bid;
    auto& perMarket = m_markets[market];
    for (auto* book : {&m_desk, &perMarket}) {
        (*book)[instrument.base] += buy ? base : -base;
        (*book)[instrument.quote] += buy ? -quote : quote;
    }
}

Decimal NetPositions::desk(const std::string& asset) const {
    auto it = m_desk.find(asset);
    return it == m_desk.end() ? Decimal() : it->second;
}

Decimal NetPositions::market(MarketId market, const std::string& asset) const {
    auto m = m_markets.find(market);
    if (m == m_markets.end())
        return Decimal();
    auto it = m->second.find(asset);
    return it == m->second.end() ? Decimal() : it->second;
}

std::vector<AssetPosition> NetPositions::deskPositions() const {
    std::vector<AssetPosition> out;
    for (const auto& [asset, net] : m_desk)
        out.push_back({asset, net});
    return out;
}

std::vector<AssetPosition> NetPositions::marketPositions(MarketId market) const {
    std::vector<AssetPosition> out;
    auto m = m_markets.find(market);
    if (m != m_markets.end())
        for (const auto& [asset, net] : m->second)
            out.push_back({asset, net});
    return out;
}

void NetPositions::accumulate(std::vector<AssetPosition>& into, const std::vector<AssetPosition>& add) {
    for (const auto& p : add) {
        auto it = std::find_if(into.begin(), into.end(), [&](const AssetPosition& q) { return q.asset == p.asset; });
        if (it == into.end())
            into.push_back(p);
        else
            it->net += p.net;
    }
    std::sort(into.begin(), into.end(),
              [](const AssetPosition& a, const AssetPosition& b) { return a.asset < b.asset; });
}

} // namespace md
