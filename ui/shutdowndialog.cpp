#include "shutdowndialog.h"

#include "theme.h"

#include "engine/engine.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace md {

ShutdownDialog::ShutdownDialog(Engine& engine, QWidget* parent)
    : QDialog(parent)
    , m_engine(engine)
    , m_title(new QLabel(this))
    , m_countdown(new QProgressBar(this))
    , m_table(new QTableWidget(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
    , m_timer(new QTimer(this)) {
    setWindowTitle(tr("MarketDesk — shutting down"));
    setModal(true);
    resize(640, 320);
    m_title->setText(tr("<b>Orderly shutdown</b>: every executor drains its queue and runs its terminator."));
    m_countdown->setRange(0, static_cast<int>(engine.settings().graceSeconds * 10));
    m_countdown->setFormat(tr("%v"));
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels({tr("Market"), tr("Phase"), tr("Actions left"), tr("Orders left open")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ShutdownDialog::acknowledged);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_countdown);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_buttons);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &ShutdownDialog::refresh);
    m_timer->start();
    refresh();
}

void ShutdownDialog::refresh() {
    const ShutdownProgress p = m_engine.shutdownProgress();
    m_countdown->setValue(static_cast<int>(p.secondsLeft * 10));
    m_countdown->setFormat(tr("%1 s left of the %2 s grace").arg(p.secondsLeft, 0, 'f', 1).arg(p.graceSeconds));
    m_table->setRowCount(static_cast<int>(p.markets.size()));
    const ThemeColors& c = themeColors();
    for (std::size_t i = 0; i < p.markets.size(); ++i) {
        const auto& m = p.markets[i];
        QString phase;
        QColor colour = c.text;
        switch (m.phase) {
        case MarketShutdownProgress::Phase::Draining:
            phase = tr("draining");
            colour = c.warning;
            break;
        case MarketShutdownProgress::Phase::Terminating:
            phase = tr("terminator running");
            colour = c.warning;
            break;
        case MarketShutdownProgress::Phase::Done:
            phase = tr("done");
            colour = c.ok;
            break;
        case MarketShutdownProgress::Phase::Killed:
            phase = tr("KILLED");
            colour = c.danger;
            break;
        case MarketShutdownProgress::Phase::NotRunning:
            phase = tr("not running");
            colour = c.muted;
            break;
        }
        auto* name = new QTableWidgetItem(QString::fromStdString(m.name));
        auto* phaseItem = new QTableWidgetItem(phase);
        phaseItem->setForeground(colour);
        m_table->setItem(static_cast<int>(i), 0, name);
        m_table->setItem(static_cast<int>(i), 1, phaseItem);
        m_table->setItem(static_cast<int>(i), 2, new QTableWidgetItem(QString::number(m.actionsLeft)));
    }
}

void ShutdownDialog::showReport(const ShutdownReport& report) {
    m_timer->stop();
    refresh();
    const ThemeColors& c = themeColors();
    m_title->setText(report.allClean()
                         ? tr("<b>Close-out</b>: every market stopped cleanly in %1 s.").arg(report.seconds, 0, 'f', 2)
                         : tr("<b>Close-out</b>: <span style='color:%1'>some markets had to be killed</span> (%2 s).")
                               .arg(c.danger.name())
                               .arg(report.seconds, 0, 'f', 2));
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels(
        {tr("Market"), tr("Result"), tr("Executed / not executed"), tr("Orders left open"), tr("Detail")});
    m_table->setRowCount(static_cast<int>(report.markets.size()));
    for (std::size_t i = 0; i < report.markets.size(); ++i) {
        const auto& m = report.markets[i];
        const int row = static_cast<int>(i);
        m_table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(m.name)));
        auto* result = new QTableWidgetItem(m.clean ? tr("clean") : tr("KILLED"));
        result->setForeground(m.clean ? c.ok : c.danger);
        m_table->setItem(row, 1, result);
        m_table->setItem(row, 2,
                         new QTableWidgetItem(QString("%1 / %2").arg(m.actionsExecuted).arg(m.actionsNotExecuted)));
        QString open = QString::number(m.ordersLeftOpen);
        if (m.verified)
            open += tr(" (exchange: %1)").arg(m.openOnExchange.size());
        m_table->setItem(row, 3, new QTableWidgetItem(open));
        m_table->setItem(row, 4, new QTableWidgetItem(QString::fromStdString(m.detail)));
    }
    m_table->resizeColumnsToContents();
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(true);
}

} // namespace md
