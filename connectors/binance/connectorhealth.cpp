#include "binance/connectorhealth.h"

#include "engine/marketcounters.h"

#include <cstdio>

namespace md::binance {

std::vector<ConnectorDetail> ConnectorHealth::details(const SessionShared& shared, const venue::OrderTracker& tracker,
                                                      bool keys, bool wsApiOrders) const {
    const std::int64_t now = wallNowMs();
    auto seconds = [&](std::int64_t ms) { return ms > 0 ? (now - ms) / 1000.0 : -1.0; };
    auto until = [&](std::int64_t ms) { return ms > 0 ? std::max<std::int64_t>(0, ms - now) / 1000.0 : 0.0; };
    auto n = [](std::uint64_t v) { return static_cast<double>(v); };
    auto fmt1 = [](double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%.1f", v);
        return std::string(b);
    };
    const MarketDataStats& md = *marketData;
    const venue::RateBudget& budget = shared.limits->budget();
    const double age = seconds(md.lastFrameMs.load());
    const double backoff = until(md.reconnectAtMs.load());
    const double cooldown = until(budget.pausedUntilMs());
    std::string weightText = "no limit known";
    double headroom = 0;
    for (const auto& u : budget.usage())
        if (u.key.rfind("REQUEST_WEIGHT", 0) == 0) {
            headroom = static_cast<double>(u.limit - u.used);
            weightText = std::to_string(u.used) + " of " + std::to_string(u.limit) + " used on " + budget.name() +
                         " (shared by its markets)";
            break;
        }
    const double skew = static_cast<double>(shared.clock->skewMs.load());
    std::vector<ConnectorDetail> d{
        {"stream_age_seconds", age, age < 0 ? "no frame yet" : fmt1(age) + " s"},
        {"resyncs", n(md.resyncs.load()), std::to_string(md.resyncs.load())},
        {"reconnects", n(md.reconnects.load()), std::to_string(md.reconnects.load())},
        {"backoff_seconds", backoff, backoff > 0 ? "reconnecting in " + fmt1(backoff) + " s" : "connected"},
        {"snapshots", n(md.snapshots.load()), std::to_string(md.snapshots.load())},
        {"cooldown_seconds", cooldown,
         cooldown > 0 ? "rate limited: " + fmt1(cooldown) + " s left (" + budget.pauseReason() + ")" : "none"},
        {"weight_headroom", headroom, weightText},
        {"clock_skew_ms", skew,
         shared.clock->synced.load() ? std::to_string(shared.clock->skewMs.load()) + " ms" : "not measured"},
        {"frames", n(md.frames.load()), std::to_string(md.frames.load())},
        {"age_reconnects", n(md.ageReconnects.load() + session->ageReconnects.load()),
         std::to_string(md.ageReconnects.load() + session->ageReconnects.load())},
        {"server_shutdowns", n(md.serverShutdowns.load() + session->serverShutdowns.load()),
         std::to_string(md.serverShutdowns.load() + session->serverShutdowns.load())},
        {"silent_drops", n(md.silentDrops.load() + session->silentDrops.load()),
         std::to_string(md.silentDrops.load() + session->silentDrops.load()) + " connections declared dead"}};
    if (!keys) {
        d.push_back({"order_stream_up", 0, "no API key: market data only"});
        return d;
    }
    const UserStreamStats& user = *userStream;
    const double orderAge = seconds(user.lastEventMs.load());
    const double resubscribe = std::max(until(user.resubscribeAtMs.load()), until(session->reconnectAtMs.load()));
    const std::string refusal = shared.keys->refusal();
    d.push_back({"order_stream_up", user.up.load() ? 1.0 : 0.0,
                 user.up.load() ? "up"
                 : !refusal.empty()
                     ? refusal
                     : (resubscribe > 0 ? "down, reconnecting in " + fmt1(resubscribe) + " s" : "down")});
    d.push_back({"credentials", refusal.empty() ? 1.0 : 0.0, refusal.empty() ? "accepted" : refusal});
    d.push_back({"ws_api_up", session->ready.load() ? 1.0 : 0.0,
                 session->ready.load() ? (wsApiOrders ? "up: orders and user data" : "up: user data (orders over REST)")
                                       : "down: orders over REST"});
    d.push_back({"order_stream_age_seconds", orderAge, orderAge < 0 ? "no event yet" : fmt1(orderAge) + " s"});
    d.push_back({"order_stream_reconnects", n(session->reconnects.load()), std::to_string(session->reconnects.load())});
    d.push_back({"stream_terminations", n(user.terminations.load()), std::to_string(user.terminations.load())});
    d.push_back({"rest_fallbacks", n(orders->restFallbacks.load()),
                 std::to_string(orders->restFallbacks.load()) + " requests over REST while the session was down"});
    d.push_back({"filter_rejections", n(orders->filterRejections.load()),
                 std::to_string(orders->filterRejections.load()) + " refused before sending"});
    d.push_back({"unknown_outcomes", n(orders->unknownOutcomes.load()),
                 std::to_string(orders->unknownOutcomes.load()) + " placements asked about (" +
                     std::to_string(orders->notPlaced.load()) + " proven not placed, " +
                     std::to_string(tracker.unknownCount()) + " still unknown)"});
    // Where the last placement's time went inside the process (issue 13 part 9; the benchmark's stages).
    const std::int64_t cause = orders->lastCauseNs.load(), execute = orders->lastExecuteNs.load(),
                       sent = orders->lastSendNs.load();
    if (cause > 0 && execute >= cause && sent >= execute) {
        const double engineUs = (execute - cause) / 1000.0, prepareUs = (sent - execute) / 1000.0;
        d.push_back({"last_placement_engine_us", engineUs,
                     fmt1(engineUs) + " us from the frame's arrival to the executor (strategy, risk, queue)"});
        d.push_back({"last_placement_prepare_us", prepareUs,
                     fmt1(prepareUs) + " us in the executor before the request went to its transport"});
        // The frame's way in before the engine: its parse and the book (when a depth frame caused it).
        const std::int64_t frameIn = marketData->lastDepthInNs.load();
        if (frameIn > 0 && frameIn <= cause && cause - frameIn < 1'000'000'000) {
            const double frameUs = (cause - frameIn) / 1000.0;
            d.push_back({"last_placement_frame_us", frameUs,
                         fmt1(frameUs) + " us from the depth frame out of the socket to the engine (parse, book)"});
        }
        // Over the WebSocket API: the hop to the session's thread, then signing and writing the frame.
        const std::int64_t takenUp = orders->lastTakenUpNs.load(), written = orders->lastWrittenNs.load();
        if (takenUp >= sent && written >= takenUp) {
            const double handoffUs = (takenUp - sent) / 1000.0, writeUs = (written - takenUp) / 1000.0;
            d.push_back({"last_placement_handoff_us", handoffUs,
                         fmt1(handoffUs) + " us from the executor to the WebSocket API session's thread"});
            d.push_back({"last_placement_write_us", writeUs,
                         fmt1(writeUs) + " us on the session's thread: signed, framed, handed to the socket"});
        }
    }
    d.push_back({"adopted_orders", n(tracker.adopted()),
                 std::to_string(tracker.adopted()) + " orders that landed late, adopted"});
    d.push_back({"settled_orders", n(tracker.settled()),
                 std::to_string(tracker.settled()) + " orders Binance no longer had, settled"});
    d.push_back({"inconsistent_reports", n(tracker.inconsistentReports()),
                 std::to_string(tracker.inconsistentReports()) + " order reports claiming more than ordered (capped)"});
    return d;
}

} // namespace md::binance
