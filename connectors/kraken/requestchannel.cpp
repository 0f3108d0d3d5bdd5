#include "kraken/requestchannel.h"

#include <chrono>

namespace md::kraken {

void RequestChannel::attach(Poster poster) {
    std::lock_guard lock(m_mutex);
    m_poster = std::move(poster);
}

void RequestChannel::detach() {
    std::lock_guard lock(m_mutex);
    m_poster = nullptr;
    for (auto& [id, w] : m_waiters)
        if (!w->done) {
            w->done = true;
            w->result.kind = w->sent ? Result::Kind::NoAnswer : Result::Kind::NotSent;
            w->result.why = "the order connection was closed";
        }
    m_cv.notify_all();
}

RequestChannel::Result RequestChannel::call(const QByteArray& method, const QByteArray& params, int timeoutMs) {
    const std::uint64_t id = m_nextId.fetch_add(1);
    auto waiter = std::make_shared<Waiter>();
    waiter->result.reqId = id;
    std::unique_lock lock(m_mutex);
    if (!m_poster) {
        Result r;
        r.kind = Result::Kind::NotSent;
        r.why = "the Kraken order connection is not up";
        r.reqId = id;
        return r;
    }
    m_waiters[id] = waiter;
    m_poster(Request{id, method, params});
    const bool done = m_cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return waiter->done; });
    m_waiters.erase(id);
    if (!done) {
        waiter->result.kind = waiter->sent ? Result::Kind::NoAnswer : Result::Kind::NotSent;
        waiter->result.why = waiter->sent ? "no answer within " + std::to_string(timeoutMs) + " ms"
                                          : "the order connection did not take the request";
    }
    return waiter->result;
}

bool RequestChannel::deliver(const MethodAnswer& answer) {
    std::lock_guard lock(m_mutex);
    auto it = m_waiters.find(answer.reqId);
    if (it == m_waiters.end() || it->second->done)
        return false;
    it->second->done = true;
    it->second->result.kind = Result::Kind::Answered;
    it->second->result.answer = answer;
    m_cv.notify_all();
    return true;
}

void RequestChannel::refuse(std::uint64_t reqId, const std::string& why) {
    std::lock_guard lock(m_mutex);
    auto it = m_waiters.find(reqId);
    if (it == m_waiters.end() || it->second->done)
        return;
    it->second->done = true;
    it->second->result.kind = Result::Kind::NotSent;
    it->second->result.why = why;
    m_cv.notify_all();
}

void RequestChannel::markSent(std::uint64_t reqId) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_waiters.find(reqId); it != m_waiters.end())
        it->second->sent = true;
}

void RequestChannel::connectionLost(const std::string& why) {
    std::lock_guard lock(m_mutex);
    for (auto& [id, w] : m_waiters)
        if (w->sent && !w->done) {
            w->done = true;
            w->result.kind = Result::Kind::NoAnswer;
            w->result.why = why;
        }
    m_cv.notify_all();
}

} // namespace md::kraken
