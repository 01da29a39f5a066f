#include "store/database.h"

#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <cstdlib>

#include "core/embedded.h"

namespace studio {

std::vector<Migration> builtin_migrations(std::string_view which) {
    std::vector<Migration> out;
    const std::string prefix = std::string(which) + "/";
    for (std::string_view name : embedded_names(prefix)) {
        // "kiosk/0002_add_x.sql" -> version 2
        const std::string_view file = name.substr(prefix.size());
        const int version = std::atoi(std::string(file.substr(0, file.find('_'))).c_str());
        if (version <= 0) continue;
        out.push_back({version, std::string(file), std::string(embedded_file(name))});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
    return out;
}

int latest_version(const std::vector<Migration>& migrations) {
    return migrations.empty() ? 0 : migrations.back().version;
}

int schema_version(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt();
}

std::unique_ptr<SQLite::Database> open_database(const std::string& path,
                                                const std::vector<Migration>& migrations,
                                                int busy_timeout_ms) {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(busy_timeout_ms);

    // Read the version before anything writes: switching to WAL would already
    // change a file written by a newer program.
    const int have = schema_version(*db);
    const int know = latest_version(migrations);
    if (have > know)
        throw SchemaError(path + ": database schema version " + std::to_string(have) +
                          " is newer than this program understands (" + std::to_string(know) +
                          "); install the newer studio-kiosk, the file was not changed");

    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=FULL");
    db->exec("PRAGMA foreign_keys=ON");

    if (have < know) {
        // One transaction for all pending steps: a failed migration leaves the old schema.
        SQLite::Transaction tx(*db, SQLite::TransactionBehavior::EXCLUSIVE);
        if (schema_version(*db) != have)
            throw SchemaError(path + ": schema changed while opening; try again");
        for (const auto& m : migrations) {
            if (m.version <= have) continue;
            try {
                db->exec(m.sql);
            } catch (const SQLite::Exception& e) {
                throw SchemaError(path + ": migration " + m.name + " failed: " + e.what());
            }
            db->exec("PRAGMA user_version=" + std::to_string(m.version));
        }
        tx.commit();
    }
    return db;
}

std::unique_ptr<SQLite::Database> open_kiosk_database(const std::string& path) {
    static const std::vector<Migration> kiosk = builtin_migrations("kiosk");
    return open_database(path, kiosk);
}

}  // namespace studio
