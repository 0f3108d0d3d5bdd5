#pragma once

#include "journal/sqlitejournal.h"

#include "engine/connector.h"

#include <QObject>
#include <QString>

#include <vector>

namespace md {

/// Compares what the journal says earlier runs left open with what each exchange reports when its
/// market starts (Engine::marketReconciled): orders the exchange no longer has are settled in the
/// journal, orders it still has are confirmed, orders it has that the journal does not know are
/// reported. The exchange is asked off the UI thread by the engine; this only compares and writes.
/// Thread: the main thread.
class StartupReconciler : public QObject {
    Q_OBJECT
public:
    /// currentTag: this run's order tag, whose orders on the exchange are not leftovers.
    StartupReconciler(QString journalPath, std::string currentTag, std::vector<JournalOrder> leftovers,
                      QObject* parent = nullptr);

    enum class Moment { StartUp, CloseOut };
    /// What one market's exchange says is open, at start-up or at a verified close-out.
    void onMarketReconciled(const std::string& market, bool reachable, const std::vector<OpenOrderInfo>& onExchange,
                            Moment moment = Moment::StartUp);
    /// Earlier runs' orders still open (confirmed) or unknown (exchange not reachable yet).
    const std::vector<JournalOrder>& outstanding() const { return m_leftovers; }

signals:
    void outstandingChanged();

private:
    QString m_journalPath;
    std::string m_currentTag;
    std::vector<JournalOrder> m_leftovers;
};

} // namespace md
