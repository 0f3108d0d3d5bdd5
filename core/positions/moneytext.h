#pragma once

#include "positions/moneysnapshot.h"

#include <string>
#include <vector>

namespace md::moneytext {

/// The close-out's money: a line per market that traded (position left, average entry, mark,
/// realized, unrealized, fees), the position left per base asset over every market, then a line per quote currency (the
/// desk's totals, never converted). The same words go to the log, headless stdout and the window. Thread: any. Pure.
std::vector<std::string> closeOutLines(const MoneySnapshot& money, bool withAssetLine = true);

/// One short line for the status bar and the headless status line: "P&L USDT +1.5 (fees 0.2)"
/// per currency; "P&L 0" when nothing was traded. Thread: any. Pure.
std::string statusText(const MoneySnapshot& money);

/// One strategy's P&L as the positions thread keeps it (its fills, fees included), summed over its
/// markets per quote currency: "+1.5 USDT (fees 0.2)", "; " between currencies; "—" before its first
/// fill. The Strategies panel and `--control list` show it. Thread: any. Pure.
std::string strategyText(const MoneySnapshot& money, const std::string& strategyId);

/// True when any market has anything to tell (hasMoney), or fees were paid in another asset.
bool hasMoney(const MoneySnapshot& money);

/// True when the market has anything to tell: fills in this run, or carried realized P&L / fees.
bool hasMoney(const MarketMoney& m);

} // namespace md::moneytext
