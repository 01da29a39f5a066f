// Damaging a real SQLite file on purpose, for the self-care tests: one page of a
// table or an index overwritten with garbage, as a failing SD card leaves it.
#pragma once

#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <string>

namespace studio::test {

// Overwrites the root page of `object` (a table or an index) in the closed file at `path`.
inline void damage_page_of(const std::string& path, const std::string& object) {
    int root = 0, page_size = 0;
    {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT rootpage FROM sqlite_master WHERE name = ?");
        q.bind(1, object);
        REQUIRE(q.executeStep());
        root = q.getColumn(0).getInt();
        page_size = db.execAndGet("PRAGMA page_size").getInt();
    }
    REQUIRE(root > 1);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(root - 1) * page_size);
    const std::string garbage(static_cast<std::size_t>(page_size), '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    REQUIRE(f.good());
}

}  // namespace studio::test
