#pragma once

#include "engine/connector.h"

#include <QObject>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QTimer;

namespace md {

/// Asks one market's exchange which orders are open, on a thread of the engine's own — never Qt's
/// global pool, where two hung connectors would hold every other market's start (the pool has one
/// thread per core) — and gives up after a timeout. The answer always comes back on the owner's
/// thread: the orders, or why there are none (no answer in time, the query threw, the exchange
/// could not be reached).
/// A query that never returns keeps its thread, like an abandoned executor; while it hangs the
/// market's next question is answered at once with "still waiting", so a hung connector costs one
/// thread, not one per question. The thread touches only what it shares with the asker through a
/// mailbox, never the asker itself, so the asker may be destroyed while a query hangs.
/// Thread: the owner's (the engine's) thread; the query runs on "query/<market>".
class OpenOrdersAsker : public QObject {
    Q_OBJECT
public:
    struct Answer {
        std::optional<std::vector<OpenOrderInfo>> orders; // nullopt: no answer
        std::string problem;                              // why there is no answer
        bool threw = false;                               // the query threw (the connector is broken)
    };
    using Done = std::function<void(const Answer&)>;

    explicit OpenOrdersAsker(std::string market, QObject* parent = nullptr);
    ~OpenOrdersAsker() override;

    /// Asks once; `done` is called here exactly once, unless cancel() comes first. A question still
    /// unanswered is replaced (its answer is dropped).
    void ask(OpenOrdersQuery query, std::chrono::milliseconds timeout, Done done);
    /// Drops the answer of the question under way, if any.
    void cancel();

private:
    struct Mailbox;
    void deliver(std::uint64_t question, const Answer& answer);

    std::string m_market;
    std::shared_ptr<Mailbox> m_mailbox;
    std::uint64_t m_question = 0; // the question whose answer is awaited; 0 when none
    Done m_done;
    QTimer* m_timeout;
};

} // namespace md
