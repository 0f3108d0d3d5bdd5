#pragma once

#include <QCache>
#include <QFont>
#include <QStaticText>
#include <QString>

namespace md {

/// The text of table cells, elided to its cell and laid out once (QStaticText), kept for the next paints.
/// A live table repaints the same strings many times a second (a row updated, the view scrolled by a
/// row); shaping them again each time (QTextLayout/HarfBuzz, twice when elided, in QCommonStyle) was
/// most of the UI thread's paint time. Bounded: the least recently used texts go first.
/// Thread: the UI thread (one per delegate).
class CellTextCache {
public:
    /// The default holds every visible cell of a tall table (60 rows of 8 columns at 2560×1440) so a
    /// repaint finds them all, and little more: its memory is part of the window's.
    explicit CellTextCache(int capacity = 512);

    /// `text` in `font`, elided with `mode` to fit `width` pixels, ready to draw.
    const QStaticText& text(const QString& text, const QFont& font, int width, Qt::TextElideMode mode);

    int size() const { return static_cast<int>(m_cache.size()); }
    int capacity() const { return static_cast<int>(m_cache.maxCost()); }

private:
    struct Key {
        QString text;
        QFont font;
        int width = 0;
        int mode = 0;
        friend bool operator==(const Key& a, const Key& b) {
            return a.width == b.width && a.mode == b.mode && a.text == b.text && a.font == b.font;
        }
        friend size_t qHash(const Key& key, size_t seed = 0) {
            return qHashMulti(seed, key.text, key.width, key.mode, key.font);
        }
    };
    QCache<Key, QStaticText> m_cache;
};

} // namespace md
