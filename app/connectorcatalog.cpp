#include "connectorcatalog.h"

#include "sim/simconnectorfactory.h"
#ifdef MD_HAVE_BINANCE
#include "binance/binanceconnectorfactory.h"
#endif
#ifdef MD_HAVE_KRAKEN
#include "kraken/krakenconnectorfactory.h"
#endif

namespace md {

const ConnectorRegistry& connectorCatalog() {
    static const ConnectorRegistry* registry = [] {
        auto* r = new ConnectorRegistry; // leaked: abandoned threads may still use a factory's code paths
        r->add(new SimConnectorFactory);
#ifdef MD_HAVE_BINANCE
        r->add(new BinanceConnectorFactory);
#endif
#ifdef MD_HAVE_KRAKEN
        r->add(new KrakenConnectorFactory);
#endif
        return r;
    }();
    return *registry;
}

} // namespace md
