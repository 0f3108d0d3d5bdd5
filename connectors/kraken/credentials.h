#pragma once

#include "kraken/krakensettings.h"

#include <QByteArray>

#include <string>

namespace md::kraken {

/// API key and base64 secret. Never formatted, logged or put in an error message; read once per start.
struct Credentials {
    QByteArray apiKey;
    QByteArray apiSecret;
    std::string source; // for the log: "environment (NAME)" or "config"
    bool present() const { return !apiKey.isEmpty() && !apiSecret.isEmpty(); }
    /// The config's inline keys (the loader refuses such a file unless it is 0600), else the environment.
    static Credentials resolve(const Settings& settings);
};

} // namespace md::kraken
