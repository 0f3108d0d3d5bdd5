#pragma once

#include "config/appconfig.h"
#include "engine/strategysetup.h"

#include <vector>

namespace md {

/// Builds the configuration's strategies for the engine, in its order (owner ids 0..n-1); each
/// strategy's factory sees only the markets it trades. Thread: any. Errors: the config was
/// validated by ConfigLoader; a factory that refuses anyway throws std::invalid_argument.
std::vector<StrategySetup> makeStrategySetups(const AppConfig& config);

} // namespace md
