#include "appicon.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace md {

QIcon appIcon() {
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 256.0, size / 256.0);
        QLinearGradient bg(0, 0, 0, 256);
        bg.setColorAt(0, QColor("#1d2633"));
        bg.setColorAt(1, QColor("#0f141b"));
        p.setBrush(bg);
        p.setPen(Qt::NoPen);
        p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44);
        auto candle = [&](int x, int wickTop, int wickBottom, int top, int height, const char* colour) {
            p.setPen(QPen(QColor(colour), 10, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(x, wickTop, x, wickBottom);
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(colour));
            p.drawRoundedRect(QRectF(x - 14, top, 28, height), 4, 4);
        };
        candle(64, 70, 186, 96, 56, "#26a69a");
        candle(112, 52, 160, 72, 64, "#ef5350");
        candle(160, 88, 200, 110, 70, "#26a69a");
        QPainterPath line;
        line.moveTo(40, 200);
        line.lineTo(96, 150);
        line.lineTo(140, 170);
        line.lineTo(210, 80);
        p.setPen(QPen(QColor("#f0b90b"), 12, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(line);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor("#f0b90b"));
        p.drawEllipse(QPointF(210, 80), 14, 14);
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace md
