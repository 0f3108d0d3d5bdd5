#pragma once

#include "kraken/credentials.h"
#include "kraken/krakensettings.h"

#include <QObject>

class QNetworkAccessManager;

namespace md::kraken {

/// REST `POST /0/private/GetWebSocketsToken` (https://docs.kraken.com/exchange/api-reference/
/// spot-rest/get-websockets-token): the token the authenticated socket needs, signed with API-Key and
/// API-Sign (krakensignature.h) and a nonce that only grows. Asked afresh for every connection: a token
/// must be used within 15 minutes, so an old one is never kept for a reconnect.
/// Thread: the thread that creates it (its QNetworkAccessManager lives there).
class TokenClient : public QObject {
    Q_OBJECT
public:
    TokenClient(Settings settings, Credentials credentials, QObject* parent = nullptr);
    void fetch();

signals:
    void tokenReady(const QString& token);
    void failed(const QString& why); // never contains the key or the secret

private:
    Settings m_settings;
    Credentials m_credentials;
    QNetworkAccessManager* m_net;
};

} // namespace md::kraken
