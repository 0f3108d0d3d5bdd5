#include "common/staleconnectionwatch.h"

#include <QTimer>

#include <algorithm>

namespace md::venue {

StaleConnectionWatch::StaleConnectionWatch(int silenceMs, QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
    , m_silenceMs(std::max(10, silenceMs)) {
    m_timer->setInterval(std::max(5, m_silenceMs / 4));
    connect(m_timer, &QTimer::timeout, this, &StaleConnectionWatch::check);
}

void StaleConnectionWatch::start() {
    m_last.start();
    m_timer->start();
}

void StaleConnectionWatch::stop() {
    m_timer->stop();
}

void StaleConnectionWatch::check() {
    if (m_last.isValid() && m_last.elapsed() > m_silenceMs) {
        m_timer->stop();
        emit silent(m_silenceMs);
    }
}

} // namespace md::venue
