// The config loader: any bytes give a config or an error naming a field, never a crash.
#include "config/configloader.h"
#include "sim/simconnectorfactory.h"

#include <QByteArray>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static md::SimConnectorFactory sim;
    static md::ConnectorRegistry registry = [] {
        md::ConnectorRegistry r;
        r.add(&sim);
        return r;
    }();
    md::ConfigLoader loader(registry);
    auto result = loader.parse(QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)));
    if (auto* error = std::get_if<md::ConfigError>(&result))
        (void)error->toString();
    return 0;
}
