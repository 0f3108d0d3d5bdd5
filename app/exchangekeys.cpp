#include "exchangekeys.h"

#include "connectorcatalog.h"
#include "keychainstore.h"

#include "binance/binanceconnectorfactory.h"
#include "connectdialog.h"
#include "logging/logging.h"
#include "mainwindow.h"

#include <QAction>
#include <QMenuBar>

namespace md {

ExchangeKeys::~ExchangeKeys() = default;

std::unique_ptr<ExchangeKeys> ExchangeKeys::install(const AppConfig& config, MainWindow& window) {
    BinanceConnectorFactory* binance = binanceConnectorFactory();
    QStringList markets;
    for (const auto& m : config.markets)
        if (m.connector == "binance")
            markets << QString::fromStdString(m.name);
    if (!binance || markets.isEmpty())
        return nullptr;
    auto log = logging::get("ui");
    auto* store = new KeychainStore;
    if (const QString problem = store->loadAll(markets, 3000); !problem.isEmpty())
        log->warn("keychain: {} (keys from the environment still work)", problem.toStdString());
    binance->setStoredKeysProvider([store](const std::string& market) { return store->stored(market); });

    auto* connect = window.menuBar()->addMenu(QObject::tr("E&xchange"))->addAction(QObject::tr("Connect…"));
    QObject::connect(connect, &QAction::triggered, &window, [store, markets, log, parent = &window] {
        auto* dialog = new ConnectDialog(markets, store->storedMarkets(), parent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &ConnectDialog::keysEntered, store,
                         [store, log](const QString& market, const QByteArray& apiKey, const QByteArray& secret) {
                             store->save(market, apiKey, secret, [log, market](const QString& error) {
                                 if (error.isEmpty())
                                     log->info("keys for {} stored in the keychain: used when the market next starts",
                                               market.toStdString());
                                 else
                                     log->error("keys for {} could not be stored in the keychain: {}",
                                                market.toStdString(), error.toStdString());
                             });
                         });
        QObject::connect(dialog, &ConnectDialog::forgetRequested, store, [store, log](const QString& market) {
            store->forget(market, [log, market](const QString& error) {
                if (error.isEmpty())
                    log->info("keys for {} removed from the keychain", market.toStdString());
                else
                    log->error("keys for {} could not be removed: {}", market.toStdString(), error.toStdString());
            });
        });
        dialog->open();
    });
    return std::unique_ptr<ExchangeKeys>(new ExchangeKeys(store));
}

} // namespace md
