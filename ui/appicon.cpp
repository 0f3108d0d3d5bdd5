#include "appicon.h"

// Q_INIT_RESOURCE must be used outside any namespace; calling it also keeps the resource object of
// this static library from being dropped by the linker.
static void initMarketDeskResources() {
    Q_INIT_RESOURCE(marketdesk);
}

namespace md {

QIcon appIcon() {
    static const bool loaded = (initMarketDeskResources(), true);
    Q_UNUSED(loaded);
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(QString(":/marketdesk/icons/marketdesk-%1.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace md
