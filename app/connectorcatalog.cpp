#include "connectorcatalog.h"

#include "sim/simconnectorfactory.h"
#ifdef MD_HAVE_BINANCE
#include "binance/binanceconnectorfactory.h"
#endif
#ifdef MD_HAVE_KRAKEN
#include "kraken/krakenconnectorfactory.h"
#endif

namespace md {

namespace {
BinanceConnectorFactory* g_binance = nullptr;
} // namespace

BinanceConnectorFactory* binanceConnectorFactory() {
    (void)connectorCatalog();
    return g_binance;
}

const ConnectorRegistry& connectorCatalog() {
    static const ConnectorRegistry* registry = [] {
        auto* r = new ConnectorRegistry; // leaked: abandoned threads may still use a factory's code paths
        r->add(new SimConnectorFactory);
#ifdef MD_HAVE_BINANCE
        g_binance = new BinanceConnectorFactory;
        r->add(g_binance);
#endif
#ifdef MD_HAVE_KRAKEN
        r->add(new KrakenConnectorFactory);
#endif
        return r;
    }();
    return *registry;
}

} // namespace md
