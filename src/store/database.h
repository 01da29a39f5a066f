// Opening the kiosk's SQLite file: durability settings and schema migrations.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace studio {

class SchemaError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Migration {
    int version;
    std::string name;
    std::string sql;
};

// The migrations built into this binary for `which` ("kiosk" or "server"), in order.
std::vector<Migration> builtin_migrations(std::string_view which);
int latest_version(const std::vector<Migration>& migrations);

// Opens (creating if needed) a database and brings its schema up to date.
// WAL, synchronous=FULL, foreign keys, a busy timeout. A file whose schema is newer
// than `migrations` throws SchemaError and is left untouched.
std::unique_ptr<SQLite::Database> open_database(const std::string& path,
                                                const std::vector<Migration>& migrations,
                                                int busy_timeout_ms = 5000);

// Kiosk database with the built-in kiosk migrations.
std::unique_ptr<SQLite::Database> open_kiosk_database(const std::string& path);

int schema_version(SQLite::Database& db);

}  // namespace studio
