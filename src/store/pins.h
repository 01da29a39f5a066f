// Staff PINs: salted PBKDF2-HMAC-SHA256 hashes in the kiosk database (meta table),
// never the PIN itself. A 4-8 digit PIN is weak however it is hashed: the lockout
// in the kiosk flow is what stops guessing; the slow hash protects a stolen file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace studio {

class KioskStore;

constexpr int kPinIterations = 100000;   // ~0.1 s on a Raspberry Pi 4

bool valid_pin(std::string_view pin);    // 4 to 8 digits (see core/pin_format.h)
// "pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX"
std::string hash_pin(std::string_view pin, int iterations = kPinIterations);
bool verify_pin(std::string_view pin, std::string_view stored);   // constant-time compare

// Roles are "coach" and "manager"; each has its own PIN.
void set_staff_pin(KioskStore& store, const std::string& role, std::string_view pin);
bool has_staff_pin(KioskStore& store);
// The role whose PIN this is, if any.
std::optional<std::string> check_staff_pin(KioskStore& store, std::string_view pin);

}  // namespace studio
