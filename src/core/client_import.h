// Validating a clients CSV (the studio's member list) before anything is stored.
//
// Columns (header row, any order, names case-insensitive; extra columns ignored):
//   first_name, last_name, phone, email, member_code, prior_sessions   required
//   pass_sessions     a number of sessions, "unlimited", or empty for no pass
//   pass_valid_from   YYYY-MM-DD, required with pass_sessions
//   pass_valid_until  YYYY-MM-DD, required with pass_sessions, not before valid_from
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace studio {

// Longest values accepted, in bytes: the sync protocol's limits (schema/sync-protocol.md),
// so that every imported client can travel in a check-in's snapshot and the changes feed.
inline constexpr std::size_t kImportMaxName = 2000;    // first_name, last_name
inline constexpr std::size_t kImportMaxPhone = 64;
inline constexpr std::size_t kImportMaxEmail = 320;

struct ImportRow {
    std::size_t line = 0;
    Client client;                 // id and uid unset: the store assigns them
    std::optional<Pass> pass;      // client_id unset
};

struct ImportProblem {
    std::size_t line = 0;          // 1-based line in the file; 1 is the header
    std::string reason;
};

struct ParsedImport {
    std::vector<ImportRow> rows;           // the rows that passed validation
    std::vector<ImportProblem> problems;   // every bad row, in file order
    bool header_ok = false;                // false: the file cannot be read at all
};

ParsedImport parse_client_csv(std::string_view text);

}  // namespace studio
