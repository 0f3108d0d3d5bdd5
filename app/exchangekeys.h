#pragma once

#include "config/appconfig.h"

#include <memory>

namespace md {

class KeychainStore;
class MainWindow;

/// Keys for the exchange markets of the window: reads what the OS keychain holds for each Binance
/// market, lets the Binance connector use it (after the config and the environment), and adds
/// Exchange → Connect… to the window, whose dialog stores new keys there.
/// Thread: the UI thread; installed before the engine starts its markets.
class ExchangeKeys {
public:
    static std::unique_ptr<ExchangeKeys> install(const AppConfig& config, MainWindow& window);
    ~ExchangeKeys();

private:
    explicit ExchangeKeys(KeychainStore* store)
        : m_store(store) {}
    KeychainStore* m_store; // leaked on purpose: a market may start (and ask it) until the process ends
};

} // namespace md
