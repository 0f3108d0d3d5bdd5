#include "binance/wsapigateway.h"

#include "domain/clock.h"

#include <QMetaObject>

#include <chrono>

namespace md::binance {

void WsApiGateway::Call::finish(Response r) {
    {
        std::lock_guard lock(mutex);
        if (finished)
            return;
        response = std::move(r);
        finished = true;
    }
    done.notify_all();
}

void WsApiGateway::attach(WsApiConnection* session) {
    std::lock_guard lock(m_mutex);
    m_session = session;
}

void WsApiGateway::detach(WsApiConnection* session) {
    std::set<std::shared_ptr<Call>> calls;
    {
        std::lock_guard lock(m_mutex);
        if (m_session != session)
            return;
        m_session = nullptr;
        calls.swap(m_calls);
    }
    // Requests handed over but never taken up by the session: nothing left. The session answers
    // the ones it sent itself (failPending) before it detaches on a loss.
    for (const auto& call : calls) {
        Response r;
        r.notSent = !call->sent.load();
        r.transportError =
            r.notSent ? "the WebSocket API session went down first" : "connection lost before the answer";
        call->finish(std::move(r));
    }
}

bool WsApiGateway::isUp() const {
    std::lock_guard lock(m_mutex);
    return m_session != nullptr;
}

std::optional<Response> WsApiGateway::call(const WsRequest& request, int timeoutMs, Stamps* stamps) {
    auto call = std::make_shared<Call>();
    {
        std::lock_guard lock(m_mutex);
        if (!m_session)
            return std::nullopt;
        m_calls.insert(call);
        // Queued to the session's thread; the lambda holds the call, not the session, so a session
        // destroyed before it runs simply drops it (detach() has answered the call by then).
        QMetaObject::invokeMethod(
            m_session,
            [session = m_session, call, request] {
                {
                    // The caller may have given up on it already (timeout, session down): then
                    // it must never go, or it could be placed twice (the caller fell back to REST).
                    std::lock_guard lock(call->mutex);
                    if (call->finished)
                        return;
                    call->claimed = true;
                }
                call->takenUpNs.store(steadyNowNs(), std::memory_order_relaxed);
                session->request(
                    request, [call](Response r) { call->finish(std::move(r)); }, nullptr, &call->sent);
                if (call->sent.load())
                    call->writtenNs.store(session->lastWriteNs(), std::memory_order_relaxed);
            },
            Qt::QueuedConnection);
    }
    std::unique_lock wait(call->mutex);
    const bool answered =
        call->done.wait_for(wait, std::chrono::milliseconds(timeoutMs), [&] { return call->finished; });
    Response r;
    if (answered) {
        r = call->response;
    } else {
        // Claimed and unanswered means it was sent: its outcome is unknown. Not claimed: it never
        // goes (the session checks `finished` before taking it up).
        call->finished = true;
        r.notSent = !call->claimed;
        r.transportError = "no answer from the WebSocket API session within " + std::to_string(timeoutMs) + " ms";
    }
    wait.unlock();
    if (stamps)
        *stamps = {call->takenUpNs.load(std::memory_order_relaxed), call->writtenNs.load(std::memory_order_relaxed)};
    std::lock_guard lock(m_mutex);
    m_calls.erase(call);
    return r;
}

} // namespace md::binance
