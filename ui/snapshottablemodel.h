#pragma once

#include <QAbstractTableModel>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

namespace md {

/// A table whose rows are replaced by snapshots, diffed by key: rows whose key disappeared are
/// removed, rows whose key stays are updated in place (one dataChanged over the changed span), new
/// keys are appended. Selections and scroll positions survive a refresh; no reset per tick.
/// Keys need operator<; a key repeated in one snapshot is told apart by its occurrence.
/// Thread: the UI thread.
template <class Item, class Key> class SnapshotTableModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : static_cast<int>(m_items.size());
    }
    const Item* item(int row) const {
        return row >= 0 && row < static_cast<int>(m_items.size()) ? &m_items[static_cast<std::size_t>(row)] : nullptr;
    }

protected:
    template <class KeyFn, class SameFn> void replaceRows(std::vector<Item> next, KeyFn keyOf, SameFn same) {
        using Tagged = std::pair<Key, int>;
        std::vector<Tagged> nextKeys;
        nextKeys.reserve(next.size());
        std::map<Key, int> seen;
        for (const Item& item : next) {
            Key key = keyOf(item);
            const int occurrence = seen[key]++;
            nextKeys.emplace_back(std::move(key), occurrence);
        }
        std::map<Tagged, std::size_t> wanted;
        for (std::size_t j = 0; j < nextKeys.size(); ++j)
            wanted.emplace(nextKeys[j], j);

        // Removed rows, as runs from the back so the indices ahead stay valid.
        std::size_t runs = 0;
        for (std::size_t i = m_keys.size(); i-- > 0;)
            if (!wanted.count(m_keys[i]) && (i + 1 == m_keys.size() || wanted.count(m_keys[i + 1])))
                ++runs;
        if (runs > 32) { // a different picture altogether: one reset is cheaper
            beginResetModel();
            m_items = std::move(next);
            m_keys = std::move(nextKeys);
            endResetModel();
            return;
        }
        for (std::size_t end = m_keys.size(); end > 0;) {
            if (wanted.count(m_keys[end - 1])) {
                --end;
                continue;
            }
            std::size_t begin = end - 1;
            while (begin > 0 && !wanted.count(m_keys[begin - 1]))
                --begin;
            beginRemoveRows({}, static_cast<int>(begin), static_cast<int>(end) - 1);
            m_items.erase(m_items.begin() + static_cast<long>(begin), m_items.begin() + static_cast<long>(end));
            m_keys.erase(m_keys.begin() + static_cast<long>(begin), m_keys.begin() + static_cast<long>(end));
            endRemoveRows();
            end = begin;
        }

        std::vector<bool> placed(next.size(), false);
        int first = -1, last = -1;
        for (std::size_t i = 0; i < m_keys.size(); ++i) {
            const std::size_t j = wanted.at(m_keys[i]);
            placed[j] = true;
            if (!same(m_items[i], next[j])) {
                m_items[i] = std::move(next[j]);
                first = first < 0 ? static_cast<int>(i) : first;
                last = static_cast<int>(i);
            }
        }
        const std::size_t added = static_cast<std::size_t>(std::count(placed.begin(), placed.end(), false));
        if (added > 0) {
            const int at = static_cast<int>(m_items.size());
            beginInsertRows({}, at, at + static_cast<int>(added) - 1);
            for (std::size_t j = 0; j < next.size(); ++j)
                if (!placed[j]) {
                    m_items.push_back(std::move(next[j]));
                    m_keys.push_back(std::move(nextKeys[j]));
                }
            endInsertRows();
        }
        if (first >= 0)
            emit dataChanged(index(first, 0), index(last, columnCount() - 1));
    }

    std::vector<Item> m_items;

private:
    std::vector<std::pair<Key, int>> m_keys;
};

} // namespace md
