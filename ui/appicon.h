#pragma once

#include <QIcon>

namespace md {

/// The application icon, painted (the same drawing as resources/icons/marketdesk.svg) so that no
/// image plugin is needed at run time.
QIcon appIcon();

} // namespace md
