#include "strategy/strategyfactory.h"

#include "strategy/marketmakerstrategy.h"
#include "strategy/mirrorstrategy.h"
#include "strategy/nonestrategy.h"

namespace md {
namespace {
const std::vector<const StrategyFactory*>& factories() {
    static const MirrorStrategyFactory mirror;
    static const MarketMakerStrategyFactory marketMaker;
    static const NoneStrategyFactory none;
    static const std::vector<const StrategyFactory*> all{&mirror, &marketMaker, &none};
    return all;
}
} // namespace

const StrategyFactory* findStrategyFactory(const std::string& kind) {
    for (const StrategyFactory* f : factories())
        if (f->kind() == kind)
            return f;
    return nullptr;
}

std::vector<std::string> strategyKinds() {
    std::vector<std::string> kinds;
    for (const StrategyFactory* f : factories())
        kinds.push_back(f->kind());
    return kinds;
}

} // namespace md
