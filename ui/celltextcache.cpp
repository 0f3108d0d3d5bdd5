#include "celltextcache.h"

#include <QFontMetrics>

namespace md {

CellTextCache::CellTextCache(int capacity)
    : m_cache(capacity) {}

const QStaticText& CellTextCache::text(const QString& text, const QFont& font, int width, Qt::TextElideMode mode) {
    Key key{text, font, width, static_cast<int>(mode)};
    if (const QStaticText* cached = m_cache.object(key))
        return *cached;
    const QFontMetrics metrics(font);
    auto* laid = new QStaticText(metrics.horizontalAdvance(text) <= width || mode == Qt::ElideNone
                                     ? text
                                     : metrics.elidedText(text, mode, width));
    laid->setTextFormat(Qt::PlainText);
    laid->prepare(QTransform(), font);
    m_cache.insert(std::move(key), laid); // the cache owns it
    return *laid;
}

} // namespace md
