#include "pnlreport.h"

#include "dayreplay.h"
#include "exitcodes.h"

#include "domain/clock.h"
#include "journal/sqlitejournal.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace md {
namespace {

QString text(const Decimal& d) {
    return QString::fromStdString(d.toTrimmedString());
}
void print(const QJsonObject& o) {
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
}

} // namespace

int printPnlReport(const QString& journalPath, const std::vector<MarketSpec>& markets) {
    std::string error;
    const std::int64_t since = startOfUtcDayMs(wallNowMs());
    auto fills = SqliteJournal::fillsSince(journalPath, since, error);
    if (!fills) {
        std::fprintf(stderr, "marketdesk: journal %s: %s\n", qPrintable(journalPath), error.c_str());
        return exitcode::kJournal;
    }
    const auto replayed = replayFills(*fills, markets);
    struct Totals {
        Decimal realized, fees;
    };
    std::map<std::string, Totals> currencies;
    for (const auto& spec : markets) {
        const ReplayedMarket& r = replayed.at(spec.name);
        const PnlLedger& l = r.ledger;
        if (l.fillCount() == 0 && r.skipped == 0)
            continue;
        QJsonObject fees;
        for (const auto& [asset, amount] : l.fees())
            fees.insert(QString::fromStdString(asset), text(amount));
        print(QJsonObject{{"market", QString::fromStdString(spec.name)},
                          {"since_ms", qint64(since)},
                          {"base", QString::fromStdString(spec.instrument.base)},
                          {"quote", QString::fromStdString(spec.instrument.quote)},
                          {"fills", qint64(l.fillCount())},
                          {"bought", text(l.bought())},
                          {"sold", text(l.sold())},
                          {"position", text(l.position())},
                          {"average_entry", text(l.averageEntry())},
                          {"realized", text(l.realized())},
                          {"fees_in_quote", text(l.feesInQuote())},
                          {"fees", fees},
                          {"unreadable_rows", qint64(r.skipped)}});
        Totals& t = currencies[spec.instrument.quote];
        t.realized += l.realized();
        t.fees += l.feesInQuote();
    }
    for (const auto& [currency, t] : currencies)
        print(QJsonObject{{"currency", QString::fromStdString(currency)},
                          {"since_ms", qint64(since)},
                          {"realized", text(t.realized)},
                          {"fees", text(t.fees)},
                          {"net_realized", text(t.realized - t.fees)}});
    std::fflush(stdout);
    return exitcode::kClean;
}

} // namespace md
