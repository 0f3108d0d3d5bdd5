#include "kraken/credentials.h"

#include <QtGlobal>

namespace md::kraken {

Credentials Credentials::resolve(const Settings& s) {
    Credentials c;
    if (!s.apiKey.empty()) {
        c.apiKey = QByteArray::fromStdString(s.apiKey);
        c.apiSecret = QByteArray::fromStdString(s.apiSecret);
        c.source = "config";
        return c;
    }
    c.apiKey = qgetenv(s.apiKeyEnv.c_str()).trimmed();
    c.apiSecret = qgetenv(s.apiSecretEnv.c_str()).trimmed();
    c.source = "environment (" + s.apiKeyEnv + ")";
    return c;
}

} // namespace md::kraken
