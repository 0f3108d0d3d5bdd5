#pragma once

#include "positions/moneysnapshot.h"

#include <string>

namespace md {

/// The desk's money in the Prometheus text format (appended after formatPrometheus's series):
/// marketdesk_balance{market,asset,kind="free|locked"}, marketdesk_position{market,asset},
/// marketdesk_pnl_realized / marketdesk_pnl_unrealized / marketdesk_pnl_net{market,currency} and
/// marketdesk_fees{market,asset} (as charged); per strategy and market (issue 17)
/// marketdesk_strategy_pnl_realized / _unrealized / _net and marketdesk_strategy_fees{strategy,market,currency},
/// marketdesk_strategy_position{strategy,market,asset}. Values are the exact decimals as text. Pure.
/// Thread: any.
std::string formatMoneyPrometheus(const MoneySnapshot& money);

} // namespace md
