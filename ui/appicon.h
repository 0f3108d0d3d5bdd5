#pragma once

#include <QIcon>

namespace md {

/// The application icon: resources/icons/marketdesk-<size>.png (rendered from marketdesk.svg),
/// compiled in through resources/marketdesk.qrc, so no image plugin is needed at run time.
QIcon appIcon();

} // namespace md
