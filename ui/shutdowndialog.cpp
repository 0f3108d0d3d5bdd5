#include "shutdowndialog.h"

#include "closeoutview.h"
#include "theme.h"

#include "engine/engine.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace md {
namespace {

QString phaseText(MarketShutdownProgress::Phase phase) {
    switch (phase) {
    case MarketShutdownProgress::Phase::Draining:
        return QObject::tr("draining actions");
    case MarketShutdownProgress::Phase::Terminating:
        return QObject::tr("terminator running");
    case MarketShutdownProgress::Phase::Done:
        return QObject::tr("done");
    case MarketShutdownProgress::Phase::Killed:
        return QObject::tr("KILLED");
    case MarketShutdownProgress::Phase::NotRunning:
        return QObject::tr("was not running");
    }
    return {};
}

QColor phaseColour(MarketShutdownProgress::Phase phase) {
    const ThemeColors& c = themeColors();
    switch (phase) {
    case MarketShutdownProgress::Phase::Draining:
    case MarketShutdownProgress::Phase::Terminating:
        return c.warning;
    case MarketShutdownProgress::Phase::Done:
        return c.ok;
    case MarketShutdownProgress::Phase::Killed:
        return c.danger;
    case MarketShutdownProgress::Phase::NotRunning:
        return c.muted;
    }
    return c.text;
}

} // namespace

ShutdownDialog::ShutdownDialog(Engine& engine, QWidget* parent)
    : QDialog(parent)
    , m_engine(engine)
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
    , m_seconds(new QLabel(this))
    , m_countdown(new QProgressBar(this))
    , m_table(new QTableWidget(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
    , m_timer(new QTimer(this)) {
    setObjectName("shutdownDialog");
    setWindowTitle(tr("MarketDesk — shutting down"));
    setModal(true);
    resize(760, 300);
    m_title->setObjectName("shutdownTitle");
    m_title->setText(tr("Shutting down in order"));
    m_subtitle->setWordWrap(true);
    m_subtitle->setText(tr("The strategy was told first; now every market stops its data, drains its action queue "
                           "and runs its terminator. A market still busy when the grace ends is killed."));
    m_seconds->setObjectName("shutdownSeconds");
    m_seconds->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_countdown->setRange(0, std::max(1, static_cast<int>(engine.settings().graceSeconds * 10)));
    m_countdown->setTextVisible(false);
    m_countdown->setFixedHeight(8);
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({tr("Market"), tr("Phase"), tr("Actions left")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(24);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->setColumnWidth(0, 160);
    m_table->setColumnWidth(1, 180);
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(false);
    m_buttons->button(QDialogButtonBox::Close)->setIcon(QIcon());
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ShutdownDialog::reject);

    auto* head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_seconds);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(8);
    layout->addLayout(head);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_countdown);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_buttons);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &ShutdownDialog::refresh);
    m_timer->start();
    refresh();
}

void ShutdownDialog::fitTable() {
    // As tall as its rows (up to a dozen), so the dialog has no empty well.
    const int rows = std::min(m_table->rowCount(), 12);
    const int height = m_table->horizontalHeader()->sizeHint().height() +
                       rows * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth() + 2;
    m_table->setFixedHeight(std::max(height, 60));
    adjustSize();
    resize(std::max(width(), 760), sizeHint().height());
}

void ShutdownDialog::setCell(int row, int column, const QString& text, const QColor& colour) {
    QTableWidgetItem* item = m_table->item(row, column);
    if (!item) {
        item = new QTableWidgetItem;
        m_table->setItem(row, column, item);
    }
    item->setText(text);
    if (colour.isValid())
        item->setForeground(colour);
    else
        item->setData(Qt::ForegroundRole, QVariant());
}

void ShutdownDialog::refresh() {
    const ShutdownProgress p = m_engine.shutdownProgress();
    m_countdown->setValue(static_cast<int>(p.secondsLeft * 10));
    m_seconds->setText(tr("%1 s").arg(p.secondsLeft, 0, 'f', 1));
    m_seconds->setToolTip(tr("left of the %1 s grace").arg(p.graceSeconds));
    if (m_table->rowCount() != static_cast<int>(p.markets.size())) {
        m_table->setRowCount(static_cast<int>(p.markets.size()));
        fitTable();
    }
    for (std::size_t i = 0; i < p.markets.size(); ++i) {
        const auto& m = p.markets[i];
        const int row = static_cast<int>(i);
        setCell(row, 0, QString::fromStdString(m.name));
        setCell(row, 1, phaseText(m.phase), phaseColour(m.phase));
        setCell(row, 2, QString::number(m.actionsLeft));
    }
}

QTableWidget* ShutdownDialog::table() const {
    return m_closeOut ? m_closeOut->marketsTable() : m_table;
}

void ShutdownDialog::showReport(const ShutdownReport& report, int exitInMs) {
    m_timer->stop();
    m_reported = true;
    const ThemeColors& c = themeColors();
    setWindowTitle(tr("MarketDesk — close-out"));
    int killed = 0;
    for (const auto& m : report.markets)
        killed += !m.clean;
    const bool attention = report.needsAttention();
    m_title->setText(killed == 1  ? tr("Close-out: 1 market had to be killed")
                     : killed > 1 ? tr("Close-out: %1 markets had to be killed").arg(killed)
                     : attention  ? tr("Close-out: check what was left behind")
                                  : tr("Close-out: every market stopped cleanly"));
    m_title->setStyleSheet(QString("color: %1").arg((killed ? c.danger : attention ? c.warning : c.ok).name()));
    m_seconds->setText(tr("%1 s").arg(report.seconds, 0, 'f', 2));
    m_seconds->setToolTip(tr("how long the shutdown took"));
    m_subtitle->setText(
        exitInMs >= 0 ? tr("Everything stopped in order. MarketDesk closes in %1 s.").arg(exitInMs / 1000.0, 0, 'f', 0)
                      : tr("MarketDesk closes when you close this report."));
    m_countdown->hide();
    m_table->hide();
    m_closeOut = new CloseOutView(this);
    m_closeOut->setReport(report);
    layout()->replaceWidget(m_table, m_closeOut);
    m_closeOut->show(); // created after the dialog was shown: hidden until told
    adjustSize();
    resize(std::max(width(), 860), sizeHint().height());
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Close)->setFocus();
    if (attention)
        raise(); // it waits for the trader: in front
}

void ShutdownDialog::reject() {
    // Escape or the title bar's close button during the shutdown change nothing: the engine is
    // still stopping markets and the dialog is the only place that says how far it got.
    if (!m_reported)
        return;
    emit acknowledged();
    QDialog::reject();
}

} // namespace md
