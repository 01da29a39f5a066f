#include "store/pins.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "store/kiosk_store.h"
#include "core/pin_format.h"

namespace studio {

namespace {

std::string hex(const unsigned char* p, std::size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += digits[p[i] >> 4];
        s += digits[p[i] & 15];
    }
    return s;
}

bool unhex(std::string_view s, std::vector<unsigned char>& out) {
    if (s.size() % 2) return false;
    auto val = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    out.clear();
    for (std::size_t i = 0; i < s.size(); i += 2) {
        const int hi = val(s[i]), lo = val(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<unsigned char>(hi * 16 + lo));
    }
    return true;
}

std::vector<unsigned char> derive(std::string_view pin, const std::vector<unsigned char>& salt, int iterations) {
    std::vector<unsigned char> key(32);
    if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(), static_cast<int>(salt.size()),
                          iterations, EVP_sha256(), static_cast<int>(key.size()), key.data()) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return key;
}

const char* const kRoles[] = {"coach", "manager"};

}  // namespace

bool valid_pin(std::string_view pin) { return pin_format_ok(pin); }

std::string hash_pin(std::string_view pin, int iterations) {
    std::vector<unsigned char> salt(16);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) throw std::runtime_error("no random bytes");
    const auto key = derive(pin, salt, iterations);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + hex(salt.data(), salt.size()) + "$" +
           hex(key.data(), key.size());
}

bool verify_pin(std::string_view pin, std::string_view stored) {
    // pbkdf2-sha256$ITER$SALT$HASH
    const std::string prefix = "pbkdf2-sha256$";
    if (stored.substr(0, prefix.size()) != prefix) return false;
    stored.remove_prefix(prefix.size());
    const auto a = stored.find('$'), b = stored.find('$', a + 1);
    if (a == std::string_view::npos || b == std::string_view::npos) return false;
    const int iterations = std::atoi(std::string(stored.substr(0, a)).c_str());
    std::vector<unsigned char> salt, want;
    if (iterations < 1 || !unhex(stored.substr(a + 1, b - a - 1), salt) || !unhex(stored.substr(b + 1), want) ||
        want.size() != 32)
        return false;
    const auto got = derive(pin, salt, iterations);
    return CRYPTO_memcmp(got.data(), want.data(), want.size()) == 0;
}

void set_staff_pin(KioskStore& store, const std::string& role, std::string_view pin) {
    bool known = false;
    for (const char* r : kRoles) known |= role == r;
    if (!known) throw std::invalid_argument("role must be coach or manager");
    if (!valid_pin(pin)) throw std::invalid_argument("a PIN is 4 to 8 digits");
    store.set_meta("pin." + role, hash_pin(pin));
}

bool has_staff_pin(KioskStore& store) {
    for (const char* r : kRoles)
        if (store.meta(std::string("pin.") + r)) return true;
    return false;
}

std::optional<std::string> check_staff_pin(KioskStore& store, std::string_view pin) {
    if (!valid_pin(pin)) return std::nullopt;
    // Check every role even after a match, so the time taken does not tell which role matched.
    std::optional<std::string> match;
    for (const char* r : kRoles)
        if (auto h = store.meta(std::string("pin.") + r); h && verify_pin(pin, *h) && !match) match = r;
    return match;
}

}  // namespace studio
