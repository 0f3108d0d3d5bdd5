#include "engine/openordersasker.h"

#include <QThread>
#include <QTimer>

#include <fmt/format.h>

#include <mutex>

namespace md {

// Shared by the asker and its query threads. The thread delivers through it, under its lock, and
// only while the asker is alive; the asker's destructor clears it under the same lock.
struct OpenOrdersAsker::Mailbox {
    std::mutex mutex;
    OpenOrdersAsker* asker = nullptr;
    bool queryRunning = false;
};

OpenOrdersAsker::OpenOrdersAsker(std::string market, QObject* parent)
    : QObject(parent)
    , m_market(std::move(market))
    , m_mailbox(std::make_shared<Mailbox>())
    , m_timeout(new QTimer(this)) {
    m_mailbox->asker = this;
    m_timeout->setSingleShot(true);
}

OpenOrdersAsker::~OpenOrdersAsker() {
    std::lock_guard lock(m_mailbox->mutex);
    m_mailbox->asker = nullptr;
}

void OpenOrdersAsker::ask(OpenOrdersQuery query, std::chrono::milliseconds timeout, Done done) {
    const std::uint64_t question = ++m_question;
    m_done = std::move(done);
    {
        std::lock_guard lock(m_mailbox->mutex);
        if (m_mailbox->queryRunning) {
            // The previous query of this market has not returned: do not leak a thread per question.
            QMetaObject::invokeMethod(
                this,
                [this, question] {
                    deliver(question,
                            {std::nullopt, "an earlier open-orders query of this market has not returned", false});
                },
                Qt::QueuedConnection);
            return;
        }
        m_mailbox->queryRunning = true;
    }
    m_timeout->disconnect();
    connect(m_timeout, &QTimer::timeout, this, [this, question, timeout] {
        deliver(question,
                {std::nullopt, fmt::format("the exchange did not answer within {:.1f} s", timeout.count() / 1000.0),
                 false});
    });
    m_timeout->start(static_cast<int>(std::min<std::int64_t>(timeout.count(), 24LL * 3600 * 1000)));
    // A QThread of its own (connectors may run a Qt event loop in the query, e.g. for REST), deleted
    // once it returns; one that never returns is leaked, like an abandoned executor.
    QThread* thread = QThread::create([mailbox = m_mailbox, query = std::move(query), question] {
        Answer answer;
        try {
            answer.orders = query();
            if (!answer.orders)
                answer.problem = "the exchange could not be asked";
        } catch (const std::exception& e) {
            answer.threw = true;
            answer.problem = std::string("open-orders query threw: ") + e.what();
        } catch (...) {
            answer.threw = true;
            answer.problem = "open-orders query threw an unknown exception";
        }
        std::lock_guard lock(mailbox->mutex);
        mailbox->queryRunning = false;
        if (OpenOrdersAsker* asker = mailbox->asker)
            QMetaObject::invokeMethod(
                asker, [asker, question, answer = std::move(answer)] { asker->deliver(question, answer); },
                Qt::QueuedConnection);
    });
    thread->setObjectName(QString::fromStdString("query/" + m_market));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void OpenOrdersAsker::cancel() {
    m_question = m_question + 1; // any answer under way is for an older question now
    m_done = nullptr;
    m_timeout->stop();
}

void OpenOrdersAsker::deliver(std::uint64_t question, const Answer& answer) {
    if (question != m_question || !m_done)
        return;
    m_timeout->stop();
    Done done = std::move(m_done);
    m_done = nullptr;
    done(answer);
}

} // namespace md
