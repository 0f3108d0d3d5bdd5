#pragma once

#include "config/appconfig.h"

namespace md {

class BinanceConnectorFactory;

/// Every connector kind this build ships, registered once (the factories live for the process).
const ConnectorRegistry& connectorCatalog();
/// The catalog's Binance factory, nullptr in a build without it (the app hands it the keychain).
BinanceConnectorFactory* binanceConnectorFactory();

} // namespace md
