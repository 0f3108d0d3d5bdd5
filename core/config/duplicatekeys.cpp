#include "config/duplicatekeys.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <set>

namespace md {
namespace {

struct Duplicate {
    std::string path;
};
struct Malformed {};

/// A recursive walk over JSON text that only tracks keys; values are skipped.
class KeyScanner {
public:
    explicit KeyScanner(const QByteArray& json)
        : m_s(json) {}

    void document() { value(""); }

private:
    char peek() {
        skipSpace();
        if (m_i >= m_s.size())
            throw Malformed{};
        return m_s[m_i];
    }
    void skipSpace() {
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r'))
            ++m_i;
    }
    void expect(char c) {
        if (peek() != c)
            throw Malformed{};
        ++m_i;
    }
    /// A string token, unescaped.
    std::string string() {
        expect('"');
        const qsizetype start = m_i;
        bool escaped = false;
        for (; m_i < m_s.size() && m_s[m_i] != '"'; ++m_i) {
            if (m_s[m_i] == '\\') {
                escaped = true;
                ++m_i;
            }
        }
        if (m_i >= m_s.size())
            throw Malformed{};
        const QByteArray raw = m_s.mid(start, m_i - start);
        ++m_i;
        if (!escaped)
            return raw.toStdString();
        // Let Qt's parser unescape it, exactly as it will for the configuration itself.
        const QJsonDocument doc = QJsonDocument::fromJson("[\"" + raw + "\"]");
        return doc.array().at(0).toString().toStdString();
    }
    void value(const std::string& path) {
        const char c = peek();
        if (c == '{')
            object(path);
        else if (c == '[')
            array(path);
        else if (c == '"')
            string();
        else
            scalar();
    }
    void object(const std::string& path) {
        expect('{');
        std::set<std::string> keys;
        if (peek() == '}') {
            ++m_i;
            return;
        }
        for (;;) {
            const std::string key = string();
            const std::string field = path.empty() ? key : path + "." + key;
            if (!keys.insert(key).second)
                throw Duplicate{field};
            expect(':');
            value(field);
            if (peek() == ',') {
                ++m_i;
                continue;
            }
            expect('}');
            return;
        }
    }
    void array(const std::string& path) {
        expect('[');
        if (peek() == ']') {
            ++m_i;
            return;
        }
        for (int index = 0;; ++index) {
            value(path + "[" + std::to_string(index) + "]");
            if (peek() == ',') {
                ++m_i;
                continue;
            }
            expect(']');
            return;
        }
    }
    void scalar() {
        while (m_i < m_s.size() && m_s[m_i] != ',' && m_s[m_i] != '}' && m_s[m_i] != ']' && m_s[m_i] != ' ' &&
               m_s[m_i] != '\t' && m_s[m_i] != '\n' && m_s[m_i] != '\r')
            ++m_i;
    }

    const QByteArray& m_s;
    qsizetype m_i = 0;
};

} // namespace

std::optional<std::string> findDuplicateKey(const QByteArray& json) {
    try {
        KeyScanner(json).document();
    } catch (const Duplicate& d) {
        return d.path;
    } catch (const Malformed&) {
    }
    return std::nullopt;
}

} // namespace md
