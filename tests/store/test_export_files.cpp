// Writing exports to a folder: which folders are offered, and a file that is complete
// under its final name or absent, with a plain reason when it cannot be written.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <utility>

#include "store/export_files.h"
#include "../test_support.h"

using namespace studio;
using studio::test::read_file;
using studio::test::TempDir;
using studio::test::write_file;
namespace fs = std::filesystem;

namespace {

// The account name of this process, as udisks would use it in /media/USER/LABEL.
std::string current_user() {
    if (const passwd* pw = ::getpwuid(::geteuid())) return pw->pw_name;
    return "root";
}

// Export-sized content with every byte value, spanning several 64 KiB chunks.
std::string sample(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
    return s;
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

// ---- export_file_name ----------------------------------------------------------------

TEST_CASE("export file names say what and which dates") {
    CHECK(export_file_name("attendance", "2026-11-01", "2026-11-30") == "attendance_2026-11-01_2026-11-30.csv");
    CHECK(export_file_name("clients", "2026-01-01", "2026-12-31") == "clients_2026-01-01_2026-12-31.csv");
    CHECK(export_file_name("classes", "2026-11-20", "2026-11-20") == "classes_2026-11-20_2026-11-20.csv");
    CHECK_THROWS_AS(export_file_name("../etc", "2026-11-01", "2026-11-30"), std::invalid_argument);
    CHECK_THROWS_AS(export_file_name("attendance", "2026-11-01", "2026/11/30"), std::invalid_argument);
}

// ---- export_targets -----------------------------------------------------------------

TEST_CASE("export targets: drives first, by label, then the kiosk's own folder") {
    TempDir dir;
    const fs::path media = dir.path() / "media";
    fs::create_directories(media / "KINGSTON" / "old exports");      // /media/LABEL, with a folder on it
    fs::create_directories(media / current_user() / "SANDISK");      // /media/USER/LABEL (udisks)
    fs::create_directories(media / ".hidden");
    fs::create_directories(dir.path() / "elsewhere");
    fs::create_directory_symlink(dir.path() / "elsewhere", media / "LINKED");
    write_file((media / "README").string(), "not a drive");
    const std::string fallback = dir.file("exports");

    const auto t = export_targets(fallback, media.string(), false);
    REQUIRE(t.size() == 3);
    CHECK(t[0].label == "KINGSTON");
    CHECK(t[0].path == (media / "KINGSTON").string());
    CHECK(t[0].removable);
    CHECK(t[1].label == "SANDISK");
    CHECK(t[1].path == (media / current_user() / "SANDISK").string());
    CHECK(t[1].removable);
    CHECK(t[2].path == fallback);
    CHECK(t[2].label == fallback);
    CHECK_FALSE(t[2].removable);

    SECTION("with the mount-point check, plain folders are not drives") {
        const auto only = export_targets(fallback, media.string());
        REQUIRE(only.size() == 1);
        CHECK(only[0].path == fallback);
    }
    SECTION("no media folder at all: just the fallback; no fallback: nothing else") {
        const auto none = export_targets(fallback, (dir.path() / "no-media").string());
        REQUIRE(none.size() == 1);
        CHECK_FALSE(none[0].removable);
        CHECK(export_targets("", (dir.path() / "no-media").string()).empty());
    }
}

TEST_CASE("export targets: a real mount point is recognised by its device") {
    // "/" as the media root: /proc is a different file system on every Linux, so it is a
    // "drive" here, and it is not searched any further.
    const auto t = export_targets("", "/");
    const bool proc = std::any_of(t.begin(), t.end(), [](const ExportTarget& e) { return e.path == "/proc"; });
    CHECK(proc);
    for (const auto& e : t) {
        CHECK(e.path.rfind("/proc/", 0) != 0);
        CHECK(e.removable);
    }
}

// ---- write_export -------------------------------------------------------------------

TEST_CASE("write_export: the content arrives whole, in chunks, with progress up to the total") {
    TempDir dir;
    const std::string content = sample(300 * 1024 + 17);
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    const auto r = write_export(dir.path().string(), "attendance_2026-11-01_2026-11-30.csv", content,
                                [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });

    REQUIRE(r.ok());
    CHECK(r.error == ExportError::None);
    CHECK(r.message.empty());
    CHECK(r.bytes == content.size());
    CHECK(r.path == dir.file("attendance_2026-11-01_2026-11-30.csv"));
    CHECK(read_file(r.path) == content);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"attendance_2026-11-01_2026-11-30.csv"});   // no .part
    REQUIRE(calls.size() == 5);   // 64 KiB chunks
    for (std::size_t i = 1; i < calls.size(); ++i) CHECK(calls[i].first > calls[i - 1].first);
    for (const auto& c : calls) CHECK(c.second == content.size());
    CHECK(calls.back().first == content.size());

    SECTION("a second export replaces the first") {
        REQUIRE(write_export(dir.path().string(), "attendance_2026-11-01_2026-11-30.csv", "short").ok());
        CHECK(read_file(r.path) == "short");
        CHECK(names_in(dir.path()).size() == 1);
    }
    SECTION("empty content: an empty file, and progress once at (0, 0)") {
        calls.clear();
        const auto e = write_export(dir.path().string(), "empty.csv", "",
                                    [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
        REQUIRE(e.ok());
        CHECK(fs::file_size(e.path) == 0);
        CHECK(calls == std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}});
    }
}

TEST_CASE("write_export: a missing folder, or a file where the folder should be") {
    TempDir dir;
    const auto gone = write_export(dir.file("unplugged"), "a.csv", "x");
    CHECK(gone.error == ExportError::NoSuchFolder);
    CHECK_THAT(gone.message, Catch::Contains("plugged in"));
    CHECK_FALSE(fs::exists(dir.file("unplugged")));

    write_file(dir.file("plain-file"), "x");
    CHECK(write_export(dir.file("plain-file"), "a.csv", "x").error == ExportError::NoSuchFolder);
    CHECK_THROWS_AS(write_export(dir.path().string(), "../a.csv", "x"), std::invalid_argument);
    CHECK_THROWS_AS(write_export(dir.path().string(), "", "x"), std::invalid_argument);
}

TEST_CASE("write_export: a read-only folder") {
    TempDir dir;
    const fs::path locked = dir.path() / "locked";
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    // Root (and CAP_DAC_OVERRIDE) writes through permission bits: probe before relying on them.
    const std::string probe = (locked / "probe").string();
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    std::string target = locked.string();
    if (fd >= 0) {
        ::close(fd);
        ::unlink(probe.c_str());
        // sysfs refuses new files even to root (EACCES), as a locked drive refuses them.
        const int sys = ::open("/sys/studio-export-probe", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (sys >= 0) {
            ::close(sys);
            ::unlink("/sys/studio-export-probe");
            fs::permissions(locked, fs::perms::owner_all);
            WARN("skipped: running with permission to write anywhere and /sys accepts new files, "
                 "so no read-only folder is available");
            return;
        }
        target = "/sys";
    }
    const auto r = write_export(target, "a.csv", "x");
    CHECK(r.error == ExportError::ReadOnly);
    CHECK_THAT(r.message, Catch::Contains("read-only"));
    CHECK_FALSE(fs::exists(fs::path(target) / "a.csv"));
    CHECK_FALSE(fs::exists(fs::path(target) / "a.csv.part"));
    fs::permissions(locked, fs::perms::owner_all);   // so TempDir can clean up
}

TEST_CASE("write_export: a drive that fills up midway leaves no file behind") {
    TempDir dir;
    const std::string content = sample(200 * 1024);
    // An earlier export under the same name must survive a failed one untouched.
    write_file(dir.file("clients.csv"), "the earlier export");
    std::size_t written = 0;
    std::size_t last_progress = 0;
    const ExportWriteFn fills_up = [&](int fd, const void* data, std::size_t size) -> ssize_t {
        if (written >= 100 * 1024) {
            errno = ENOSPC;
            return -1;
        }
        const ssize_t n = ::write(fd, data, std::min<std::size_t>(size, 1000));   // short writes, too
        if (n > 0) written += static_cast<std::size_t>(n);
        return n;
    };
    const auto r = write_export(dir.path().string(), "clients.csv", content,
                                [&](std::size_t done, std::size_t) { last_progress = done; }, fills_up);

    CHECK(r.error == ExportError::Full);
    CHECK(r.message.rfind("The drive is full.", 0) == 0);
    CHECK(r.bytes >= 100 * 1024);
    CHECK(r.bytes < content.size());
    CHECK(last_progress == 64 * 1024);   // the first chunk went through before the drive filled
    CHECK(read_file(dir.file("clients.csv")) == "the earlier export");
    CHECK(names_in(dir.path()) == std::vector<std::string>{"clients.csv"});

    SECTION("into a new name: the final file does not exist afterwards") {
        written = 0;
        const auto n = write_export(dir.path().string(), "new.csv", content, {}, fills_up);
        CHECK(n.error == ExportError::Full);
        CHECK_FALSE(fs::exists(dir.file("new.csv")));
        CHECK_FALSE(fs::exists(dir.file("new.csv.part")));
    }
}

TEST_CASE("write_export: other errors, interrupted writes, and a failing progress callback") {
    TempDir dir;
    SECTION("an I/O error is reported as such") {
        const auto r = write_export(dir.path().string(), "a.csv", "abc", {}, [](int, const void*, std::size_t) -> ssize_t {
            errno = EIO;
            return -1;
        });
        CHECK(r.error == ExportError::Io);
        CHECK_THAT(r.message, Catch::Contains("could not be saved"));
        CHECK(names_in(dir.path()).empty());
    }
    SECTION("a write interrupted by a signal is retried") {
        bool interrupted = false;
        const auto r = write_export(dir.path().string(), "a.csv", "abc", {},
                                    [&](int fd, const void* data, std::size_t size) -> ssize_t {
                                        if (!interrupted) {
                                            interrupted = true;
                                            errno = EINTR;
                                            return -1;
                                        }
                                        return ::write(fd, data, size);
                                    });
        CHECK(interrupted);
        REQUIRE(r.ok());
        CHECK(read_file(dir.file("a.csv")) == "abc");
    }
    SECTION("an exception from progress removes the temporary file") {
        CHECK_THROWS_AS(write_export(dir.path().string(), "a.csv", "abc",
                                     [](std::size_t, std::size_t) { throw std::runtime_error("cancelled"); }),
                        std::runtime_error);
        CHECK(names_in(dir.path()).empty());
    }
}
