#pragma once

#include <QLabel>

namespace md {

/// A one-line label that never makes its window wider: it asks for its text's width but accepts
/// less, and then elides the text at the right (the whole text stays in the tooltip).
/// Thread: the UI thread.
class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(const QString& text = {}, QWidget* parent = nullptr);
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace md
