#pragma once

#include "config/appconfig.h"

namespace md {

/// Every connector kind this build ships, registered once (the factories live for the process).
const ConnectorRegistry& connectorCatalog();

} // namespace md
