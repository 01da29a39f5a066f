// The sync protocol's JSON (version 1, under /api/v1; schema/sync-protocol.md has
// every message with examples). One codec for both ends: the kiosk encodes pushes
// and decodes answers, the server the other way round. Decoding is strict and says
// where and why ("items[3].checkin.local_date: not a date (YYYY-MM-DD)"), because a
// 400 with a reason is the server's whole answer to a malformed request.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "store/sync_store.h"

namespace studio::sync {

inline constexpr int kProtocolVersion = 1;
inline constexpr const char* kApiPrefix = "/api/v1";

// Largest nesting of arrays/objects accepted; the protocol needs 4.
inline constexpr int kMaxJsonDepth = 16;
// Items in one push; a kiosk sends SyncTuning::push_batch at most.
inline constexpr std::size_t kMaxPushItems = 1000;

// A decoded push request: OutboxItems without their local seq.
struct PushRequest {
    std::vector<OutboxItem> items;
};

std::string encode_push_request(const std::vector<OutboxItem>& items);
bool decode_push_request(std::string_view body, PushRequest& out, std::string& why);

std::string encode_push_response(const std::vector<PushItemResult>& results, std::int64_t server_time);
// `expected` is how many items were sent: a different count is a malformed answer.
bool decode_push_response(std::string_view body, std::size_t expected, std::vector<PushItemResult>& out,
                          std::string& why);

std::string encode_changes(const ChangesPage& page, std::int64_t server_time);
bool decode_changes(std::string_view body, ChangesPage& out, std::string& why);

// The changes feed's query (GET /api/v1/changes?cursor=N&limit=M) as the HTTP
// server split it into names and values (the first of a repeated name counts):
// cursor 0 to 2^53 (default 0), limit 1 to max_limit (default 500).
struct ChangesQuery {
    std::int64_t cursor = 0;
    std::int64_t limit = 500;
};
bool decode_changes_query(const std::multimap<std::string, std::string>& params, std::int64_t max_limit,
                          ChangesQuery& out, std::string& why);

// Digits only ("0" to "9", at most 16 of them) and at most `max`, as in a cursor
// or a Content-Length; false for anything else (a sign, spaces, empty).
bool parse_whole_number(std::string_view s, std::int64_t max, std::int64_t& out);

// {"error": code, "reason": reason}: the body of every 4xx/5xx the server sends.
std::string encode_error(std::string_view code, std::string_view reason);
// The reason from such a body, or "" when it is not one.
std::string error_reason(std::string_view body);

}  // namespace studio::sync
