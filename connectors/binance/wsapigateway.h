#pragma once

#include "binance/wsapiconnection.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace md::binance {

/// The executor's way to the WebSocket API session, which lives on the producer thread: a request
/// is handed over with a queued call and the executor waits for its answer. When the session is
/// not up nothing is sent and the caller falls back to signed REST. A caller never waits forever:
/// when the session goes away, every request it held is answered — "not sent" if it never left,
/// "no answer" (outcome unknown) if it did.
/// Thread: any (one mutex); attach/detach on the session's thread, call() on the executor's.
class WsApiGateway {
public:
    /// When the session's thread took the request up and handed its frame to the socket (steady ns; 0: never).
    struct Stamps {
        std::int64_t takenUpNs = 0;
        std::int64_t writtenNs = 0;
    };
    void attach(WsApiConnection* session);
    void detach(WsApiConnection* session);
    bool isUp() const;
    /// nullopt: the session is not up, nothing was sent.
    std::optional<Response> call(const WsRequest& request, int timeoutMs, Stamps* stamps = nullptr);

private:
    struct Call {
        std::mutex mutex;
        std::condition_variable done;
        bool finished = false;
        bool claimed = false; // the session took it up (it is being sent, or was refused)
        std::atomic<bool> sent{false};
        std::atomic<std::int64_t> takenUpNs{0};
        std::atomic<std::int64_t> writtenNs{0};
        Response response;
        void finish(Response r);
    };

    mutable std::mutex m_mutex;
    WsApiConnection* m_session = nullptr;
    std::set<std::shared_ptr<Call>> m_calls;
};

} // namespace md::binance
