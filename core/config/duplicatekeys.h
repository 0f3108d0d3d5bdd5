#pragma once

#include <QByteArray>

#include <optional>
#include <string>

namespace md {

/// The first key that appears twice in one JSON object, as a field path ("markets[1].settings.seed").
/// QJsonDocument keeps the last of two equal keys without a word, so a configuration saying
/// `"grace_seconds": 1, "grace_seconds": 3000` would run with 3000: the loader refuses it instead.
/// Keys are compared after unescaping ("a" and "\u0061" are the same key).
/// Thread: any. Errors: expects JSON that QJsonDocument accepted; stops at anything else.
std::optional<std::string> findDuplicateKey(const QByteArray& json);

} // namespace md
